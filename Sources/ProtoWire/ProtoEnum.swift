/// A protobuf enum. `init()` gives the default: the first declared value.
public protocol ProtoEnum: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == Int32 {
    init()

    /// The enum's value names, for the JSON mapping and the text format.
    static var enumSchema: EnumSchema { get }
}

extension ProtoEnum {
    /// For enums generated before schemas existed: no names, so values are written as numbers.
    public static var enumSchema: EnumSchema { EnumSchema.nameless(for: Self.self) }
}

/// An open enum (proto3): every `int32` is a value, numbers the `.proto` does
/// not declare are kept in a case of their own and written back unchanged.
public protocol OpenProtoEnum: ProtoEnum {
    init(rawValue: Int32)
}

extension OpenProtoEnum {
    @inlinable
    public init() { self.init(rawValue: 0) }
}
