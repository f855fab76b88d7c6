// Enums: one Swift case per distinct number, aliases as static constants,
// and an `unrecognized` case for numbers an open enum does not declare.

enum EnumPlan {
    static func caseName(_ valueName: String, enumName: String) -> String {
        Naming.member(Naming.enumCase(valueName, enumName: enumName))
    }

    static func render(
        _ e: EnumDescriptor, swiftName: String, enumType: EnumType, access: String, templates: TemplateSet
    ) throws(TemplateError) -> String {
        var cases: [TemplateContext] = []
        var aliases: [TemplateContext] = []
        var caseByNumber: [Int32: String] = [:]
        for value in e.values {
            let name = caseName(value.name, enumName: e.name)
            if let target = caseByNumber[value.number] {
                aliases.append([
                    "name": .text(name), "target": .text(target), "doc": .text(Doc.comment(value.comments)),
                ])
            } else {
                caseByNumber[value.number] = name
                cases.append([
                    "name": .text(name), "number": .text(String(value.number)),
                    "doc": .text(Doc.comment(value.comments)),
                ])
            }
        }
        let local = String(swiftName.split(separator: ".").last!)
        let allCases = cases.compactMap { c -> String? in
            if case .text(let n)? = c["name"] { return "." + n }
            return nil
        }
        return try templates.enum.render([
            "doc": .text(Doc.comment(e.comments)),
            "access": .text(access),
            "name": .text(local),
            "enumName": .text(local),
            "conformance": .text(enumType == .open ? "OpenProtoEnum" : "ProtoEnum"),
            "open": .flag(enumType == .open),
            "cases": .list(cases),
            "aliases": .list(aliases),
            "defaultCase": .text(caseByNumber[e.values.first?.number ?? 0] ?? "unrecognized(0)"),
            "allCases": .text(allCases.joined(separator: ", ")),
        ])
    }
}

/// Doc comments from `.proto` comments.
enum Doc {
    /// `///` lines for the leading comment, or the trailing one when there is no leading comment.
    static func comment(_ c: Comments) -> String {
        let text = c.leading.isBlank ? c.trailing : c.leading
        if text.isBlank { return "" }
        var lines: [String]
        if text.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
            // ASCII without CR: the same lines split by byte, at a fraction of the cost.
            lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { line -> String in
                var l = line
                while let b = l.last, b == 0x20 || b == 0x09 { l.removeLast() }
                return String(Substring(l))
            }
        } else {
            lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                var l = String(line)
                while l.last == " " || l.last == "\t" || l.last == "\r" { l.removeLast() }
                return l
            }
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        return lines.map { $0.isEmpty ? "///" : ($0.first == " " ? "///" + $0 : "/// " + $0) }
            .joined(separator: "\n")
    }
}

extension String {
    var isBlank: Bool { allSatisfy { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" } }
}
