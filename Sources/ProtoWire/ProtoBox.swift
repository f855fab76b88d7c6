/// An immutable heap box for a message field whose type contains the message
/// itself (directly or through other messages). Setting the field makes a new
/// box, so sharing one is safe and the message stays a value type.
public final class ProtoBox<Value: Hashable & Sendable>: Hashable, Sendable {
    public let value: Value

    @inlinable
    public init(_ value: Value) { self.value = value }

    @inlinable
    public static func == (a: ProtoBox, b: ProtoBox) -> Bool { a === b || a.value == b.value }

    @inlinable
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
