// The fixtures' message types the decoding targets choose from, in the order of their selector
// byte (Scripts/make-corpus.py's WIRE_TYPES writes seeds in the same order).
import GeneratedFixtures
import ProtoWire

/// Scalars of every kind, open and closed enums, maps, nesting and recursion, oneofs, imported
/// and renamed types, two versions of one message, and proto2 (groups, closed enums, extensions,
/// required fields at depth, declared defaults).
public let fixtureMessageTypes: [any ProtoMessage.Type] = [
    Fixtures_Scalars.self,
    Fixtures_FieldNumbers.self,
    Fixtures_Enums_Enums.self,
    Fixtures_Enums_Holder.self,
    Fixtures_Maps_Maps.self,
    Fixtures_Nested_NestedRoot.self,
    Fixtures_Nested_Outer.self,
    Fixtures_Nested_Node.self,
    Fixtures_Nested_Choice.self,
    Fixtures_Imports_Everything.self,
    Fixtures_Naming_Naming.self,
    Fixtures_V1_Record.self,
    Fixtures_V2_Record.self,
    NPPrefixed.self,
    Fixtures_Proto2_Proto2.self,
    Fixtures_Required_Outer.self,
    Fixtures_Defaults_Defaults.self,
]

/// Splits a fuzz input into the message type its first byte picks and the rest.
public func selectFixtureType(_ input: UnsafeRawBufferPointer) -> (any ProtoMessage.Type, UnsafeRawBufferPointer)? {
    guard let selector = input.first else { return nil }
    return (fixtureMessageTypes[Int(selector) % fixtureMessageTypes.count], UnsafeRawBufferPointer(rebasing: input.dropFirst()))
}
