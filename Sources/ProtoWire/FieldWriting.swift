#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Whole fields, tag included, as generated `encode(to:)` methods write them: one concrete,
// non-generic call per field kind, so that the compiler inlines a few instructions per field
// instead of specialising generic helpers for every message. Generated code decides presence
// (`if self.count != 0`, `if let`) and calls these only for fields that are written.

extension WireWriter {
    // MARK: Varint kinds

    /// An `int32` field: negative values take ten bytes, as the format sign-extends them.
    @inlinable @inline(__always)
    public mutating func writeInt32(_ field: Int, _ value: Int32) {
        writeTag(field, .varint)
        writeVarint(UInt64(bitPattern: Int64(value)))
    }

    @inlinable @inline(__always)
    public mutating func writeInt64(_ field: Int, _ value: Int64) {
        writeTag(field, .varint)
        writeVarint(UInt64(bitPattern: value))
    }

    @inlinable @inline(__always)
    public mutating func writeUInt32(_ field: Int, _ value: UInt32) {
        writeTag(field, .varint)
        writeVarint(UInt64(value))
    }

    @inlinable @inline(__always)
    public mutating func writeUInt64(_ field: Int, _ value: UInt64) {
        writeTag(field, .varint)
        writeVarint(value)
    }

    /// A `sint32` field, ZigZag-encoded.
    @inlinable @inline(__always)
    public mutating func writeSInt32(_ field: Int, _ value: Int32) {
        writeTag(field, .varint)
        writeVarint(UInt64(Varint.zigZag(value)))
    }

    /// A `sint64` field, ZigZag-encoded.
    @inlinable @inline(__always)
    public mutating func writeSInt64(_ field: Int, _ value: Int64) {
        writeTag(field, .varint)
        writeVarint(Varint.zigZag(value))
    }

    @inlinable @inline(__always)
    public mutating func writeBool(_ field: Int, _ value: Bool) {
        writeTag(field, .varint)
        writeByte(value ? 1 : 0)
    }

    /// An enum field, by its number.
    @inlinable @inline(__always)
    public mutating func writeEnum(_ field: Int, _ rawValue: Int32) {
        writeInt32(field, rawValue)
    }

    // MARK: Fixed-width kinds

    @inlinable @inline(__always)
    public mutating func writeFixed32(_ field: Int, _ value: UInt32) {
        writeTag(field, .fixed32)
        writeFixed32(value)
    }

    @inlinable @inline(__always)
    public mutating func writeFixed64(_ field: Int, _ value: UInt64) {
        writeTag(field, .fixed64)
        writeFixed64(value)
    }

    @inlinable @inline(__always)
    public mutating func writeSFixed32(_ field: Int, _ value: Int32) {
        writeTag(field, .fixed32)
        writeFixed32(UInt32(bitPattern: value))
    }

    @inlinable @inline(__always)
    public mutating func writeSFixed64(_ field: Int, _ value: Int64) {
        writeTag(field, .fixed64)
        writeFixed64(UInt64(bitPattern: value))
    }

    @inlinable @inline(__always)
    public mutating func writeFloat(_ field: Int, _ value: Float) {
        writeTag(field, .fixed32)
        writeFixed32(value.bitPattern)
    }

    @inlinable @inline(__always)
    public mutating func writeDouble(_ field: Int, _ value: Double) {
        writeTag(field, .fixed64)
        writeFixed64(value.bitPattern)
    }

    // MARK: Length-delimited kinds

    @inlinable @inline(__always)
    public mutating func writeString(_ field: Int, _ value: String) {
        writeTag(field, .lengthDelimited)
        writeLengthPrefixed(value)
    }

    @inlinable @inline(__always)
    public mutating func writeBytes(_ field: Int, _ value: Data) {
        writeTag(field, .lengthDelimited)
        writeLengthPrefixed(value)
    }

    /// A varint length prefix followed by the bytes of `data`.
    @inlinable
    public mutating func writeLengthPrefixed(_ data: Data) {
        writeVarint(UInt64(data.count))
        data.withUnsafeBytes { writeBytes($0) }
    }

    /// A nested message, written before its length (see `writeLengthDelimited`).
    @inlinable
    public mutating func writeMessage<M: ProtoMessage>(_ field: Int, _ message: M) {
        writeTag(field, .lengthDelimited)
        writeLengthDelimited { message.encode(to: &$0) }
    }
}

// Packed repeated fields: compiled once here rather than in every message that has one (a call per
// field costs nothing next to the loop over its values). Empty arrays write nothing.
extension WireWriter {
    /// A packed `repeated int32`.
    public mutating func writePackedInt32(_ field: Int, _ values: [Int32]) { packed(ProtoInt32.self, field, values) }

    /// A packed `repeated int64`.
    public mutating func writePackedInt64(_ field: Int, _ values: [Int64]) { packed(ProtoInt64.self, field, values) }

    /// A packed `repeated uint32`.
    public mutating func writePackedUInt32(_ field: Int, _ values: [UInt32]) { packed(ProtoUInt32.self, field, values) }

    /// A packed `repeated uint64`.
    public mutating func writePackedUInt64(_ field: Int, _ values: [UInt64]) { packed(ProtoUInt64.self, field, values) }

    /// A packed `repeated sint32`.
    public mutating func writePackedSInt32(_ field: Int, _ values: [Int32]) { packed(ProtoSInt32.self, field, values) }

    /// A packed `repeated sint64`.
    public mutating func writePackedSInt64(_ field: Int, _ values: [Int64]) { packed(ProtoSInt64.self, field, values) }

    /// A packed `repeated bool`.
    public mutating func writePackedBool(_ field: Int, _ values: [Bool]) { packed(ProtoBool.self, field, values) }

    /// A packed `repeated fixed32`.
    public mutating func writePackedFixed32(_ field: Int, _ values: [UInt32]) { packed(ProtoFixed32.self, field, values) }

    /// A packed `repeated fixed64`.
    public mutating func writePackedFixed64(_ field: Int, _ values: [UInt64]) { packed(ProtoFixed64.self, field, values) }

    /// A packed `repeated sfixed32`.
    public mutating func writePackedSFixed32(_ field: Int, _ values: [Int32]) { packed(ProtoSFixed32.self, field, values) }

    /// A packed `repeated sfixed64`.
    public mutating func writePackedSFixed64(_ field: Int, _ values: [Int64]) { packed(ProtoSFixed64.self, field, values) }

    /// A packed `repeated float`.
    public mutating func writePackedFloat(_ field: Int, _ values: [Float]) { packed(ProtoFloat.self, field, values) }

    /// A packed `repeated double`.
    public mutating func writePackedDouble(_ field: Int, _ values: [Double]) { packed(ProtoDouble.self, field, values) }

    /// A packed repeated enum, by the values' numbers.
    @inlinable
    public mutating func writePackedEnum<E: ProtoEnum>(_ field: Int, _ values: [E]) {
        packed(ClosedEnumCodec<E>.self, field, values)
    }
}

extension WireSize {
    /// The size of a packed `repeated int32` field, tag included; 0 when empty.
    public static func packedInt32(_ field: Int, _ values: [Int32]) -> Int { packed(ProtoInt32.self, field, values) }

    /// The size of a packed `repeated int64` field, tag included; 0 when empty.
    public static func packedInt64(_ field: Int, _ values: [Int64]) -> Int { packed(ProtoInt64.self, field, values) }

    /// The size of a packed `repeated uint32` field, tag included; 0 when empty.
    public static func packedUInt32(_ field: Int, _ values: [UInt32]) -> Int { packed(ProtoUInt32.self, field, values) }

    /// The size of a packed `repeated uint64` field, tag included; 0 when empty.
    public static func packedUInt64(_ field: Int, _ values: [UInt64]) -> Int { packed(ProtoUInt64.self, field, values) }

    /// The size of a packed `repeated sint32` field, tag included; 0 when empty.
    public static func packedSInt32(_ field: Int, _ values: [Int32]) -> Int { packed(ProtoSInt32.self, field, values) }

    /// The size of a packed `repeated sint64` field, tag included; 0 when empty.
    public static func packedSInt64(_ field: Int, _ values: [Int64]) -> Int { packed(ProtoSInt64.self, field, values) }

    /// The size of a packed `repeated bool` field, tag included; 0 when empty.
    public static func packedBool(_ field: Int, _ values: [Bool]) -> Int { packed(ProtoBool.self, field, values) }

    /// The size of a packed `repeated fixed32` field, tag included; 0 when empty.
    public static func packedFixed32(_ field: Int, _ values: [UInt32]) -> Int { packed(ProtoFixed32.self, field, values) }

    /// The size of a packed `repeated fixed64` field, tag included; 0 when empty.
    public static func packedFixed64(_ field: Int, _ values: [UInt64]) -> Int { packed(ProtoFixed64.self, field, values) }

    /// The size of a packed `repeated sfixed32` field, tag included; 0 when empty.
    public static func packedSFixed32(_ field: Int, _ values: [Int32]) -> Int { packed(ProtoSFixed32.self, field, values) }

    /// The size of a packed `repeated sfixed64` field, tag included; 0 when empty.
    public static func packedSFixed64(_ field: Int, _ values: [Int64]) -> Int { packed(ProtoSFixed64.self, field, values) }

    /// The size of a packed `repeated float` field, tag included; 0 when empty.
    public static func packedFloat(_ field: Int, _ values: [Float]) -> Int { packed(ProtoFloat.self, field, values) }

    /// The size of a packed `repeated double` field, tag included; 0 when empty.
    public static func packedDouble(_ field: Int, _ values: [Double]) -> Int { packed(ProtoDouble.self, field, values) }

    /// The size of a packed repeated enum field, tag included; 0 when empty.
    @inlinable
    public static func packedEnum<E: ProtoEnum>(_ field: Int, _ values: [E]) -> Int {
        packed(ClosedEnumCodec<E>.self, field, values)
    }
}

// Sizes of single values after their tag, for generated `encodedSize()` methods; the generator
// adds the tag's size, which it knows, and the fixed-width kinds' sizes, which are constants.
extension WireSize {
    /// An `int32` or enum value: negative numbers take ten bytes.
    @inlinable @inline(__always)
    public static func int32(_ value: Int32) -> Int { Varint.size(value) }

    @inlinable @inline(__always)
    public static func int64(_ value: Int64) -> Int { Varint.size(UInt64(bitPattern: value)) }

    @inlinable @inline(__always)
    public static func uint32(_ value: UInt32) -> Int { Varint.size(UInt64(value)) }

    @inlinable @inline(__always)
    public static func uint64(_ value: UInt64) -> Int { Varint.size(value) }

    @inlinable @inline(__always)
    public static func sint32(_ value: Int32) -> Int { Varint.size(UInt64(Varint.zigZag(value))) }

    @inlinable @inline(__always)
    public static func sint64(_ value: Int64) -> Int { Varint.size(Varint.zigZag(value)) }

    /// A string's UTF-8 with its length prefix.
    @inlinable @inline(__always)
    public static func string(_ value: String) -> Int { lengthDelimited(value.utf8.count) }

    /// Bytes with their length prefix.
    @inlinable @inline(__always)
    public static func bytes(_ value: Data) -> Int { lengthDelimited(value.count) }

    /// `length` bytes with their length prefix, such as a nested message of that size.
    @inlinable @inline(__always)
    public static func lengthDelimited(_ length: Int) -> Int { Varint.size(UInt64(length)) &+ length }
}
