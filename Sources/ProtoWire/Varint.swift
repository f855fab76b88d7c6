/// Sizes and ZigZag transforms for base-128 varints.
public enum Varint {
    /// The number of bytes `value` takes as a varint: 1 to 10.
    @inlinable
    public static func size(_ value: UInt64) -> Int {
        // 7 payload bits per byte; `| 1` gives 0 a size of one byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits &* 9 &+ 64) >> 6
    }

    /// The size of an `int32`/`enum` value: negative numbers are sign-extended to ten bytes.
    @inlinable
    public static func size(_ value: Int32) -> Int {
        value < 0 ? 10 : size(UInt64(UInt32(bitPattern: value)))
    }

    @inlinable
    public static func size(_ value: UInt32) -> Int { size(UInt64(value)) }

    @inlinable
    public static func size(_ value: Int) -> Int { size(UInt64(bitPattern: Int64(value))) }

    @inlinable
    public static func zigZag(_ v: Int32) -> UInt32 { UInt32(bitPattern: (v &<< 1) ^ (v >> 31)) }

    @inlinable
    public static func zigZag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v &<< 1) ^ (v >> 63)) }

    @inlinable
    public static func unZigZag(_ v: UInt32) -> Int32 { Int32(bitPattern: v >> 1) ^ -Int32(bitPattern: v & 1) }

    @inlinable
    public static func unZigZag(_ v: UInt64) -> Int64 { Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1) }
}
