import Foundation
import GeneratedFixtures
import ProtoWire
import Testing

/// The JSON mapping of generated messages against Python protobuf's `json_format`, both ways
/// (``FormatInterop``).
///
/// The roots with `float` fields (fixtures.Scalars, fixtures.maps.Maps, fixtures.defaults.Defaults) are left out: Python's
/// `json_format` writes floats with too few digits to read back the same value and rejects the
/// largest float, so its own output does not round-trip (44 and 33 of 100 messages fail
/// Python → Python). What JSON cannot carry is not counted as a difference: NaN payloads, and
/// the sign of -0, which `json_format` reads as +0. The well-known types' root is left out because random Timestamps,
/// Durations and FieldMask paths are mostly outside what JSON can express.
@Suite("JSON against Python's json_format")
struct JSONInteropTests {
    static let count = 500

    static func make<M: ProtoMessage>(_ message: String, _ type: M.Type) -> FormatInterop {
        FormatInterop("json", message, type, write: { try $0.jsonUTF8Bytes() }, read: { try M(jsonUTF8Bytes: $0) })
    }

    static let cases: [FormatInterop] = [
        make("fixtures.enums.Enums", Fixtures_Enums_Enums.self),
        make("fixtures.nested.NestedRoot", Fixtures_Nested_NestedRoot.self),
        make("fixtures.naming.Naming", Fixtures_Naming_Naming.self),
        make("fixtures.prefixed.Prefixed", NPPrefixed.self),
        make("fixtures.shadowing.Shadowing", Fixtures_Shadowing_Shadowing.self),
        make("fixtures.editions.Editions", Fixtures_Editions_Editions.self),
    ]

    @Test("Swift's JSON read by json_format, json_format's JSON read by Swift", arguments: cases)
    func bothWays(_ c: FormatInterop) throws {
        try c.bothWays(count: Self.count)
    }
}
