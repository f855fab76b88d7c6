// Every message and enum in the request by its fully qualified proto name, with
// the Swift name it gets and what the generator needs to know about it.

struct SymbolTable: Sendable {
    struct MessageSymbol: Sendable {
        var swiftName: String
        var descriptor: MessageDescriptor
        var file: String
        /// The message's resolved features, which its fields start from.
        var features: ResolvedFeatures
    }

    struct EnumSymbol: Sendable {
        var swiftName: String
        var enumType: EnumType
        /// The Swift case name of the default (first declared) value.
        var defaultCase: String
        /// The Swift name of each value (a case, or an alias's constant) by its `.proto` name.
        var cases: [String: String] = [:]
    }

    private(set) var messages: [String: MessageSymbol] = [:]
    private(set) var enums: [String: EnumSymbol] = [:]
    private var inlineEdges: [String: [String]] = [:]

    init(files: [FileDescriptor]) {
        for file in files {
            let fileFeatures = ResolvedFeatures.of(file)
            let prefix = Naming.typePrefix(package: file.package, swiftPrefix: file.swiftPrefix)
            let scope = file.package.isEmpty ? "" : "." + file.package
            for m in file.messages {
                addMessage(m, protoScope: scope, swiftScope: nil, prefix: prefix, file: file.name, inherited: fileFeatures)
            }
            for e in file.enums {
                addEnum(e, protoScope: scope, swiftScope: nil, prefix: prefix, inherited: fileFeatures)
            }
        }
    }

    private mutating func addMessage(
        _ m: MessageDescriptor, protoScope: String, swiftScope: String?, prefix: String, file: String,
        inherited: ResolvedFeatures
    ) {
        let full = protoScope + "." + m.name
        let swift = Self.swiftName(m.name, swiftScope: swiftScope, prefix: prefix, suffix: "Message")
        let features = inherited.overridden(by: m.features)
        messages[full] = MessageSymbol(swiftName: swift, descriptor: m, file: file, features: features)
        inlineEdges[full] = m.fields.filter { ($0.type == .message || $0.type == .group) && $0.label != .repeated }.map(\.typeName)
        for nested in m.messages {
            addMessage(nested, protoScope: full, swiftScope: swift, prefix: prefix, file: file, inherited: features)
        }
        for e in m.enums {
            addEnum(e, protoScope: full, swiftScope: swift, prefix: prefix, inherited: features)
        }
    }

    private mutating func addEnum(
        _ e: EnumDescriptor, protoScope: String, swiftScope: String?, prefix: String, inherited: ResolvedFeatures
    ) {
        let swift = Self.swiftName(e.name, swiftScope: swiftScope, prefix: prefix, suffix: "Enum")
        let first = e.values.first.map { EnumPlan.caseName($0.name, enumName: e.name) } ?? "unrecognized(0)"
        enums["\(protoScope).\(e.name)"] = EnumSymbol(
            swiftName: swift, enumType: inherited.overridden(by: e.features).enumType, defaultCase: first,
            cases: Dictionary(e.values.map { ($0.name, EnumPlan.caseName($0.name, enumName: e.name)) }, uniquingKeysWith: { a, _ in a })
        )
    }

    /// A nested type keeps its own name inside its parent; a top-level one gets the package
    /// prefix. Either way, the name Swift code sees is escaped if it would shadow a standard type.
    private static func swiftName(_ name: String, swiftScope: String?, prefix: String, suffix: String) -> String {
        if let swiftScope { return "\(swiftScope).\(Naming.typeName(name, suffix: suffix))" }
        return Naming.typeName(prefix + name, suffix: suffix)
    }

    /// True when a value of message `from` contains a `to` stored inline (not behind
    /// an array or dictionary), so a field of type `from` inside `to` needs a box.
    func inlineReaches(from: String, to: String) -> Bool {
        var seen: Set<String> = []
        var stack = [from]
        while let next = stack.popLast() {
            if next == to { return true }
            guard seen.insert(next).inserted else { continue }
            stack.append(contentsOf: inlineEdges[next] ?? [])
        }
        return false
    }
}
