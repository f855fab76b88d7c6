/// Writes messages in the protobuf JSON mapping: the `FieldVisitor` that `jsonString()` and
/// `jsonUTF8Bytes()` pass to `visitFields(_:)`, and the writer the field codecs write their
/// values to. Made only by the runtime.
///
/// Output goes into one growable buffer; each field's key comes ready-escaped from the
/// message's schema, so writing a field is a copy of its key and its value.
public struct ProtoJSONEncoder: FieldVisitor {
    static let depthLimit = 100

    var out: OutputBuffer
    let options: JSONEncodingOptions
    /// The schema of the message being written. Schemas live as long as the program (they are
    /// `static let`s, or cached), and `writeMessage` holds the current one: no reference counting.
    unowned(unsafe) var schema: MessageSchema
    /// The schema's field lookup and keys (JSON or `.proto` names, as the options say), copied
    /// out when a message starts: reading them through `schema` would retain it per field.
    var lookup: FieldLookup
    var keys: KeyBytes
    /// Whether the current object has a member already, so the next needs a comma.
    var needsComma = false
    var depth = 0
    /// The list or map being written: its field's index in the schema, and how many elements
    /// have been written (for commas and error paths).
    var listField = 0
    var listCount = 0

    init(options: JSONEncodingOptions, capacity: Int) {
        self.out = OutputBuffer(capacity: capacity)
        self.options = options
        let empty = Google_Protobuf_Empty.messageSchema
        self.schema = empty
        self.lookup = empty.lookup
        self.keys = empty.jsonKeys
    }

    // MARK: Messages

    /// Writes `message` as a JSON object (or in its well-known type's own form).
    mutating func writeMessage<M: ProtoMessage>(_ message: M) throws(JSONEncodingError) {
        let schema = M.messageSchema
        if let wellKnown = schema.wellKnown {
            try writeWellKnown(wellKnown, message)
            return
        }
        guard !schema.isOpaque else {
            throw JSONEncodingError(
                .unsupportedMessage, message: "\(schema.messageName) was generated without a field table; regenerate it to write JSON")
        }
        out.append(UInt8(ascii: "{"))
        try writeFields(of: message, schema: schema, afterMember: false)
        out.append(UInt8(ascii: "}"))
    }

    /// Writes the members of `message` into the object already open; `afterMember` when that
    /// object has a member already (an `Any`'s `@type`).
    mutating func writeFields<M: ProtoMessage>(of message: M, schema: MessageSchema, afterMember: Bool) throws(JSONEncodingError) {
        guard depth < ProtoJSONEncoder.depthLimit else {
            throw JSONEncodingError(.recursionLimitExceeded, message: "messages nested more than \(ProtoJSONEncoder.depthLimit) deep")
        }
        let outerSchema = self.schema
        let outerTables = (lookup, keys)
        let outerComma = needsComma
        let outerList = (listField, listCount)
        self.schema = schema
        lookup = schema.lookup
        keys = options.preserveProtoFieldNames ? schema.protoKeys : schema.jsonKeys
        needsComma = afterMember
        depth += 1
        do {
            try message.visitFields(&self)
        } catch {
            throw JSONEncodingError.from(error)
        }
        depth -= 1
        self.schema = outerSchema
        (lookup, keys) = outerTables
        needsComma = outerComma
        (listField, listCount) = outerList
    }

    /// Writes `,` if needed and the key of field `number`; returns the field's index.
    @inline(__always)
    private mutating func key(_ number: Int) throws(JSONEncodingError) -> Int {
        guard let index = lookup.index(ofNumber: number) else {
            throw JSONEncodingError(.unsupportedMessage, message: "field \(number) is not in the schema of \(schema.messageName)")
        }
        let key = keys[index]
        out.reserve(key.count &+ 1)
        if needsComma { out.append(UInt8(ascii: ",")) }
        needsComma = true
        out.append(key)
        return index
    }

    private func member(_ index: Int) -> JSONPathComponent {
        .member(options.preserveProtoFieldNames ? schema.fields[index].name : schema.fields[index].jsonName)
    }

    // MARK: FieldVisitor

    public mutating func implicit<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ value: C.Value) throws(JSONEncodingError) {
        if !options.alwaysPrintFieldsWithoutPresence && C.isDefault(value) { return }
        try field(codec, number, value)
    }

    public mutating func field<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ value: C.Value) throws(JSONEncodingError) {
        let index = try key(number)
        do {
            try C.writeJSON(value, to: &self)
        } catch {
            throw error.inside(member(index))
        }
    }

    public mutating func beginList<C: FieldCodec>(_ codec: C.Type, _ number: Int, count: Int) throws(JSONEncodingError) -> Bool {
        if count == 0 && !options.alwaysPrintFieldsWithoutPresence { return false }
        listField = try key(number)
        listCount = 0
        out.append(UInt8(ascii: "["))
        return true
    }

    public mutating func listElement<C: FieldCodec>(_ codec: C.Type, _ value: C.Value) throws(JSONEncodingError) {
        if listCount > 0 { out.append(UInt8(ascii: ",")) }
        do {
            try C.writeJSON(value, to: &self)
        } catch {
            throw error.inside(.index(listCount)).inside(member(listField))
        }
        listCount &+= 1
    }

    public mutating func endList<C: FieldCodec>(_ codec: C.Type) throws(JSONEncodingError) {
        out.append(UInt8(ascii: "]"))
    }

    public mutating func beginMap<K: FieldCodec, V: FieldCodec>(
        _ key: K.Type, _ value: V.Type, _ number: Int, count: Int
    ) throws(JSONEncodingError) -> Bool {
        if count == 0 && !options.alwaysPrintFieldsWithoutPresence { return false }
        listField = try self.key(number)
        listCount = 0
        out.append(UInt8(ascii: "{"))
        return true
    }

    /// `"key":value`; a key written as a number or `true` gets quotes, as JSON object keys are strings.
    public mutating func mapEntry<K: FieldCodec, V: FieldCodec>(
        _ key: K.Type, _ value: V.Type, _ k: K.Value, _ v: V.Value
    ) throws(JSONEncodingError) {
        if listCount > 0 { out.append(UInt8(ascii: ",")) }
        do {
            let start = out.count
            try K.writeJSON(k, to: &self)
            if out.count > start && out[start] != UInt8(ascii: "\"") {
                out.insert(UInt8(ascii: "\""), at: start)
                out.append(UInt8(ascii: "\""))
            }
            out.append(UInt8(ascii: ":"))
            try V.writeJSON(v, to: &self)
        } catch {
            throw error.inside(.key(String(describing: k))).inside(member(listField))
        }
        listCount &+= 1
    }

    public mutating func endMap<K: FieldCodec, V: FieldCodec>(_ key: K.Type, _ value: V.Type) throws(JSONEncodingError) {
        out.append(UInt8(ascii: "}"))
    }

    /// Unknown fields have no JSON form: they are left out.
    /// Unknown fields are left out of JSON, but for registered extensions (`"[pkg.ext]": …`).
    public mutating func unknown(_ fields: UnknownFields) throws(JSONEncodingError) {
        if !fields.isEmpty, !options.extensions.isEmpty { try writeRegisteredExtensions(fields) }
    }

    // MARK: Values

    mutating func writeInt(_ value: Int64) {
        out.appendDecimal(value)
    }

    mutating func writeUInt(_ value: UInt64) {
        out.appendDecimal(value)
    }

    /// 64-bit integers are strings, because JSON readers often hold numbers as doubles.
    mutating func writeQuotedInt(_ value: Int64) {
        out.append(UInt8(ascii: "\""))
        out.appendDecimal(value)
        out.append(UInt8(ascii: "\""))
    }

    mutating func writeQuotedUInt(_ value: UInt64) {
        out.append(UInt8(ascii: "\""))
        out.appendDecimal(value)
        out.append(UInt8(ascii: "\""))
    }

    mutating func writeBool(_ value: Bool) {
        out.append(value ? "true" : "false")
    }

    mutating func writeDouble(_ value: Double) {
        if value.isFinite {
            out.appendShortest(value)
        } else {
            writeNonFinite(value.isNaN, value < 0)
        }
    }

    mutating func writeFloat(_ value: Float) {
        if value.isFinite {
            out.appendShortest(value)
        } else {
            writeNonFinite(value.isNaN, value < 0)
        }
    }

    private mutating func writeNonFinite(_ nan: Bool, _ negative: Bool) {
        out.append(nan ? "\"NaN\"" : negative ? "\"-Infinity\"" : "\"Infinity\"")
    }

    mutating func writeString(_ value: String) {
        out.appendJSONString(value)
    }

    mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) {
        out.append(UInt8(ascii: "\""))
        Base64.encode(bytes, into: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// An enum value by name (a number when asked to, or when the enum has no name for it).
    /// `google.protobuf.NullValue` is `null`.
    mutating func writeEnum(_ schema: EnumSchema, _ number: Int32, isNullValue: Bool) {
        if isNullValue {
            out.append("null")
            return
        }
        if !options.enumsAsIntegers, let index = schema.index(ofNumber: number) {
            schema.jsonStrings.with(index) { out.append($0) }
        } else {
            out.appendDecimal(Int64(number))
        }
    }
}

@available(*, unavailable)
extension ProtoJSONEncoder: Sendable {}

/// JSON keys and strings made once, for schemas.
enum JSONKey {
    /// `"name":` with `name` escaped.
    static func encoded(_ name: String) -> [UInt8] {
        var bytes = quoted(name)
        bytes.append(UInt8(ascii: ":"))
        return bytes
    }

    /// `"name"` with `name` escaped.
    static func quoted(_ name: String) -> [UInt8] {
        var out = OutputBuffer(capacity: name.utf8.count + 8)
        defer { out.free() }
        out.appendJSONString(name)
        return out.makeArray()
    }
}

extension OutputBuffer {
    mutating func appendJSONString(_ value: String) {
        if value.utf8.withContiguousStorageIfAvailable({ appendJSONString(UnsafeRawBufferPointer($0)) }) != nil { return }
        var s = value
        s.withUTF8 { appendJSONString(UnsafeRawBufferPointer($0)) }
    }

    /// Appends UTF-8 `bytes` as a JSON string, escaping what RFC 8259 requires: `"`, `\` and the
    /// control characters U+0000 to U+001F (as `\n`, `\t`, … where JSON has a short form).
    mutating func appendJSONString(_ bytes: UnsafeRawBufferPointer) {
        append(UInt8(ascii: "\""))
        guard let base = bytes.baseAddress else {
            append(UInt8(ascii: "\""))
            return
        }
        let n = bytes.count
        var runStart = 0
        var i = 0
        while i < n {
            // Eight bytes at a time while none needs escaping.
            if n - i >= 8 {
                let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let quote = w ^ 0x2222_2222_2222_2222
                let slash = w ^ 0x5C5C_5C5C_5C5C_5C5C
                let found = ((quote &- 0x0101_0101_0101_0101) & ~quote
                    | (slash &- 0x0101_0101_0101_0101) & ~slash
                    | (w &- 0x2020_2020_2020_2020) & ~w) & 0x8080_8080_8080_8080
                if found == 0 {
                    i += 8
                    continue
                }
            }
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if b >= 0x20 && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                i += 1
                continue
            }
            append(UnsafeRawBufferPointer(start: base + runStart, count: i - runStart))
            switch b {
            case UInt8(ascii: "\""): append(UInt8(ascii: "\\"), UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): append(UInt8(ascii: "\\"), UInt8(ascii: "\\"))
            case 0x08: append(UInt8(ascii: "\\"), UInt8(ascii: "b"))
            case 0x0C: append(UInt8(ascii: "\\"), UInt8(ascii: "f"))
            case 0x0A: append(UInt8(ascii: "\\"), UInt8(ascii: "n"))
            case 0x0D: append(UInt8(ascii: "\\"), UInt8(ascii: "r"))
            case 0x09: append(UInt8(ascii: "\\"), UInt8(ascii: "t"))
            default:
                append("\\u00")
                append(hexDigit(b >> 4), hexDigit(b & 15))
            }
            i += 1
            runStart = i
        }
        append(UnsafeRawBufferPointer(start: base + runStart, count: n - runStart))
        append(UInt8(ascii: "\""))
    }
}

/// The lowercase hex digit for 0–15.
@inline(__always)
func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? v &+ 48 : v &+ 87 }
