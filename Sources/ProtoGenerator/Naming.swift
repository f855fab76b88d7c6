// Turning protobuf names into Swift names: case conventions, type prefixes,
// and escaping names Swift reserves or that would shadow types generated code uses.

enum Naming {
    /// `page_number` → `pageNumber`, `HTTPServer` → `httpServer`, `URL` → `url`, `http_url_2` → `httpUrl2`.
    static func lowerCamel(_ name: String) -> String {
        var chars = Array(upperCamel(name))
        var run = 0
        while run < chars.count, chars[run].isUppercase { run += 1 }
        // In `HTTPServer` the last capital of the run starts the next word.
        let lowered = run > 1 && run < chars.count && chars[run].isLowercase ? run - 1 : run
        for i in 0..<lowered { chars[i] = Character(chars[i].lowercased()) }
        return String(chars)
    }

    /// `page_number` → `PageNumber`: a capital after each underscore, as protoc's JSON names do.
    static func upperCamel(_ name: String) -> String {
        var out = ""
        var capitalizeNext = true
        for c in name {
            if c == "_" {
                capitalizeNext = true
                continue
            }
            out += capitalizeNext ? c.uppercased() : String(c)
            capitalizeNext = false
        }
        return out
    }

    /// The type prefix for a proto package, as the Swift protobuf ecosystem spells it:
    /// `google.protobuf` → `Google_Protobuf_`. `swift_prefix` replaces it when set.
    static func typePrefix(package: String, swiftPrefix: String?) -> String {
        if let swiftPrefix { return swiftPrefix }
        if package.isEmpty { return "" }
        return package.split(separator: ".").map { upperCamel(String($0)) }.joined(separator: "_") + "_"
    }

    /// `COLOR_RED` in `enum Color` → `red`; a name that would be empty or start with a digit keeps its prefix.
    static func enumCase(_ valueName: String, enumName: String) -> String {
        let prefix = screamingSnake(enumName) + "_"
        var name = valueName
        if valueName.uppercased().hasPrefix(prefix.uppercased()) {
            let rest = String(valueName.dropFirst(prefix.count))
            if let f = rest.first, !f.isNumber { name = rest }
        }
        return lowerCamel(name.lowercased())
    }

    /// `FooBar` → `FOO_BAR`.
    static func screamingSnake(_ name: String) -> String {
        var out = ""
        var previousLower = false
        for c in name {
            if c.isUppercase, previousLower { out += "_" }
            out += c.uppercased()
            previousLower = c.isLowercase || c.isNumber
        }
        return out
    }

    /// Swift keywords: a property or case with one of these names is written in backticks.
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init",
        "inout", "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public",
        "rethrows", "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue",
        "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return",
        "throw", "switch", "where", "while", "Any", "as", "await", "false", "is", "nil", "super", "throws",
        "true", "try", "async", "some", "any", "consume", "copy", "discard", "borrowing", "consuming",
        "nonisolated", "package", "macro", "each", "indirect",
    ]

    /// Names that cannot serve as a member even in backticks (`x.self`, `x.Type`, `x.init`),
    /// or that the generated conformance itself uses. They get a trailing underscore.
    static let reservedMembers: Set<String> = [
        "self", "Type", "Protocol", "init", "unknownFields", "encodedSize", "encode", "merge",
        "debugDescription", "description", "hashValue", "hash", "protoMessageName", "with",
        "serializedBytes", "serializedData", "rawValue", "allCases", "unrecognized",
    ]

    /// Type names that would shadow a standard type, or a module generated code names, inside
    /// generated code. A message or enum with one of these names gets `Message` or `Enum` appended.
    /// The runtimes' own types (`ProtoMessage`, `WireWriter`, …) are not here: generated code
    /// names them through their module (`ProtoWire.WireWriter`), so a message may take their names.
    static let reservedTypes: Set<String> = [
        "Type", "Protocol", "String", "Data", "Error", "Result", "Int", "Int32", "Int64", "UInt32", "UInt64",
        "Bool", "Float", "Double", "Array", "Dictionary", "Optional", "Set", "Sendable", "Hashable",
        "Equatable", "Never", "Void", "Any", "AnyObject", "Self", "Character", "Hasher",
        "ProtoWire", "GRPCRuntime", "Foundation", "FoundationEssentials", "Swift",
    ]

    /// A field name as a Swift property: `page_number` → `pageNumber`, `class` → `` `class` ``, `self` → `self_`.
    static func property(_ protoName: String) -> String {
        member(lowerCamel(protoName))
    }

    static func member(_ name: String) -> String {
        if reservedMembers.contains(name) { return name + "_" }
        if keywords.contains(name) { return "`\(name)`" }
        return name
    }

    /// A message or enum name as a Swift type name: kept as written in the `.proto`,
    /// with `suffix` appended when it would shadow a type generated code relies on.
    static func typeName(_ protoName: String, suffix: String) -> String {
        if reservedTypes.contains(protoName) || keywords.contains(protoName) { return protoName + suffix }
        return protoName
    }
}
