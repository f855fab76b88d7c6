// Enums: one Swift case per distinct number, aliases as static constants, and an
// `unrecognized` case for numbers an open enum does not declare.

struct EnumPlan {
    let e: EnumDescriptor
    let symbol: SymbolTable.EnumSymbol
    /// The fully qualified proto name with a leading dot, such as `.pkg.Color`.
    let protoName: String

    static func caseName(_ valueName: String, enumName: String) -> String {
        Naming.member(Naming.enumCase(valueName, enumName: enumName))
    }

    func context() -> TemplateContext {
        var cases: [TemplateContext] = []
        var aliases: [TemplateContext] = []
        var caseByNumber: [Int32: String] = [:]
        for value in e.values {
            let name = Self.caseName(value.name, enumName: e.name)
            if let target = caseByNumber[value.number] {
                aliases.append(["name": .text(name), "target": .text(target), "doc": .text(Doc.comment(value.comments))])
            } else {
                caseByNumber[value.number] = name
                cases.append([
                    "name": .text(name), "number": .text(String(value.number)),
                    "doc": .text(Doc.comment(value.comments)), "last": .flag(false),
                ])
            }
        }
        if !cases.isEmpty { cases[cases.count - 1]["last"] = .flag(true) }
        let local = String(symbol.swiftName.split(separator: ".").last!)
        return [
            "doc": .text(Doc.comment(e.comments)),
            "name": .text(local),
            "enumName": .text(local),
            "open": .flag(symbol.enumType == .open),
            "cases": .list(cases),
            "aliases": .list(aliases),
            "defaultCase": .text(symbol.defaultCase),
            "protoName": .text(String(protoName.dropFirst())),
            // Every declared value, aliases included, for the enum's name table.
            "values": .list(e.values.map { ["number": .text(String($0.number)), "protoValueName": .text($0.name)] }),
        ]
    }
}
