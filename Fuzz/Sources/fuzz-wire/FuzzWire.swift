// The fuzz target: binary decoding of the fixtures' messages.
import FuzzSupport
import GeneratedFixtures
import ProtoWire

/// The types decoded: scalars of every kind, open and closed enums, maps, nesting and recursion,
/// oneofs, imported and renamed types, and two versions of one message.
private let checks: [@Sendable (UnsafeRawBufferPointer) -> Void] = [
    { decodeAndCheck(Fixtures_Scalars.self, $0) },
    { decodeAndCheck(Fixtures_FieldNumbers.self, $0) },
    { decodeAndCheck(Fixtures_Enums_Enums.self, $0) },
    { decodeAndCheck(Fixtures_Enums_Holder.self, $0) },
    { decodeAndCheck(Fixtures_Maps_Maps.self, $0) },
    { decodeAndCheck(Fixtures_Nested_NestedRoot.self, $0) },
    { decodeAndCheck(Fixtures_Nested_Outer.self, $0) },
    { decodeAndCheck(Fixtures_Nested_Node.self, $0) },
    { decodeAndCheck(Fixtures_Nested_Choice.self, $0) },
    { decodeAndCheck(Fixtures_Imports_Everything.self, $0) },
    { decodeAndCheck(Fixtures_Naming_Naming.self, $0) },
    { decodeAndCheck(Fixtures_V1_Record.self, $0) },
    { decodeAndCheck(Fixtures_V2_Record.self, $0) },
    { decodeAndCheck(NPPrefixed.self, $0) },
]

/// Input: one byte choosing the message type, then the message's bytes.
func fuzzWire(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: start, count: count)
    guard let selector = input.first else { return 0 }
    checks[Int(selector) % checks.count](UnsafeRawBufferPointer(rebasing: input.dropFirst()))
    return 0
}
