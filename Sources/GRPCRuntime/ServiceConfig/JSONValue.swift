import ProtoWire

/// A JSON document as a tree: what a service config is read from, once per channel. The text is
/// read by ProtoWire's JSON reader; this is the shape the config's rules are written against.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// What the value is, for error messages.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as the config's text would show it, shortened: for error messages.
    var excerpt: String {
        let text: String
        switch self {
        case .null: text = "null"
        case .bool(let b): text = String(b)
        case .number(let n): text = n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): text = "\"\(s)\""
        case .array(let a): text = "[" + a.map(\.excerpt).joined(separator: ", ") + "]"
        case .object(let o): text = "{" + o.map { "\"\($0.key)\": \($0.value.excerpt)" }.joined(separator: ", ") + "}"
        }
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }

    /// Parses a whole document with ProtoWire's JSON reader, as the well-known `Value` (which is
    /// any JSON value). Object members come out sorted by key, so errors are reported in a
    /// stable order.
    init(parsing text: String) throws(ServiceConfigError) {
        let value: Google_Protobuf_Value
        do {
            value = try Google_Protobuf_Value(jsonString: text)
        } catch {
            throw ServiceConfigError(key: "", message: "invalid JSON: \(error)")
        }
        self.init(value)
    }

    private init(_ value: Google_Protobuf_Value) {
        switch value.kind {
        case nil, .nullValue: self = .null
        case .boolValue(let b): self = .bool(b)
        case .numberValue(let n): self = .number(n)
        case .stringValue(let s): self = .string(s)
        case .listValue(let list): self = .array(list.values.map(JSONValue.init))
        case .structValue(let object):
            self = .object(object.fields.sorted { $0.key < $1.key }.map { (key: $0.key, value: JSONValue($0.value)) })
        }
    }
}
