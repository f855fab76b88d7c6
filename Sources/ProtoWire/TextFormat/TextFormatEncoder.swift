#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How a message is printed in the text format.
public struct TextFormatEncodingOptions: Sendable {
    /// Print the fields a message kept without knowing them, by number (`5: 150`,
    /// `7: "bytes"`, `9 { 1: 2 }`).
    public var printUnknownFields = true
    /// Types for `google.protobuf.Any`: an `Any` whose type is found is printed in the expanded
    /// form (`[type.googleapis.com/pkg.Msg] { … }`), others as their `type_url` and `value`.
    public var typeRegistry = TypeRegistry()
    /// Extensions printed by name (`[pkg.ext]: 1`) rather than by number among the unknown fields.
    public var extensions = ExtensionRegistry()

    public init(printUnknownFields: Bool = true, typeRegistry: TypeRegistry = TypeRegistry(), extensions: ExtensionRegistry = ExtensionRegistry()) {
        self.printUnknownFields = printUnknownFields
        self.typeRegistry = typeRegistry
        self.extensions = extensions
    }
}

/// Prints messages in the protobuf text format: the `FieldVisitor` behind `textFormatString()`
/// and `description`, and the printer the field codecs write their values to. Made only by the
/// runtime.
///
/// One field per line, two spaces of indent per level, fields in number order, map entries in
/// key order, `Any` expanded when its type is known, unknown fields by number.
public struct TextFormatEncoder: FieldVisitor {
    var out: OutputBuffer
    let options: TextFormatEncodingOptions
    /// The schema of the message being printed; see `ProtoJSONEncoder.schema`.
    unowned(unsafe) var schema: MessageSchema
    var indent = 0
    /// The number of the repeated field or map being printed.
    var listNumber = 0

    init(options: TextFormatEncodingOptions, capacity: Int) {
        self.out = OutputBuffer(capacity: capacity)
        self.options = options
        self.schema = Google_Protobuf_Empty.messageSchema
    }

    // MARK: Messages

    /// Prints the fields of `message`, one per line, at the current indent.
    mutating func writeFields<M: ProtoMessage>(of message: M) {
        let schema = M.messageSchema
        if schema.wellKnown == .any, writeExpandedAny(sameType(message, as: Google_Protobuf_Any.self)) { return }
        let outer = (self.schema, listNumber)
        self.schema = schema
        // The printer never throws; a hand-written `visitFields` that does ends the message there.
        try? message.visitFields(&self)
        (self.schema, listNumber) = outer
    }

    /// ` {`, the fields one level deeper, and `}` on a line of its own.
    mutating func writeMessage<M: ProtoMessage>(_ message: M) {
        out.append(" {\n")
        indent += 1
        writeFields(of: message)
        indent -= 1
        writeIndent()
        out.append(UInt8(ascii: "}"))
    }

    /// `[type.googleapis.com/pkg.Msg] { … }` for an `Any` whose type is known and whose value
    /// decodes; false (nothing printed) otherwise. A type URL without a `/` is not printed so:
    /// the bracketed name would read back as an extension's, so parsers refuse it.
    mutating func writeExpandedAny(_ any: Google_Protobuf_Any) -> Bool {
        guard any.typeUrl.utf8.contains(UInt8(ascii: "/")), let type = options.typeRegistry.messageType(forTypeURL: any.typeUrl) else { return false }
        return writeExpandedAny(type, any)
    }

    private mutating func writeExpandedAny<P: ProtoMessage>(_: P.Type, _ any: Google_Protobuf_Any) -> Bool {
        guard let payload = try? P(serializedData: any.value) else { return false }
        writeIndent()
        out.append(UInt8(ascii: "["))
        out.append(any.typeUrl)
        out.append(UInt8(ascii: "]"))
        writeMessage(payload)
        out.append(UInt8(ascii: "\n"))
        return true
    }

    @inline(__always)
    mutating func writeIndent() {
        out.append(repeating: 0x20, count: indent * 2)
    }

    /// The indent and name of field `number`.
    mutating func writeName(_ number: Int) {
        writeIndent()
        if let index = schema.index(ofNumber: number) {
            out.append(schema.textNamesByIndex[index])
        } else {
            out.appendDecimal(UInt64(truncatingIfNeeded: number))
        }
    }

    // MARK: FieldVisitor

    public mutating func implicit<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ value: C.Value) {
        if C.isDefault(value) { return }
        field(codec, number, value)
    }

    public mutating func field<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ value: C.Value) {
        writeName(number)
        C.writeText(value, to: &self)
        out.append(UInt8(ascii: "\n"))
    }

    public mutating func beginList<C: FieldCodec>(_ codec: C.Type, _ number: Int, count: Int) -> Bool {
        listNumber = number
        return count > 0
    }

    /// Each value on a line of its own, as a field.
    public mutating func listElement<C: FieldCodec>(_ codec: C.Type, _ value: C.Value) {
        writeName(listNumber)
        C.writeText(value, to: &self)
        out.append(UInt8(ascii: "\n"))
    }

    public mutating func endList<C: FieldCodec>(_ codec: C.Type) {}

    public mutating func beginMap<K: FieldCodec, V: FieldCodec>(_ key: K.Type, _ value: V.Type, _ number: Int, count: Int) -> Bool {
        listNumber = number
        return count > 0
    }

    /// `name {`, `key: …`, `value: …`, `}`.
    public mutating func mapEntry<K: FieldCodec, V: FieldCodec>(_ key: K.Type, _ value: V.Type, _ k: K.Value, _ v: V.Value) {
        writeName(listNumber)
        out.append(" {\n")
        indent += 1
        writeIndent()
        out.append("key")
        K.writeText(k, to: &self)
        out.append(UInt8(ascii: "\n"))
        writeIndent()
        out.append("value")
        V.writeText(v, to: &self)
        out.append(UInt8(ascii: "\n"))
        indent -= 1
        writeIndent()
        out.append("}\n")
    }

    public mutating func endMap<K: FieldCodec, V: FieldCodec>(_ key: K.Type, _ value: V.Type) {}

    public mutating func unknown(_ fields: UnknownFields) {
        guard !fields.isEmpty else { return }
        let rest = options.extensions.isEmpty ? fields.bytes : writeRegisteredExtensions(fields)
        guard options.printUnknownFields else { return }
        rest.withUnsafeBytes { writeUnknown($0, depth: 0) }
    }

    /// Prints wire bytes field by field, by number: varints in decimal, fixed-width values in hex,
    /// length-delimited values as a nested message when they parse as one, else as a string;
    /// groups nested. Stops quietly at bytes that are not wire format.
    mutating func writeUnknown(_ bytes: UnsafeRawBufferPointer, depth: Int) {
        var reader = WireReader(bytes)
        while !reader.isAtEnd {
            guard let (number, value) = try? UnknownFieldValue.read(&reader, depth: depth) else { return }
            writeIndent()
            out.appendDecimal(UInt64(number))
            switch value {
            case .varint(let v):
                out.append(": ")
                out.appendDecimal(v)
            case .fixed32(let v):
                out.append(": 0x")
                appendHex(UInt64(v), digits: 8)
            case .fixed64(let v):
                out.append(": 0x")
                appendHex(v, digits: 16)
            case .lengthDelimited(let payload):
                if !payload.isEmpty, depth < WireReader.recursionLimit, UnknownFieldValue.isMessage(payload, depth: depth + 1) {
                    out.append(" {\n")
                    indent += 1
                    writeUnknown(payload, depth: depth + 1)
                    indent -= 1
                    writeIndent()
                    out.append(UInt8(ascii: "}"))
                } else {
                    out.append(": ")
                    appendQuoted(payload, utf8: false)
                }
            case .group(let payload):
                out.append(" {\n")
                indent += 1
                writeUnknown(payload, depth: depth + 1)
                indent -= 1
                writeIndent()
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "\n"))
        }
    }

    private mutating func appendHex(_ v: UInt64, digits: Int) {
        out.write(upTo: digits) { p in
            for i in 0..<digits { p[i] = hexDigit(UInt8(truncatingIfNeeded: v >> UInt64(4 * (digits - 1 - i))) & 15) }
            return digits
        }
    }

    // MARK: Values

    /// `: ` before a scalar value.
    @inline(__always)
    mutating func separator() {
        out.append(UInt8(ascii: ":"), UInt8(ascii: " "))
    }

    mutating func writeInt(_ value: Int64) {
        separator()
        out.appendDecimal(value)
    }

    mutating func writeUInt(_ value: UInt64) {
        separator()
        out.appendDecimal(value)
    }

    mutating func writeBool(_ value: Bool) {
        separator()
        out.append(value ? "true" : "false")
    }

    mutating func writeDouble(_ value: Double) {
        separator()
        if value.isFinite {
            out.appendShortest(value)
        } else {
            out.append(value.isNaN ? "nan" : value < 0 ? "-inf" : "inf")
        }
    }

    mutating func writeFloat(_ value: Float) {
        separator()
        if value.isFinite {
            out.appendShortest(value)
        } else {
            out.append(value.isNaN ? "nan" : value < 0 ? "-inf" : "inf")
        }
    }

    mutating func writeString(_ value: String) {
        separator()
        var s = value
        s.withUTF8 { appendQuoted(UnsafeRawBufferPointer($0), utf8: true) }
    }

    mutating func writeBytes(_ value: Data) {
        separator()
        value.withUnsafeBytes { appendQuoted($0, utf8: false) }
    }

    mutating func writeEnum(_ schema: EnumSchema, _ number: Int32) {
        separator()
        if let name = schema.name(of: number) {
            out.append(name)
        } else {
            out.appendDecimal(Int64(number))
        }
    }

    /// A double-quoted literal: `"`, `'`, `\` and the usual control characters escaped as in C,
    /// other control bytes (and, for bytes, every byte from 0x7F) as three-digit octal. A
    /// string's UTF-8 is printed as it is.
    mutating func appendQuoted(_ bytes: UnsafeRawBufferPointer, utf8: Bool) {
        out.append(UInt8(ascii: "\""))
        for b in bytes {
            switch b {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\"), UInt8(ascii: "\""))
            case UInt8(ascii: "'"): out.append(UInt8(ascii: "\\"), UInt8(ascii: "'"))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"), UInt8(ascii: "\\"))
            case 0x0A: out.append(UInt8(ascii: "\\"), UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\"), UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\"), UInt8(ascii: "t"))
            default:
                if b < 0x20 || b == 0x7F || (b >= 0x80 && !utf8) {
                    out.append(UInt8(ascii: "\\"))
                    out.append(48 + (b >> 6), 48 + (b >> 3 & 7))
                    out.append(48 + (b & 7))
                } else {
                    out.append(b)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

@available(*, unavailable)
extension TextFormatEncoder: Sendable {}

/// One field read from wire bytes without a schema, for printing unknown fields.
enum UnknownFieldValue {
    case varint(UInt64)
    case fixed32(UInt32)
    case fixed64(UInt64)
    case lengthDelimited(UnsafeRawBufferPointer)
    case group(UnsafeRawBufferPointer)

    /// Reads one field; throws at bytes that are not wire format.
    static func read(_ reader: inout WireReader, depth: Int) throws(WireDecodingError) -> (Int, UnknownFieldValue) {
        guard let tag = try reader.nextTag() else { throw WireDecodingError(.truncated, fieldNumber: 0, offset: reader.offset) }
        switch tag.wireType {
        case .varint: return (tag.fieldNumber, .varint(try reader.readVarint()))
        case .fixed32: return (tag.fieldNumber, .fixed32(try reader.readFixed32()))
        case .fixed64: return (tag.fieldNumber, .fixed64(try reader.readFixed64()))
        case .lengthDelimited:
            return (tag.fieldNumber, .lengthDelimited(try reader.readLengthDelimited { $0 }))
        case .startGroup:
            guard depth < WireReader.recursionLimit else { throw WireDecodingError(.recursionLimitExceeded, fieldNumber: tag.fieldNumber, offset: reader.offset) }
            let start = reader.cursor
            while true {
                guard !reader.isAtEnd else { throw WireDecodingError(.truncated, fieldNumber: tag.fieldNumber, offset: reader.offset) }
                let before = reader.cursor
                let inner = try reader.readTag()
                if inner.wireType == .endGroup {
                    guard inner.fieldNumber == tag.fieldNumber else {
                        throw WireDecodingError(.unmatchedEndGroup, fieldNumber: inner.fieldNumber, offset: reader.offset)
                    }
                    // The group's body, without its end-group tag.
                    return (tag.fieldNumber, .group(UnsafeRawBufferPointer(start: start, count: before - start)))
                }
                try reader.skipValue(inner)
            }
        case .endGroup:
            throw WireDecodingError(.unmatchedEndGroup, fieldNumber: tag.fieldNumber, offset: reader.offset)
        }
    }

    /// Whether `bytes` are a sequence of whole, valid fields (so they print as a message).
    static func isMessage(_ bytes: UnsafeRawBufferPointer, depth: Int) -> Bool {
        var reader = WireReader(bytes)
        while !reader.isAtEnd {
            guard (try? read(&reader, depth: depth)) != nil else { return false }
        }
        return true
    }
}
