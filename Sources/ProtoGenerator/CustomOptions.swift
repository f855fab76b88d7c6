// Custom options (`option (my.option) = …;`, `[(my.field_option) = …]`) as the generator receives
// them: extension fields of a `google.protobuf.*Options` message, which the plugin's own
// descriptor types do not declare and so keep as unknown-field bytes. The generator reads them
// by field number without a wire runtime: it depends on nothing.

/// The custom options set on one element: the wire bytes of the extension fields of its
/// `*Options` message, in the order protoc wrote them.
public struct CustomOptions: Sendable, Hashable {
    /// One option field as it arrived.
    public enum Value: Sendable, Hashable {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        /// A string, bytes, message or packed value, without its length prefix.
        case lengthDelimited([UInt8])
    }

    /// The raw bytes, tags included.
    public var bytes: [UInt8]

    /// Options from the unknown-field bytes of an `*Options` message.
    public init(bytes: [UInt8] = []) { self.bytes = bytes }

    /// True when the element sets no custom option.
    public var isEmpty: Bool { bytes.isEmpty }

    /// Every field in `bytes` by number, in order; nil when the bytes do not parse (protoc never
    /// sends such), or hold a group.
    public var fields: [(number: Int, value: Value)]? {
        var out: [(Int, Value)] = []
        var i = 0
        func varint() -> UInt64? {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.count, shift < 64 {
                let byte = bytes[i]
                i += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return result }
                shift += 7
            }
            return nil
        }
        func fixed(_ n: Int) -> UInt64? {
            guard bytes.count - i >= n else { return nil }
            var v: UInt64 = 0
            for k in 0..<n { v |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
            i += n
            return v
        }
        while i < bytes.count {
            guard let tag = varint(), tag >> 3 > 0 else { return nil }
            let number = Int(tag >> 3)
            switch tag & 7 {
            case 0:
                guard let v = varint() else { return nil }
                out.append((number, .varint(v)))
            case 1:
                guard let v = fixed(8) else { return nil }
                out.append((number, .fixed64(v)))
            case 5:
                guard let v = fixed(4) else { return nil }
                out.append((number, .fixed32(UInt32(v))))
            case 2:
                guard let n = varint(), n <= UInt64(bytes.count - i) else { return nil }
                out.append((number, .lengthDelimited(Array(bytes[i..<i + Int(n)]))))
                i += Int(n)
            default:
                return nil
            }
        }
        return out
    }

    /// The values of option field `number`, in order (several for a repeated option).
    public func values(_ number: Int) -> [Value] {
        (fields ?? []).filter { $0.number == number }.map(\.value)
    }

    /// The last value of a scalar option of a varint type (integers, `bool`, enums), as protoc
    /// would read it.
    public func varint(_ number: Int) -> UInt64? {
        values(number).reversed().lazy.compactMap { if case .varint(let v) = $0 { v } else { nil } }.first
    }

    /// The last value of a `string` option.
    public func string(_ number: Int) -> String? {
        values(number).reversed().lazy.compactMap {
            if case .lengthDelimited(let b) = $0 { String(decoding: b, as: UTF8.self) } else { nil }
        }.first
    }

    /// The bytes of a message-typed option, every occurrence concatenated, which is how protobuf
    /// merges a message that arrives in parts.
    public func message(_ number: Int) -> CustomOptions? {
        let parts = values(number).compactMap { if case .lengthDelimited(let b) = $0 { b } else { nil } }
        return parts.isEmpty ? nil : CustomOptions(bytes: parts.flatMap { $0 })
    }
}
