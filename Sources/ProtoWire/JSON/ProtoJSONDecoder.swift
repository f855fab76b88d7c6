#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads messages from the protobuf JSON mapping: the `FieldDecoder` that `init(jsonString:)`
/// and `init(jsonUTF8Bytes:)` pass to `decodeField(_:from:)`, and the reader the field codecs
/// read their values from. Made only by the runtime.
///
/// Object members are matched to fields by their JSON name or `.proto` name through the
/// schema's byte-keyed table (trying the field after the last one matched first, which is what
/// writers in field order produce), without making strings of the keys.
public struct ProtoJSONDecoder: FieldDecoder {
    var scanner: JSONScanner
    let options: JSONDecodingOptions
    /// While a map entry's key is read: the key's text, which the key codec reads instead of a value.
    var mapKey: String?

    init(_ buffer: UnsafeRawBufferPointer, options: JSONDecodingOptions) {
        self.scanner = JSONScanner(buffer)
        self.options = options
    }

    /// Reads a whole document holding one message.
    mutating func decodeDocument<M: ProtoMessage>(into message: inout M) throws(JSONDecodingError) {
        guard scanner.peek() != nil else { throw scanner.error(.truncated, "expected a JSON value, found no input") }
        try readMessage(&message)
        if scanner.peek() != nil { throw scanner.error(.trailingContent, "unexpected content after the JSON value") }
    }

    // MARK: Messages

    /// Reads one message value into `message`: an object of its fields, or its well-known type's
    /// own form.
    mutating func readMessage<M: ProtoMessage>(_ message: inout M) throws(JSONDecodingError) {
        let schema = M.messageSchema
        if let wellKnown = schema.wellKnown {
            try readWellKnown(wellKnown, &message)
            return
        }
        guard !schema.isOpaque else {
            throw scanner.error(.unsupportedMessage, "\(schema.messageName) was generated without a field table; regenerate it to read JSON")
        }
        guard scanner.peek() == UInt8(ascii: "{") else { throw wrongType("expected an object for \(schema.messageName)") }
        guard try scanner.enterObject() else { return }
        try readMembers(of: &message, schema: schema, skipTypeKey: false)
    }

    /// Consumes `{`, or throws naming what the value was instead.
    mutating func enterObject(for what: String) throws(JSONDecodingError) -> Bool {
        guard scanner.peek() == UInt8(ascii: "{") else { throw wrongType("expected an object for \(what)") }
        return try scanner.enterObject()
    }

    /// An error for a value of the wrong JSON type at the cursor (or a syntax error if it is no
    /// value at all).
    func wrongType(_ expected: String) -> JSONDecodingError {
        var s = scanner
        guard let b = s.peek() else { return scanner.error(.truncated, "\(expected), found the end of the input") }
        let found: String
        switch b {
        case UInt8(ascii: "{"): found = "an object"
        case UInt8(ascii: "["): found = "an array"
        case UInt8(ascii: "\""): found = "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): found = s.bool() != nil ? "a boolean" : ""
        case UInt8(ascii: "n"): found = s.consumeNull() ? "null" : ""
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): found = "a number"
        default: found = ""
        }
        if found.isEmpty { return s.error(.syntax, "\(expected), found \(describeByte(b))") }
        if found == "null" { return s.error(.nullNotAllowed, "\(expected), found null", at: s.cursor - 4) }
        return s.error(.wrongType, "\(expected), found \(found)")
    }

    /// Reads the members of an object already entered (and not empty) into `message`.
    /// `skipTypeKey`: the object is an `Any`'s, whose `@type` member is not a field.
    mutating func readMembers<M: ProtoMessage>(
        of message: inout M, schema: MessageSchema, skipTypeKey: Bool
    ) throws(JSONDecodingError) {
        let fieldCount = schema.fieldCount
        let oneofCount = schema.oneofCount
        var seen = FieldSet(count: fieldCount)
        var seenOneofs = FieldSet(count: oneofCount)
        var oneofMembers = [Int](repeating: -1, count: 0)
        var expected = 0
        repeat {
            _ = scanner.peek()
            let keyStart = scanner.cursor
            let found: Int?
            var unknownName: String?
            if expected < fieldCount, scanner.consumeKey(schema.jsonNameBytes[expected]) {
                // The field after the last one, as writers in field order write it.
                found = expected
            } else {
                (found, unknownName) = try scanner.readString { bytes, _ throws(JSONDecodingError) -> (Int?, String?) in
                    if let i = schema.jsonNames.lookup(bytes.baseAddress, bytes.count) { return (i, nil) }
                    return (nil, String(decoding: bytes, as: UTF8.self))
                }
            }
            try scanner.expectColon()
            guard let index = found else {
                let name = unknownName ?? ""
                if name.hasPrefix("["), name.hasSuffix("]"),
                   let ext = options.extensions.extension(named: String(name.dropFirst().dropLast()), of: schema.messageName) {
                    message.unknownFields.bytes += try ext.parseJSON(from: &self)
                    continue
                }
                if (skipTypeKey && name == "@type") || options.ignoreUnknownFields {
                    try scanner.skipValue()
                    continue
                }
                throw JSONDecodingError(.unknownField, message: "\(schema.messageName) has no field \"\(name)\"", offset: keyStart - scanner.base)
                    .inside(.member(name))
            }
            expected = index + 1
            if !seen.insert(index) {
                let field = schema.fields[index]
                throw JSONDecodingError(.duplicateField, message: "field \(field.name) appears twice", offset: keyStart - scanner.base)
                    .inside(.member(field.jsonName))
            }
            if !schema.acceptsJSONNull[index] && scanner.consumeNull() { continue }
            let oneof = schema.oneofOf[index]
            if oneof >= 0 {
                if oneofMembers.isEmpty { oneofMembers = [Int](repeating: -1, count: oneofCount) }
                if !seenOneofs.insert(oneof) {
                    let field = schema.fields[index]
                    let other = schema.fields[oneofMembers[oneof]].name
                    throw JSONDecodingError(
                        .oneofConflict, message: "\(field.name) and \(other) are both members of oneof \(schema.oneofs[oneof])",
                        offset: keyStart - scanner.base
                    ).inside(.member(field.jsonName))
                }
                oneofMembers[oneof] = index
            }
            do {
                try message.decodeField(schema.numbers[index], from: &self)
            } catch {
                let e = JSONDecodingError.from(error, offset: scanner.offset)
                if e.code == .skippedEnumValue { continue }
                throw e.inside(.member(schema.fields[index].jsonName))
            }
        } while try scanner.nextMember()
    }

    // MARK: FieldDecoder

    public mutating func read<C: FieldCodec>(_ codec: C.Type) throws(JSONDecodingError) -> C.Value {
        try C.readJSON(from: &self)
    }

    public mutating func nextElement<C: FieldCodec>(
        _ codec: C.Type, into element: inout C.Value, _ cursor: inout ListCursor
    ) throws(JSONDecodingError) -> Bool {
        while true {
            if cursor.state == 0 {
                guard scanner.peek() == UInt8(ascii: "[") else { throw wrongType("expected an array") }
                guard try scanner.enterArray() else { return false }
                cursor.state = 1
            } else if !(try scanner.nextElement()) {
                return false
            }
            do {
                try C.readJSON(from: &self, into: &element)
                cursor.index &+= 1
                return true
            } catch {
                // A skipped enum value: on to the next element.
                if error.code != .skippedEnumValue { throw error.inside(.index(cursor.index)) }
                cursor.index &+= 1
            }
        }
    }

    public mutating func nextEntry<K: FieldCodec, V: FieldCodec>(
        _ keyCodec: K.Type, _ valueCodec: V.Type, key: inout K.Value, value: inout V.Value, _ cursor: inout ListCursor
    ) throws(JSONDecodingError) -> Bool {
        while true {
            if cursor.state == 0 {
                guard try enterObject(for: "a map") else { return false }
                cursor.state = 1
            } else if !(try scanner.nextMember()) {
                return false
            }
            guard scanner.peek() == UInt8(ascii: "\"") else { throw scanner.unexpected("expected a map key in quotes") }
            let keyOffset = scanner.offset
            let keyText = try scanner.string()
            try scanner.expectColon()
            mapKey = keyText
            do {
                key = try K.readJSON(from: &self)
                mapKey = nil
            } catch {
                mapKey = nil
                var e = error
                e.offset = keyOffset
                if e.code != .recursionLimitExceeded { e.code = .invalidMapKey }
                throw e.inside(.key(keyText))
            }
            do {
                value = try V.readJSON(from: &self)
                return true
            } catch {
                // A skipped enum value drops the entry.
                if error.code != .skippedEnumValue { throw error.inside(.key(keyText)) }
            }
        }
    }

    // MARK: Scalars

    /// Runs `convert` on the number at the cursor: a JSON number, a string holding one, or the
    /// map key being read.
    private mutating func withNumber<T>(
        _ what: String, _ convert: (DecimalNumber) throws(JSONDecodingError) -> T
    ) throws(JSONDecodingError) -> T {
        if var key = mapKey {
            let offset = scanner.offset
            let result: Result<T, JSONDecodingError> = key.withUTF8 { utf8 in
                let bytes = UnsafeRawBufferPointer(utf8)
                guard let start = bytes.baseAddress, let (n, stop) = JSONScanner.parseNumber(start, start + bytes.count),
                      stop == start + bytes.count
                else {
                    return .failure(JSONDecodingError(.invalidMapKey, message: "\(String(reflecting: String(decoding: bytes, as: UTF8.self))) is not \(what)", offset: offset))
                }
                do throws(JSONDecodingError) {
                    return .success(try convert(n))
                } catch {
                    return .failure(error)
                }
            }
            return try result.get()
        }
        switch scanner.peek() {
        case UInt8(ascii: "\""):
            let start = scanner.offset
            return try scanner.readString { bytes, _ throws(JSONDecodingError) -> T in
                guard let base = bytes.baseAddress, let (n, stop) = JSONScanner.parseNumber(base, base + bytes.count),
                      stop == base + bytes.count
                else {
                    throw JSONDecodingError(
                        .invalidNumber, message: "\(String(reflecting: String(decoding: bytes, as: UTF8.self))) is not \(what)",
                        offset: start)
                }
                return try convert(n)
            }
        case let b? where b == UInt8(ascii: "-") || isDigit(b):
            return try convert(try scanner.number())
        default:
            throw wrongType("expected \(what)")
        }
    }

    /// An integer in `min ... max`, as a number or a string, exponents allowed when the value is whole.
    mutating func readInteger(min: Int64, max: Int64, _ what: String) throws(JSONDecodingError) -> Int64 {
        _ = scanner.peek()
        let start = scanner.offset
        if mapKey == nil, let (negative, magnitude) = scanner.plainInteger() ?? scanner.plainQuotedInteger() {
            // In range: -max … max, or exactly Int64.min.
            if magnitude <= UInt64(Int64.max) {
                let v = negative ? -Int64(magnitude) : Int64(magnitude)
                if v >= min && v <= max { return v }
            } else if negative && magnitude == Int64.min.magnitude && min == Int64.min {
                return Int64.min
            }
            throw JSONDecodingError(
                .numberOutOfRange, message: "\(negative ? "-" : "")\(magnitude) is out of range for \(what)", offset: start)
        }
        return try withNumber(what) { n throws(JSONDecodingError) -> Int64 in
            let v: Int64
            do throws(DecimalNumber.IntegerProblem) {
                v = try n.int64()
            } catch .notInteger {
                throw JSONDecodingError(.invalidNumber, message: "\(String(decoding: n.text, as: UTF8.self)) is not an integer", offset: start)
            } catch {
                throw JSONDecodingError(.numberOutOfRange, message: "\(String(decoding: n.text, as: UTF8.self)) is out of range for \(what)", offset: start)
            }
            guard v >= min && v <= max else {
                throw JSONDecodingError(.numberOutOfRange, message: "\(v) is out of range for \(what)", offset: start)
            }
            return v
        }
    }

    /// An unsigned integer up to `max`.
    mutating func readUnsigned(max: UInt64, _ what: String) throws(JSONDecodingError) -> UInt64 {
        _ = scanner.peek()
        let start = scanner.offset
        if mapKey == nil, let (negative, magnitude) = scanner.plainInteger() ?? scanner.plainQuotedInteger() {
            guard magnitude <= max, !negative || magnitude == 0 else {
                throw JSONDecodingError(
                    .numberOutOfRange, message: "\(negative ? "-" : "")\(magnitude) is out of range for \(what)", offset: start)
            }
            return magnitude
        }
        return try withNumber(what) { n throws(JSONDecodingError) -> UInt64 in
            let v: UInt64
            do throws(DecimalNumber.IntegerProblem) {
                v = try n.uint64()
            } catch .notInteger {
                throw JSONDecodingError(.invalidNumber, message: "\(String(decoding: n.text, as: UTF8.self)) is not an integer", offset: start)
            } catch {
                throw JSONDecodingError(.numberOutOfRange, message: "\(String(decoding: n.text, as: UTF8.self)) is out of range for \(what)", offset: start)
            }
            guard v <= max else {
                throw JSONDecodingError(.numberOutOfRange, message: "\(v) is out of range for \(what)", offset: start)
            }
            return v
        }
    }

    mutating func readInt32() throws(JSONDecodingError) -> Int32 {
        Int32(truncatingIfNeeded: try readInteger(min: Int64(Int32.min), max: Int64(Int32.max), "a 32-bit integer"))
    }

    mutating func readInt64() throws(JSONDecodingError) -> Int64 {
        try readInteger(min: .min, max: .max, "a 64-bit integer")
    }

    mutating func readUInt32() throws(JSONDecodingError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readUnsigned(max: UInt64(UInt32.max), "an unsigned 32-bit integer"))
    }

    mutating func readUInt64() throws(JSONDecodingError) -> UInt64 {
        try readUnsigned(max: .max, "an unsigned 64-bit integer")
    }

    /// A double: a number, or a string holding a number, `"NaN"`, `"Infinity"` or `"-Infinity"`.
    mutating func readDouble() throws(JSONDecodingError) -> Double {
        _ = scanner.peek()
        let start = scanner.offset
        if let d = scanner.plainDouble() { return d }
        if scanner.peek() == UInt8(ascii: "\"") {
            let special: Double? = try scanner.readString { bytes, _ throws(JSONDecodingError) -> Double? in
                switch String(decoding: bytes, as: UTF8.self) {
                case "NaN": return .nan
                case "Infinity": return .infinity
                case "-Infinity": return -.infinity
                default: return nil
                }
            }
            if let special { return special }
            scanner.cursor = scanner.base + start
        }
        let v = try withNumber("a number") { n throws(JSONDecodingError) in n.double() }
        guard v.isFinite else {
            throw JSONDecodingError(.numberOutOfRange, message: "number out of range for a double", offset: start)
        }
        return v
    }

    mutating func readFloat() throws(JSONDecodingError) -> Float {
        _ = scanner.peek()
        let start = scanner.offset
        let d = try readDouble()
        // Values above the largest float that still round to it (`3.4028235e+38`, the largest
        // float's shortest form) are the largest float; beyond them, out of range.
        let f = Float(d)
        if d.isFinite && f.isInfinite {
            throw JSONDecodingError(.numberOutOfRange, message: "\(d) is out of range for a float", offset: start)
        }
        return f
    }

    /// `true` or `false`; as a map key, `"true"` or `"false"`.
    mutating func readBool() throws(JSONDecodingError) -> Bool {
        if let key = mapKey {
            switch key {
            case "true": return true
            case "false": return false
            default: throw scanner.error(.invalidMapKey, "\(String(reflecting: key)) is not a boolean")
            }
        }
        if let b = scanner.bool() { return b }
        throw wrongType("expected true or false")
    }

    mutating func readString() throws(JSONDecodingError) -> String {
        if let key = mapKey { return key }
        guard scanner.peek() == UInt8(ascii: "\"") else { throw wrongType("expected a string") }
        return try scanner.string()
    }

    /// Base64 in either alphabet, padded or not.
    mutating func readBytes() throws(JSONDecodingError) -> Data {
        guard scanner.peek() == UInt8(ascii: "\"") else { throw wrongType("expected a base64 string") }
        let start = scanner.offset
        return try scanner.readString { bytes, _ throws(JSONDecodingError) -> Data in
            guard let decoded = Base64.decode(bytes) else {
                throw JSONDecodingError(.invalidBase64, message: "not base64", offset: start)
            }
            return decoded
        }
    }

    /// An enum value: its name, or its number. Unknown names (and numbers a closed enum does not
    /// declare) throw, or with `ignoreUnknownFields` make the caller skip the value.
    mutating func readEnum(_ schema: EnumSchema, isNullValue: Bool) throws(JSONDecodingError) -> Int32 {
        _ = scanner.peek()
        let start = scanner.offset
        if isNullValue && scanner.consumeNull() { return 0 }
        switch scanner.peek() {
        case UInt8(ascii: "\""):
            let number: Int32? = try scanner.readString { bytes, _ throws(JSONDecodingError) -> Int32? in
                schema.number(named: bytes.baseAddress, bytes.count)
            }
            if let number { return number }
            if options.ignoreUnknownFields { throw JSONDecodingError(.skippedEnumValue, offset: start) }
            scanner.cursor = scanner.base + start
            let name = try scanner.string()
            throw JSONDecodingError(.unknownEnumValue, message: "\(schema.enumName) has no value \(String(reflecting: name))", offset: start)
        case let b? where b == UInt8(ascii: "-") || isDigit(b):
            let n = Int32(truncatingIfNeeded: try readInteger(min: Int64(Int32.min), max: Int64(Int32.max), "an enum number"))
            if schema.isClosed && schema.index(ofNumber: n) == nil {
                if options.ignoreUnknownFields { throw JSONDecodingError(.skippedEnumValue, offset: start) }
                throw JSONDecodingError(.unknownEnumValue, message: "\(schema.enumName) has no value \(n)", offset: start)
            }
            return n
        default:
            throw wrongType("expected an enum name or number")
        }
    }
}

@available(*, unavailable)
extension ProtoJSONDecoder: Sendable {}

extension JSONDecodingError.Code {
    /// Not a failure: an unknown enum value met with `ignoreUnknownFields`, which makes the
    /// field, element or entry holding it be skipped. Never leaves the decoder.
    static let skippedEnumValue = JSONDecodingError.Code("unknown enum value skipped")
}

/// Which of a message's fields (or oneofs) a decoder has seen: bits in two words for up to
/// 128, an array beyond (made only then).
struct FieldSet {
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    private var more: [UInt64]?

    init(count: Int) {
        if count > 128 { more = [UInt64](repeating: 0, count: (count - 128 + 63) / 64) }
    }

    /// Whether `index` is in the set.
    func contains(_ index: Int) -> Bool {
        if index < 64 { return low & (1 << UInt64(index)) != 0 }
        if index < 128 { return high & (1 << UInt64(index - 64)) != 0 }
        return more![(index - 128) / 64] & (1 << UInt64((index - 128) % 64)) != 0
    }

    /// Adds `index`; false when it was there already.
    @inline(__always)
    mutating func insert(_ index: Int) -> Bool {
        if index < 64 {
            let bit: UInt64 = 1 << UInt64(index)
            if low & bit != 0 { return false }
            low |= bit
            return true
        }
        if index < 128 {
            let bit: UInt64 = 1 << UInt64(index - 64)
            if high & bit != 0 { return false }
            high |= bit
            return true
        }
        let i = (index - 128) / 64, bit: UInt64 = 1 << UInt64((index - 128) % 64)
        if more![i] & bit != 0 { return false }
        more![i] |= bit
        return true
    }
}
