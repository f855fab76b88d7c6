/// The wire type carried in the low three bits of every field tag.
public enum WireType: UInt8, Sendable, Hashable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5
}

/// A decoded field tag: the field number and the wire type of the value that follows.
public struct FieldTag: Sendable, Hashable {
    /// The raw tag, `fieldNumber << 3 | wireType`.
    public let rawValue: UInt32

    @inlinable
    init(uncheckedRawValue: UInt32) { self.rawValue = uncheckedRawValue }

    /// Makes the tag for `fieldNumber` and `wireType`.
    @inlinable
    public init(fieldNumber: Int, wireType: WireType) {
        self.rawValue = UInt32(truncatingIfNeeded: fieldNumber) << 3 | UInt32(wireType.rawValue)
    }

    /// The field number, 1 ... 536,870,911.
    @inlinable
    public var fieldNumber: Int { Int(rawValue >> 3) }

    /// The wire type of the value that follows the tag.
    @inlinable
    public var wireType: WireType { WireType(rawValue: UInt8(truncatingIfNeeded: rawValue & 7))! }
}

/// The largest field number the format allows.
public let maximumFieldNumber = 536_870_911
