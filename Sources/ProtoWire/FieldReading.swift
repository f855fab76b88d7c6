#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Values as generated `merge(from:)` methods read them. Generated code switches on the whole
// tag (field number and wire type), so a field arriving with another wire type than its
// declaration's falls through to the unknown fields, as in other protobuf runtimes, and these
// reads need no wire-type check. Errors name the field whose tag was read last.

extension WireReader {
    // MARK: Varint kinds

    /// An `int32` (or enum) value: the low 32 bits of the varint.
    @inlinable @inline(__always)
    public mutating func readInt32() throws(WireDecodingError) -> Int32 {
        Int32(truncatingIfNeeded: try readVarint())
    }

    @inlinable @inline(__always)
    public mutating func readInt64() throws(WireDecodingError) -> Int64 {
        Int64(bitPattern: try readVarint())
    }

    @inlinable @inline(__always)
    public mutating func readUInt32() throws(WireDecodingError) -> UInt32 {
        UInt32(truncatingIfNeeded: try readVarint())
    }

    @inlinable @inline(__always)
    public mutating func readUInt64() throws(WireDecodingError) -> UInt64 {
        try readVarint()
    }

    @inlinable @inline(__always)
    public mutating func readSInt32() throws(WireDecodingError) -> Int32 {
        Varint.unZigZag(UInt32(truncatingIfNeeded: try readVarint()))
    }

    @inlinable @inline(__always)
    public mutating func readSInt64() throws(WireDecodingError) -> Int64 {
        Varint.unZigZag(try readVarint())
    }

    /// A `bool`: any non-zero varint is true.
    @inlinable @inline(__always)
    public mutating func readBool() throws(WireDecodingError) -> Bool {
        try readVarint() != 0
    }

    // MARK: Fixed-width kinds (`readFixed32()` and `readFixed64()` are the unsigned ones)

    @inlinable @inline(__always)
    public mutating func readSFixed32() throws(WireDecodingError) -> Int32 {
        Int32(bitPattern: try readFixed32())
    }

    @inlinable @inline(__always)
    public mutating func readSFixed64() throws(WireDecodingError) -> Int64 {
        Int64(bitPattern: try readFixed64())
    }

    @inlinable @inline(__always)
    public mutating func readFloat() throws(WireDecodingError) -> Float {
        Float(bitPattern: try readFixed32())
    }

    @inlinable @inline(__always)
    public mutating func readDouble() throws(WireDecodingError) -> Double {
        Double(bitPattern: try readFixed64())
    }

    // MARK: Length-delimited kinds (out of line: each is a few hundred instructions of
    // validation and allocation that would otherwise be copied into every message that has one)

    /// A `string` that must be UTF-8.
    public mutating func readString() throws(WireDecodingError) -> String {
        let start = cursor
        let s: String? = try readLengthDelimited { bytes throws(WireDecodingError) in UTF8Validation.string(bytes) }
        guard let s else { throw error(.invalidUTF8, at: start) }
        return s
    }

    /// A `string` read without UTF-8 validation (`utf8_validation = NONE`, proto2):
    /// invalid sequences become U+FFFD.
    public mutating func readUncheckedString() throws(WireDecodingError) -> String {
        try readLengthDelimited { bytes throws(WireDecodingError) in
            // Valid UTF-8, the common case, takes the checked path's ASCII and small-string
            // shortcuts (the same string); only invalid bytes go through the repairing
            // initializer, which builds even a valid string byte by byte.
            UTF8Validation.string(bytes) ?? String(decoding: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
        }
    }

    public mutating func readBytes() throws(WireDecodingError) -> Data {
        let length = try readLength()
        let bytes = UnsafeRawBufferPointer(start: cursor, count: length)
        cursor += length
        return bytesValue(bytes)
    }

    // MARK: Messages (specialised per message type, but never inlined: a call costs less than
    // a copy of the length, depth and merge handling in every field of that type)

    /// Merges a length-delimited message into `message`, which is created first if absent.
    @inlinable @inline(never)
    public mutating func readMessage<M: ProtoMessage>(into message: inout M?) throws(WireDecodingError) {
        var m = message ?? M()
        message = nil  // keeps `m` uniquely referenced while it is decoded into
        defer { message = m }
        try readMessage(into: &m)
    }

    /// A length-delimited message, as an element of a repeated field.
    @inlinable @inline(never)
    public mutating func readMessage<M: ProtoMessage>() throws(WireDecodingError) -> M {
        var m = M()
        try readMessage(into: &m)
        return m
    }

    // MARK: Unknown values

    /// Keeps the field just read, tag and value, in `unknown`: a closed enum's undeclared number.
    @inlinable
    public func preserveField(in unknown: inout UnknownFields) {
        unknown.append(UnsafeRawBufferPointer(start: tagStart, count: cursor - tagStart))
    }
}

// Packed runs: the tag said length-delimited, so these read a length and then values up to it.
// Specialised in the module that declares the field, once per kind (`readPacked` is never
// inlined into a message's `merge(from:)`): compiled here, behind a call, the loop cost an
// instruction more per value.
extension WireReader {
    @inlinable
    public mutating func readPackedInt32(into values: inout [Int32]) throws(WireDecodingError) {
        try readPacked(ProtoInt32.self, into: &values)
    }

    @inlinable
    public mutating func readPackedInt64(into values: inout [Int64]) throws(WireDecodingError) {
        try readPacked(ProtoInt64.self, into: &values)
    }

    @inlinable
    public mutating func readPackedUInt32(into values: inout [UInt32]) throws(WireDecodingError) {
        try readPacked(ProtoUInt32.self, into: &values)
    }

    @inlinable
    public mutating func readPackedUInt64(into values: inout [UInt64]) throws(WireDecodingError) {
        try readPacked(ProtoUInt64.self, into: &values)
    }

    @inlinable
    public mutating func readPackedSInt32(into values: inout [Int32]) throws(WireDecodingError) {
        try readPacked(ProtoSInt32.self, into: &values)
    }

    @inlinable
    public mutating func readPackedSInt64(into values: inout [Int64]) throws(WireDecodingError) {
        try readPacked(ProtoSInt64.self, into: &values)
    }

    @inlinable
    public mutating func readPackedBool(into values: inout [Bool]) throws(WireDecodingError) {
        try readPacked(ProtoBool.self, into: &values)
    }

    @inlinable
    public mutating func readPackedFixed32(into values: inout [UInt32]) throws(WireDecodingError) {
        try readPacked(ProtoFixed32.self, into: &values)
    }

    @inlinable
    public mutating func readPackedFixed64(into values: inout [UInt64]) throws(WireDecodingError) {
        try readPacked(ProtoFixed64.self, into: &values)
    }

    @inlinable
    public mutating func readPackedSFixed32(into values: inout [Int32]) throws(WireDecodingError) {
        try readPacked(ProtoSFixed32.self, into: &values)
    }

    @inlinable
    public mutating func readPackedSFixed64(into values: inout [Int64]) throws(WireDecodingError) {
        try readPacked(ProtoSFixed64.self, into: &values)
    }

    @inlinable
    public mutating func readPackedFloat(into values: inout [Float]) throws(WireDecodingError) {
        try readPacked(ProtoFloat.self, into: &values)
    }

    @inlinable
    public mutating func readPackedDouble(into values: inout [Double]) throws(WireDecodingError) {
        try readPacked(ProtoDouble.self, into: &values)
    }

    /// A packed run of an open enum: every number is kept.
    @inlinable
    public mutating func readPackedEnum<E: OpenProtoEnum>(into values: inout [E]) throws(WireDecodingError) {
        var raws: [Int32] = []
        try readPackedInt32(into: &raws)
        values.reserveCapacity(values.count &+ raws.count)
        for raw in raws { values.append(E(rawValue: raw)) }
    }

    /// A packed run of a closed enum: numbers the enum does not declare go to `unknown`, each as
    /// a field of its own (one varint with this field's tag), as other runtimes keep them.
    @inlinable
    public mutating func readPackedClosedEnum<E: ProtoEnum>(
        into values: inout [E], unknown: inout UnknownFields
    ) throws(WireDecodingError) {
        let field = currentFieldNumber
        var raws: [Int32] = []
        try readPackedInt32(into: &raws)
        for raw in raws {
            if let e = E(rawValue: raw) {
                values.append(e)
            } else {
                unknown.appendVarintField(field, UInt64(bitPattern: Int64(raw)))
            }
        }
    }
}
