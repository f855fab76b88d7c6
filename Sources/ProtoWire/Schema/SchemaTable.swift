// The text form of field and enum tables that generated code uses: one string literal per
// message compiles to a few bytes of code, where an array of `FieldSchema` values compiled to
// about 150 bytes per field (each element built by a call at first use).

extension MessageSchema {
    /// Builds the schema of `type` from a field table in text, one field per line (or `;`):
    ///
    ///     <number> <name> [json=<name>] [optional | required | repeated | packed | map <key> | oneof <i>] <type>
    ///
    /// `<type>` is a scalar type as the `.proto` spells it (`int32`, `string`, …), or
    /// `message <i>`, `group <i>`, `enum <i>`, indexing `messages` and `enums`; `oneof <i>`
    /// indexes `oneofs`. For example:
    ///
    ///     public static let messageSchema = MessageSchema(for: Self.self, fields: """
    ///         1 query string
    ///         2 page_number int32
    ///         3 tags repeated string
    ///         4 counts map string int64
    ///         5 origin optional message 0
    ///         6 name oneof 0 string
    ///         7 id oneof 0 int64
    ///         """, messages: [Point.self], oneofs: ["choice"])
    ///
    /// A line that does not follow this form is a generator bug: it stops debug builds and is
    /// left out of release ones.
    public convenience init<M: ProtoMessage>(
        for type: M.Type, fields table: String, messages: [any ProtoMessage.Type] = [], enums: [any ProtoEnum.Type] = [],
        oneofs: [String] = []
    ) {
        var fields: [FieldSchema] = []
        for line in table.split(whereSeparator: { $0 == "\n" || $0 == ";" }) {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if words.isEmpty { continue }
            guard let field = FieldSchema(tableLine: words, messages: messages, enums: enums) else {
                assertionFailure("malformed field table line in \(M.protoMessageName): \(line)")
                continue
            }
            fields.append(field)
        }
        self.init(for: type, oneofs: oneofs, fields: fields)
    }
}

extension FieldSchema {
    /// A field from the words of one line of a field table; nil when they do not make one.
    init?(tableLine words: [String], messages: [any ProtoMessage.Type], enums: [any ProtoEnum.Type]) {
        guard words.count >= 3, let number = Int(words[0]), number > 0 else { return nil }
        var i = 2
        var json: String?
        if words[i].hasPrefix("json=") {
            json = String(words[i].dropFirst(5))
            i += 1
        }
        func index(_ list: Int) -> Int? {
            guard i + 1 < words.count, let n = Int(words[i + 1]), n >= 0, n < list else { return nil }
            return n
        }
        var cardinality = FieldCardinality.implicit
        var oneof: Int?
        guard i < words.count else { return nil }
        switch words[i] {
        case "optional": cardinality = .optional; i += 1
        case "required": cardinality = .required; i += 1
        case "repeated": cardinality = .repeated; i += 1
        case "packed": cardinality = .packed; i += 1
        case "map":
            guard i + 1 < words.count, let key = FieldType(scalar: words[i + 1]) else { return nil }
            cardinality = .map(key: key)
            i += 2
        case "oneof":
            guard i + 1 < words.count, let n = Int(words[i + 1]), n >= 0 else { return nil }
            cardinality = .optional
            oneof = n
            i += 2
        default: break
        }
        guard i < words.count else { return nil }
        let type: FieldType
        switch words[i] {
        case "message":
            guard let n = index(messages.count) else { return nil }
            type = .message(messages[n])
            i += 2
        case "group":
            guard let n = index(messages.count) else { return nil }
            type = .group(messages[n])
            i += 2
        case "enum":
            guard let n = index(enums.count) else { return nil }
            type = .enum(enums[n])
            i += 2
        default:
            guard let scalar = FieldType(scalar: words[i]) else { return nil }
            type = scalar
            i += 1
        }
        guard i == words.count else { return nil }
        self.init(number: number, name: words[1], jsonName: json, type: type, cardinality: cardinality, oneofIndex: oneof)
    }
}

extension FieldType {
    /// The scalar type a `.proto` spells `name`, or nil.
    init?(scalar name: String) {
        switch name {
        case "double": self = .double
        case "float": self = .float
        case "int64": self = .int64
        case "uint64": self = .uint64
        case "int32": self = .int32
        case "fixed64": self = .fixed64
        case "fixed32": self = .fixed32
        case "bool": self = .bool
        case "string": self = .string
        case "bytes": self = .bytes
        case "uint32": self = .uint32
        case "sfixed32": self = .sfixed32
        case "sfixed64": self = .sfixed64
        case "sint32": self = .sint32
        case "sint64": self = .sint64
        default: return nil
        }
    }
}

extension EnumSchema {
    /// Builds the schema of `type` from its values in text, `<number> <NAME>` pairs separated by
    /// spaces, aliases included, in declaration order:
    ///
    ///     public static let enumSchema = EnumSchema(for: Self.self, "fixtures.Color",
    ///                                               values: "0 COLOR_UNSPECIFIED 1 COLOR_RED 2 COLOR_GREEN")
    public convenience init<E: ProtoEnum>(for type: E.Type, _ name: String, values table: String) {
        var values: [(Int32, String)] = []
        let words = table.split(whereSeparator: { $0 == " " || $0 == "\n" })
        var i = 0
        while i + 1 < words.count {
            guard let number = Int32(words[i]) else {
                assertionFailure("malformed enum table of \(name) at \(words[i])")
                break
            }
            values.append((number, String(words[i + 1])))
            i += 2
        }
        self.init(for: type, name, values)
    }
}
