#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How text-format input is read.
public struct TextFormatDecodingOptions: Sendable {
    /// Types for the expanded `Any` form (`[type.googleapis.com/pkg.Msg] { … }`), looked up
    /// before the well-known and the shared ones.
    public var typeRegistry = TypeRegistry()
    /// Extensions read by name (`[pkg.ext]: 1`) into the message's unknown fields.
    public var extensions = ExtensionRegistry()

    public init(typeRegistry: TypeRegistry = TypeRegistry(), extensions: ExtensionRegistry = ExtensionRegistry()) {
        self.typeRegistry = typeRegistry
        self.extensions = extensions
    }
}

/// Reads messages from the protobuf text format: the `FieldDecoder` behind
/// `init(textFormatString:)`, and the reader the field codecs read their values from. Made only
/// by the runtime.
///
/// Accepts what the text format allows: `:` optional before a message, `{}` or `<>` around
/// one, `[a, b]` lists, `,` or `;` after a field, `#` comments, adjacent string literals joined,
/// integers in decimal, octal and hex, `inf`/`nan` in any case. A singular field given twice,
/// and two members of one oneof, are errors.
public struct TextFormatDecoder: FieldDecoder {
    var scanner: TextFormatScanner
    let options: TextFormatDecodingOptions

    init(_ buffer: UnsafeRawBufferPointer, options: TextFormatDecodingOptions) {
        self.scanner = TextFormatScanner(buffer)
        self.options = options
    }

    /// Reads the whole input as the fields of one message.
    mutating func decodeDocument<M: ProtoMessage>(into message: inout M) throws(TextFormatDecodingError) {
        try readFields(of: &message, close: nil)
    }

    // MARK: Messages

    /// Reads `{ fields }` or `< fields >`.
    mutating func readMessage<M: ProtoMessage>(_ message: inout M) throws(TextFormatDecodingError) {
        let close: UInt8
        if scanner.consume(UInt8(ascii: "{")) {
            close = UInt8(ascii: "}")
        } else if scanner.consume(UInt8(ascii: "<")) {
            close = UInt8(ascii: ">")
        } else {
            throw scanner.unexpected("expected '{' or '<'")
        }
        try scanner.descend()
        try readFields(of: &message, close: close)
        scanner.depth -= 1
    }

    /// Reads fields up to `close` (consumed), or to the end of the input when `close` is nil.
    mutating func readFields<M: ProtoMessage>(of message: inout M, close: UInt8?) throws(TextFormatDecodingError) {
        let schema = M.messageSchema
        guard !schema.isOpaque else {
            throw scanner.error(.unsupportedMessage, "\(schema.messageName) was generated without a field table; regenerate it to read the text format")
        }
        var seen = FieldSet(count: schema.fields.count)
        var seenOneofs = FieldSet(count: schema.oneofs.count)
        var sawExpandedAny = false
        while true {
            guard let next = scanner.peek() else {
                if let close { throw scanner.error(.truncated, "expected '\(Character(Unicode.Scalar(close)))', found the end of the input") }
                return
            }
            if next == close {
                scanner.cursor += 1
                return
            }
            let nameStart = scanner.cursor
            if next == UInt8(ascii: "[") {
                scanner.cursor += 1
                let name = try scanner.bracketedName()
                if schema.wellKnown == .any && name.contains("/") {
                    guard !sawExpandedAny, !seen.contains(0), !seen.contains(1) else {
                        throw scanner.error(.duplicateField, "an Any holds one message", at: nameStart)
                    }
                    sawExpandedAny = true
                    do {
                        try readExpandedAny(url: name, into: &message, at: nameStart)
                    } catch {
                        throw error.inside(.field("[\(name)]"))
                    }
                } else if let ext = options.extensions.extension(named: name, of: schema.messageName) {
                    _ = scanner.consume(UInt8(ascii: ":"))
                    do {
                        message.unknownFields.bytes += try ext.parseText(from: &self)
                    } catch {
                        throw error.inside(.field("[\(name)]"))
                    }
                } else {
                    throw scanner.error(.unknownExtension, "unknown extension [\(name)] in \(schema.messageName)", at: nameStart)
                }
                _ = scanner.consume(UInt8(ascii: ",")) || scanner.consume(UInt8(ascii: ";"))
                continue
            }
            guard let nameBytes = scanner.identifier() else { throw scanner.unexpected("expected a field name") }
            guard let index = schema.textNames.lookup(nameBytes.baseAddress, nameBytes.count) else {
                let name = String(decoding: nameBytes, as: UTF8.self)
                throw scanner.error(.unknownField, "\(schema.messageName) has no field \"\(name)\"", at: nameStart)
            }
            let field = schema.fields[index]
            let name = schema.textNamesByIndex[index]
            if !field.isRepeated && !field.isMap {
                guard seen.insert(index) else {
                    throw scanner.error(.duplicateField, "field \(name) is given twice", at: nameStart)
                }
                if schema.wellKnown == .any && sawExpandedAny {
                    throw scanner.error(.duplicateField, "an Any holds one message", at: nameStart)
                }
            }
            if let oneof = field.oneofIndex, !seenOneofs.insert(oneof) {
                throw scanner.error(.oneofConflict, "\(name) is a second member of oneof \(schema.oneofs[oneof])", at: nameStart)
            }
            // `:` before a value; optional before a message (or a list of them).
            let isMessage = field.type.messageType != nil || field.isMap
            if !scanner.consume(UInt8(ascii: ":")) && !isMessage {
                throw scanner.unexpected("expected ':' after \(name)")
            }
            do {
                try message.decodeField(field.number, from: &self)
            } catch {
                let e = error as? TextFormatDecodingError
                    ?? scanner.error(.unsupportedMessage, "decodeField threw \(error)")
                throw e.inside(.field(name))
            }
            _ = scanner.consume(UInt8(ascii: ",")) || scanner.consume(UInt8(ascii: ";"))
        }
    }

    /// `[type.googleapis.com/pkg.Msg] { fields }` inside an `Any`: the fields are read as that
    /// type and packed.
    private mutating func readExpandedAny<M: ProtoMessage>(url: String, into message: inout M, at start: UnsafeRawPointer) throws(TextFormatDecodingError) {
        guard let type = options.typeRegistry.messageType(forTypeURL: url) else {
            throw scanner.error(.unknownExtension, "Any holds \(url), a type that is not registered (TypeRegistry)", at: start)
        }
        _ = scanner.consume(UInt8(ascii: ":"))
        let bytes = try readPacked(type)
        message = sameType(Google_Protobuf_Any(typeUrl: url, value: Data(bytes)), as: M.self)
    }

    private mutating func readPacked<P: ProtoMessage>(_: P.Type) throws(TextFormatDecodingError) -> [UInt8] {
        var payload = P()
        try readMessage(&payload)
        return payload.writtenBytes()
    }

    // MARK: FieldDecoder

    public mutating func read<C: FieldCodec>(_ codec: C.Type) throws(TextFormatDecodingError) -> C.Value {
        try C.readText(from: &self)
    }

    /// One value, or a list `[a, b, …]` of them (`cursor.state`: 1 in a list, 2 after a single value).
    public mutating func nextElement<C: FieldCodec>(
        _ codec: C.Type, into element: inout C.Value, _ cursor: inout ListCursor
    ) throws(TextFormatDecodingError) -> Bool {
        switch cursor.state {
        case 0:
            if scanner.consume(UInt8(ascii: "[")) {
                if scanner.consume(UInt8(ascii: "]")) { return false }
                cursor.state = 1
            } else {
                element = try C.readText(from: &self)
                cursor.state = 2
                return true
            }
        case 1:
            if !scanner.consume(UInt8(ascii: ",")) {
                try scanner.expect(UInt8(ascii: "]"), "expected ',' or ']'")
                return false
            }
        default:
            return false
        }
        do {
            element = try C.readText(from: &self)
        } catch {
            throw error.inside(.index(cursor.index))
        }
        cursor.index &+= 1
        return true
    }

    /// One entry `{ key: … value: … }`, or a list of them; a missing key or value is the
    /// type's default.
    public mutating func nextEntry<K: FieldCodec, V: FieldCodec>(
        _ keyCodec: K.Type, _ valueCodec: V.Type, key: inout K.Value, value: inout V.Value, _ cursor: inout ListCursor
    ) throws(TextFormatDecodingError) -> Bool {
        switch cursor.state {
        case 0:
            if scanner.consume(UInt8(ascii: "[")) {
                if scanner.consume(UInt8(ascii: "]")) { return false }
                cursor.state = 1
            } else {
                try readMapEntry(K.self, V.self, key: &key, value: &value)
                cursor.state = 2
                return true
            }
        case 1:
            if !scanner.consume(UInt8(ascii: ",")) {
                try scanner.expect(UInt8(ascii: "]"), "expected ',' or ']'")
                return false
            }
        default:
            return false
        }
        do {
            try readMapEntry(K.self, V.self, key: &key, value: &value)
        } catch {
            throw error.inside(.index(cursor.index))
        }
        cursor.index &+= 1
        return true
    }

    private mutating func readMapEntry<K: FieldCodec, V: FieldCodec>(
        _: K.Type, _: V.Type, key: inout K.Value, value: inout V.Value
    ) throws(TextFormatDecodingError) {
        let close: UInt8
        if scanner.consume(UInt8(ascii: "{")) {
            close = UInt8(ascii: "}")
        } else if scanner.consume(UInt8(ascii: "<")) {
            close = UInt8(ascii: ">")
        } else {
            throw scanner.unexpected("expected '{' or '<' before a map entry")
        }
        try scanner.descend()
        var sawKey = false, sawValue = false
        key = K.defaultValue
        value = V.defaultValue
        while !scanner.consume(close) {
            let start = scanner.cursor
            guard let name = scanner.identifier() else { throw scanner.unexpected("expected key, value or '\(Character(Unicode.Scalar(close)))'") }
            let isKey = name.elementsEqual("key".utf8)
            guard isKey || name.elementsEqual("value".utf8) else {
                throw scanner.error(.unknownField, "a map entry has only key and value, not \(String(decoding: name, as: UTF8.self))", at: start)
            }
            guard !(isKey ? sawKey : sawValue) else {
                throw scanner.error(.duplicateField, "\(isKey ? "key" : "value") is given twice", at: start)
            }
            _ = scanner.consume(UInt8(ascii: ":"))
            do {
                if isKey {
                    key = try K.readText(from: &self)
                    sawKey = true
                } else {
                    value = try V.readText(from: &self)
                    sawValue = true
                }
            } catch {
                throw error.inside(.field(isKey ? "key" : "value"))
            }
            _ = scanner.consume(UInt8(ascii: ",")) || scanner.consume(UInt8(ascii: ";"))
        }
        scanner.depth -= 1
    }

    // MARK: Scalars

    /// An optional `-` (whitespace and comments may follow it); true when there was one.
    private mutating func sign() -> Bool {
        scanner.consume(UInt8(ascii: "-"))
    }

    /// A signed integer in `min ... max`: decimal, octal or hex, after an optional `-`.
    mutating func readInteger(min: Int64, max: Int64, _ what: String) throws(TextFormatDecodingError) -> Int64 {
        _ = scanner.peek()
        let start = scanner.cursor
        let negative = sign()
        guard scanner.atNumber() else { throw scanner.unexpected("expected \(what)") }
        let n = try scanner.number()
        guard case .integer(let magnitude, let overflow) = n.kind else {
            throw scanner.error(.invalidNumber, "expected \(what), found \(n.text)", at: start)
        }
        let value: Int64?
        if overflow {
            value = nil
        } else if negative {
            value = magnitude <= UInt64(Int64.max) ? -Int64(magnitude) : (magnitude == UInt64(Int64.max) + 1 ? Int64.min : nil)
        } else {
            value = magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
        }
        guard let value, value >= min, value <= max else {
            throw scanner.error(.invalidNumber, "\(negative ? "-" : "")\(n.text) is out of range for \(what)", at: start)
        }
        return value
    }

    /// An unsigned integer up to `max`; no `-`.
    mutating func readUnsigned(max: UInt64, _ what: String) throws(TextFormatDecodingError) -> UInt64 {
        _ = scanner.peek()
        let start = scanner.cursor
        if sign() { throw scanner.error(.invalidNumber, "expected \(what), found a negative number", at: start) }
        guard scanner.atNumber() else { throw scanner.unexpected("expected \(what)") }
        let n = try scanner.number()
        guard case .integer(let magnitude, let overflow) = n.kind else {
            throw scanner.error(.invalidNumber, "expected \(what), found \(n.text)", at: start)
        }
        guard !overflow, magnitude <= max else {
            throw scanner.error(.invalidNumber, "\(n.text) is out of range for \(what)", at: start)
        }
        return magnitude
    }

    mutating func readInt32() throws(TextFormatDecodingError) -> Int32 {
        Int32(truncatingIfNeeded: try readInteger(min: Int64(Int32.min), max: Int64(Int32.max), "a 32-bit integer"))
    }

    mutating func readInt64() throws(TextFormatDecodingError) -> Int64 {
        try readInteger(min: .min, max: .max, "a 64-bit integer")
    }

    mutating func readUInt32() throws(TextFormatDecodingError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readUnsigned(max: UInt64(UInt32.max), "an unsigned 32-bit integer"))
    }

    mutating func readUInt64() throws(TextFormatDecodingError) -> UInt64 {
        try readUnsigned(max: .max, "an unsigned 64-bit integer")
    }

    /// A floating-point value: any number literal (integers of any size too), or `inf`,
    /// `infinity`, `nan` in any case, after an optional `-`.
    mutating func readDouble() throws(TextFormatDecodingError) -> Double {
        _ = scanner.peek()
        let start = scanner.cursor
        let negative = sign()
        let magnitude: Double
        if let word = scanner.identifier() {
            switch String(decoding: word, as: UTF8.self).lowercased() {
            case "inf", "infinity": magnitude = .infinity
            case "nan": magnitude = .nan
            default:
                throw scanner.error(.invalidNumber, "expected a number, found \"\(String(decoding: word, as: UTF8.self))\"", at: start)
            }
        } else {
            guard scanner.atNumber() else { throw scanner.unexpected("expected a number") }
            let n = try scanner.number()
            switch n.kind {
            case .float(let text):
                magnitude = Double(text) ?? .infinity
            case .integer(let v, let overflow):
                if !overflow {
                    magnitude = Double(v)
                } else if n.isDecimal {
                    magnitude = Double(n.text) ?? .infinity
                } else {
                    throw scanner.error(.invalidNumber, "\(n.text) is out of range", at: start)
                }
            }
        }
        return negative ? -magnitude : magnitude
    }

    mutating func readFloat() throws(TextFormatDecodingError) -> Float {
        // Through a double, as the reference parser does: a value beyond the float range
        // becomes an infinity, one below it zero.
        Float(try readDouble())
    }

    /// `true`, `True`, `t`, `false`, `False`, `f`, or the integers 0 and 1.
    mutating func readBool() throws(TextFormatDecodingError) -> Bool {
        _ = scanner.peek()
        let start = scanner.cursor
        if let word = scanner.identifier() {
            switch String(decoding: word, as: UTF8.self) {
            case "true", "True", "t": return true
            case "false", "False", "f": return false
            default: throw scanner.error(.wrongType, "expected true or false, found \"\(String(decoding: word, as: UTF8.self))\"", at: start)
            }
        }
        guard scanner.atNumber() else { throw scanner.unexpected("expected true or false") }
        let n = try scanner.number()
        guard case .integer(let v, false) = n.kind, v <= 1 else {
            throw scanner.error(.wrongType, "expected true or false, found \(n.text)", at: start)
        }
        return v == 1
    }

    mutating func readString() throws(TextFormatDecodingError) -> String {
        _ = scanner.peek()
        let start = scanner.cursor
        let bytes = try scanner.stringLiterals()
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw scanner.error(.invalidString, "a string field's value must be UTF-8", at: start)
        }
        return s
    }

    mutating func readBytes() throws(TextFormatDecodingError) -> Data {
        Data(try scanner.stringLiterals())
    }

    /// An enum value by name or number.
    mutating func readEnum(_ schema: EnumSchema) throws(TextFormatDecodingError) -> Int32 {
        _ = scanner.peek()
        let start = scanner.cursor
        if let word = scanner.identifier() {
            guard let number = schema.number(named: word.baseAddress, word.count) else {
                throw scanner.error(
                    .unknownEnumValue, "\(schema.enumName) has no value \(String(decoding: word, as: UTF8.self))", at: start)
            }
            return number
        }
        let n = Int32(truncatingIfNeeded: try readInteger(min: Int64(Int32.min), max: Int64(Int32.max), "an enum name or number"))
        if schema.isClosed && schema.index(ofNumber: n) == nil {
            throw scanner.error(.unknownEnumValue, "\(schema.enumName) has no value \(n)", at: start)
        }
        return n
    }
}

@available(*, unavailable)
extension TextFormatDecoder: Sendable {}
