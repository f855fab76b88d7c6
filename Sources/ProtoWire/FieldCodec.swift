#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How one protobuf field type is laid out on the wire.
///
/// Generated code names a codec for every field (`ProtoInt32`, `ProtoSInt64`,
/// `ProtoString`, `MessageCodec<T>`, …) and hands it to the generic helpers on
/// `WireWriter`, `WireSize` and `WireReader`, which handle singular, repeated,
/// packed and map fields alike. Everything is `@inlinable`, so the generic
/// helpers specialise into straight-line code in the generated module.
public protocol FieldCodec {
    associatedtype Value: Hashable & Sendable
    /// The wire type of a single value.
    static var wireType: WireType { get }
    /// The value an implicit-presence field is left out for.
    static var defaultValue: Value { get }
    /// True when `value` is the default, so an implicit-presence field is not written.
    static func isDefault(_ value: Value) -> Bool
    /// Bytes the value takes after its tag, length prefix included.
    static func size(of value: Value) -> Int
    static func write(_ value: Value, to writer: inout WireWriter)
    /// Reads one value; the tag has been read already.
    static func read(from reader: inout WireReader) throws(WireDecodingError) -> Value

    /// Writes one value in the JSON mapping (`JSON/JSONCodecs.swift`).
    static func writeJSON(_ value: Value, to encoder: inout ProtoJSONEncoder) throws(JSONEncodingError)
    /// Reads one JSON value; `null` is an error here (the reader handles `null` fields itself).
    static func readJSON(from decoder: inout ProtoJSONDecoder) throws(JSONDecodingError) -> Value
    /// Reads one JSON value into `value`, which holds the default: a message is read in place
    /// (a list element straight into the list's storage). Defaults to `readJSON(from:)`.
    static func readJSON(from decoder: inout ProtoJSONDecoder, into value: inout Value) throws(JSONDecodingError)
    /// Writes one value in the text format (`TextFormat/TextFormatCodecs.swift`).
    static func writeText(_ value: Value, to encoder: inout TextFormatEncoder)
    /// Reads one text-format value; the field name and `:` have been read.
    static func readText(from decoder: inout TextFormatDecoder) throws(TextFormatDecodingError) -> Value
}

/// A codec whose values can be packed: varint, fixed32 and fixed64 types.
public protocol PackableCodec: FieldCodec {}

extension FieldCodec where Value: Equatable {
    @inlinable public static func isDefault(_ value: Value) -> Bool { value == defaultValue }
}

// MARK: Varint integers

public enum ProtoInt32: PackableCodec {
    public typealias Value = Int32
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var defaultValue: Int32 { 0 }
    @inlinable public static func size(of v: Int32) -> Int { Varint.size(v) }
    @inlinable public static func write(_ v: Int32, to w: inout WireWriter) { w.writeVarint(UInt64(bitPattern: Int64(v))) }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> Int32 {
        Int32(truncatingIfNeeded: try r.readVarint())
    }
}

public enum ProtoInt64: PackableCodec {
    public typealias Value = Int64
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var defaultValue: Int64 { 0 }
    @inlinable public static func size(of v: Int64) -> Int { Varint.size(UInt64(bitPattern: v)) }
    @inlinable public static func write(_ v: Int64, to w: inout WireWriter) { w.writeVarint(UInt64(bitPattern: v)) }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> Int64 {
        Int64(bitPattern: try r.readVarint())
    }
}

public enum ProtoUInt32: PackableCodec {
    public typealias Value = UInt32
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var defaultValue: UInt32 { 0 }
    @inlinable public static func size(of v: UInt32) -> Int { Varint.size(UInt64(v)) }
    @inlinable public static func write(_ v: UInt32, to w: inout WireWriter) { w.writeVarint(UInt64(v)) }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> UInt32 {
        UInt32(truncatingIfNeeded: try r.readVarint())
    }
}

public enum ProtoUInt64: PackableCodec {
    public typealias Value = UInt64
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var defaultValue: UInt64 { 0 }
    @inlinable public static func size(of v: UInt64) -> Int { Varint.size(v) }
    @inlinable public static func write(_ v: UInt64, to w: inout WireWriter) { w.writeVarint(v) }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> UInt64 {
        try r.readVarint()
    }
}

public enum ProtoSInt32: PackableCodec {
    public typealias Value = Int32
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var defaultValue: Int32 { 0 }
    @inlinable public static func size(of v: Int32) -> Int { Varint.size(UInt64(Varint.zigZag(v))) }
    @inlinable public static func write(_ v: Int32, to w: inout WireWriter) { w.writeVarint(UInt64(Varint.zigZag(v))) }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> Int32 {
        Varint.unZigZag(UInt32(truncatingIfNeeded: try r.readVarint()))
    }
}

public enum ProtoSInt64: PackableCodec {
    public typealias Value = Int64
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var defaultValue: Int64 { 0 }
    @inlinable public static func size(of v: Int64) -> Int { Varint.size(Varint.zigZag(v)) }
    @inlinable public static func write(_ v: Int64, to w: inout WireWriter) { w.writeVarint(Varint.zigZag(v)) }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> Int64 {
        Varint.unZigZag(try r.readVarint())
    }
}

public enum ProtoBool: PackableCodec {
    public typealias Value = Bool
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var defaultValue: Bool { false }
    @inlinable public static func size(of v: Bool) -> Int { 1 }
    @inlinable public static func write(_ v: Bool, to w: inout WireWriter) { w.writeByte(v ? 1 : 0) }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> Bool {
        try r.readVarint() != 0
    }
}

// MARK: Fixed-width numbers

public enum ProtoFixed32: PackableCodec {
    public typealias Value = UInt32
    @inlinable public static var wireType: WireType { .fixed32 }
    @inlinable public static var defaultValue: UInt32 { 0 }
    @inlinable public static func size(of v: UInt32) -> Int { 4 }
    @inlinable public static func write(_ v: UInt32, to w: inout WireWriter) { w.writeFixed32(v) }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> UInt32 { try r.readFixed32() }
}

public enum ProtoFixed64: PackableCodec {
    public typealias Value = UInt64
    @inlinable public static var wireType: WireType { .fixed64 }
    @inlinable public static var defaultValue: UInt64 { 0 }
    @inlinable public static func size(of v: UInt64) -> Int { 8 }
    @inlinable public static func write(_ v: UInt64, to w: inout WireWriter) { w.writeFixed64(v) }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> UInt64 { try r.readFixed64() }
}

public enum ProtoSFixed32: PackableCodec {
    public typealias Value = Int32
    @inlinable public static var wireType: WireType { .fixed32 }
    @inlinable public static var defaultValue: Int32 { 0 }
    @inlinable public static func size(of v: Int32) -> Int { 4 }
    @inlinable public static func write(_ v: Int32, to w: inout WireWriter) { w.writeFixed32(UInt32(bitPattern: v)) }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> Int32 {
        Int32(bitPattern: try r.readFixed32())
    }
}

public enum ProtoSFixed64: PackableCodec {
    public typealias Value = Int64
    @inlinable public static var wireType: WireType { .fixed64 }
    @inlinable public static var defaultValue: Int64 { 0 }
    @inlinable public static func size(of v: Int64) -> Int { 8 }
    @inlinable public static func write(_ v: Int64, to w: inout WireWriter) { w.writeFixed64(UInt64(bitPattern: v)) }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> Int64 {
        Int64(bitPattern: try r.readFixed64())
    }
}

public enum ProtoFloat: PackableCodec {
    public typealias Value = Float
    @inlinable public static var wireType: WireType { .fixed32 }
    @inlinable public static var defaultValue: Float { 0 }
    /// Only +0.0 is the default: -0.0 and NaN are written.
    @inlinable public static func isDefault(_ v: Float) -> Bool { v.bitPattern == 0 }
    @inlinable public static func size(of v: Float) -> Int { 4 }
    @inlinable public static func write(_ v: Float, to w: inout WireWriter) { w.writeFixed32(v.bitPattern) }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> Float {
        Float(bitPattern: try r.readFixed32())
    }
}

public enum ProtoDouble: PackableCodec {
    public typealias Value = Double
    @inlinable public static var wireType: WireType { .fixed64 }
    @inlinable public static var defaultValue: Double { 0 }
    /// Only +0.0 is the default: -0.0 and NaN are written.
    @inlinable public static func isDefault(_ v: Double) -> Bool { v.bitPattern == 0 }
    @inlinable public static func size(of v: Double) -> Int { 8 }
    @inlinable public static func write(_ v: Double, to w: inout WireWriter) { w.writeFixed64(v.bitPattern) }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> Double {
        Double(bitPattern: try r.readFixed64())
    }
}

// MARK: Length-delimited

/// `string`, checked to be UTF-8 when decoded.
public enum ProtoString: FieldCodec {
    public typealias Value = String
    @inlinable public static var wireType: WireType { .lengthDelimited }
    @inlinable public static var defaultValue: String { "" }
    @inlinable public static func isDefault(_ v: String) -> Bool { v.isEmpty }
    @inlinable public static func size(of v: String) -> Int {
        let n = v.utf8.count
        return Varint.size(UInt64(n)) &+ n
    }
    @inlinable public static func write(_ v: String, to w: inout WireWriter) { w.writeLengthPrefixed(v) }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> String {
        let start = r.offset
        let s: String? = try r.readLengthDelimited { bytes throws(WireDecodingError) in
            UTF8Validation.string(bytes)
        }
        guard let s else { throw WireDecodingError(.invalidUTF8, fieldNumber: 0, offset: start) }
        return s
    }
}

/// Strings from wire bytes that must be UTF-8.
public enum UTF8Validation {
    /// The string, or nil if `bytes` are not UTF-8. ASCII, the common case, is checked
    /// eight bytes at a time and needs no further validation.
    @inlinable
    public static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
        let utf8 = bytes.assumingMemoryBound(to: UInt8.self)
        if isASCII(bytes) {
            let n = bytes.count
            if n <= 15, n > 0, let source = bytes.baseAddress {
                // Fits a small (inline) string: copied into it whole, where `String(decoding:)`
                // builds small strings byte by byte (~120 instructions for a short name).
                return String(unsafeUninitializedCapacity: n) { buffer in
                    UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: source, byteCount: n)
                    return n
                }
            }
            return String(decoding: utf8, as: UTF8.self)
        }
        return String(validating: utf8, as: UTF8.self)
    }

    @inlinable
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var bits: UInt64 = 0
        if count >= 8 {
            // Eight bytes at a time; the last eight bytes, which may overlap the ones before,
            // stand for the tail.
            var i = 0
            while i &+ 8 < count {
                bits |= base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                i &+= 8
            }
            bits |= base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        } else {
            var i = 0
            if count & 4 != 0 {
                bits |= UInt64(base.loadUnaligned(as: UInt32.self))
                i = 4
            }
            if count & 2 != 0 {
                bits |= UInt64(base.loadUnaligned(fromByteOffset: i, as: UInt16.self))
                i &+= 2
            }
            if count & 1 != 0 {
                bits |= UInt64(base.load(fromByteOffset: i, as: UInt8.self))
            }
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }
}

/// `bytes`, as Foundation `Data`.
public enum ProtoBytes: FieldCodec {
    public typealias Value = Data
    @inlinable public static var wireType: WireType { .lengthDelimited }
    @inlinable public static var defaultValue: Data { Data() }
    @inlinable public static func isDefault(_ v: Data) -> Bool { v.isEmpty }
    @inlinable public static func size(of v: Data) -> Int { Varint.size(UInt64(v.count)) &+ v.count }
    @inlinable public static func write(_ v: Data, to w: inout WireWriter) {
        w.writeVarint(UInt64(v.count))
        v.withUnsafeBytes { w.writeBytes($0) }
    }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> Data {
        try r.readBytes()
    }
}

/// A nested message, length-prefixed.
public enum MessageCodec<M: ProtoMessage>: FieldCodec {
    public typealias Value = M
    @inlinable public static var wireType: WireType { .lengthDelimited }
    @inlinable public static var defaultValue: M { M() }
    @inlinable public static func isDefault(_ v: M) -> Bool { false }
    @inlinable public static func size(of v: M) -> Int {
        let n = v.encodedSize()
        return Varint.size(UInt64(n)) &+ n
    }
    @inlinable public static func write(_ v: M, to w: inout WireWriter) {
        w.writeLengthDelimited { v.encode(to: &$0) }
    }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> M {
        var m = M()
        try r.readMessage(into: &m)
        return m
    }
}

/// An open enum: any `int32` decodes, unknown numbers kept as `unrecognized`.
public enum EnumCodec<E: OpenProtoEnum>: PackableCodec {
    public typealias Value = E
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var defaultValue: E { E(rawValue: 0) }
    @inlinable public static func isDefault(_ v: E) -> Bool { v.rawValue == 0 }
    @inlinable public static func size(of v: E) -> Int { Varint.size(v.rawValue) }
    @inlinable public static func write(_ v: E, to w: inout WireWriter) {
        w.writeVarint(UInt64(bitPattern: Int64(v.rawValue)))
    }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> E {
        E(rawValue: Int32(truncatingIfNeeded: try r.readVarint()))
    }
}

/// A closed enum (proto2): written like an open one; on decode, numbers the
/// enum does not declare go to the message's unknown fields (see `WireReader.readClosedEnum`).
public enum ClosedEnumCodec<E: ProtoEnum>: PackableCodec {
    public typealias Value = E
    @inlinable public static var wireType: WireType { .varint }
    @inlinable public static var defaultValue: E { E() }
    @inlinable public static func isDefault(_ v: E) -> Bool { v == E() }
    @inlinable public static func size(of v: E) -> Int { Varint.size(v.rawValue) }
    @inlinable public static func write(_ v: E, to w: inout WireWriter) {
        w.writeVarint(UInt64(bitPattern: Int64(v.rawValue)))
    }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> E {
        let raw = Int32(truncatingIfNeeded: try r.readVarint())
        return E(rawValue: raw) ?? E()
    }
}

/// `string` without UTF-8 validation (proto2 and `utf8_validation = NONE`):
/// invalid sequences become U+FFFD instead of failing the decode.
public enum ProtoUncheckedString: FieldCodec {
    public typealias Value = String
    @inlinable public static var wireType: WireType { .lengthDelimited }
    @inlinable public static var defaultValue: String { "" }
    @inlinable public static func isDefault(_ v: String) -> Bool { v.isEmpty }
    @inlinable public static func size(of v: String) -> Int { ProtoString.size(of: v) }
    @inlinable public static func write(_ v: String, to w: inout WireWriter) { w.writeLengthPrefixed(v) }
    @inlinable public static func read(from r: inout WireReader) throws(WireDecodingError) -> String {
        try r.readLengthDelimited { bytes throws(WireDecodingError) in
            String(decoding: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
        }
    }
}
