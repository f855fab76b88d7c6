import Foundation
import GeneratedFixtures
import ProtoWire
import Testing

/// The JSON mapping of generated messages against Python protobuf's `json_format`, both ways
/// (``FormatInterop``), on every fixture root: proto3, proto2 (groups, required fields, closed
/// enums, defaults), editions, the well-known types' root with `Any` of every fixture type, and
/// `fixtures.extensions.Base` with every extension (registered on both sides, `"[pkg.ext]"` keys).
///
/// Python draws only what JSON can carry (`generate --json`, Tests/Differential/README.md):
/// Timestamps from 0001-01-01 to 9999-12-31, Durations within ±315,576,000,000 s with nanos of
/// the seconds' sign, FieldMask paths that survive the lowerCamelCase conversion, `Value`s that
/// hold a kind and a finite number, `Any`s of types both sides know, and no undeclared
/// `NullValue` (JSON writes every `NullValue` as `null`). Two kinds of value that json_format
/// cannot read back from its own output are left out: ±FLT_MAX in `float` fields (written as
/// 3.4028235e+38, which its own range check refuses; drawn again, and counted in the summary
/// line), and elements of `repeated google.protobuf.NullValue` (json_format refuses `null` in a
/// list; the field stays empty). Numbers that closed enums do not declare are not drawn: only the
/// binary format carries unknown fields.
///
/// What JSON cannot carry is not counted as a difference against the message Python started
/// from: NaN payloads and signs, and the sign of -0 (Swift writes `-0`, which json_format reads as
/// +0), in `Any` payloads too. Python → Swift is also checked without those allowances against
/// what Python itself reads from the same JSON: both readers must agree on every text.
@Suite("JSON against Python's json_format")
struct JSONInteropTests {
    static let count = 500

    static let writing = JSONEncodingOptions(typeRegistry: FormatInterop.typeRegistry, extensions: FormatInterop.extensionRegistry)
    static let reading = JSONDecodingOptions(typeRegistry: FormatInterop.typeRegistry, extensions: FormatInterop.extensionRegistry)

    static func make<M: ProtoMessage>(_ message: String, _ type: M.Type, extensions: Bool = false) -> FormatInterop {
        FormatInterop(
            "json", message, type, extensions: extensions,
            write: { try $0.jsonUTF8Bytes(options: writing) },
            read: { try M(jsonUTF8Bytes: $0, options: reading) }
        )
    }

    /// The longest first (Maps and the well-known types' root), so both cores stay busy to the end.
    static let cases: [FormatInterop] = [
        make("fixtures.maps.Maps", Fixtures_Maps_Maps.self),
        make("fixtures.imports.Everything", Fixtures_Imports_Everything.self),
        make("fixtures.Scalars", Fixtures_Scalars.self),
        make("fixtures.enums.Enums", Fixtures_Enums_Enums.self),
        make("fixtures.nested.NestedRoot", Fixtures_Nested_NestedRoot.self),
        make("fixtures.naming.Naming", Fixtures_Naming_Naming.self),
        make("fixtures.prefixed.Prefixed", NPPrefixed.self),
        make("fixtures.shadowing.Shadowing", Fixtures_Shadowing_Shadowing.self),
        make("fixtures.v1.Record", Fixtures_V1_Record.self),
        make("fixtures.v2.Record", Fixtures_V2_Record.self),
        make("fixtures.editions.Editions", Fixtures_Editions_Editions.self),
        make("fixtures.defaults.Defaults", Fixtures_Defaults_Defaults.self),
        make("fixtures.proto2.Proto2", Fixtures_Proto2_Proto2.self),
        make("fixtures.required.Outer", Fixtures_Required_Outer.self),
        make("fixtures.extensions.Base", Fixtures_Extensions_Base.self, extensions: true),
    ]

    @Test("Swift's JSON read by json_format, json_format's JSON read by Swift", arguments: cases)
    func bothWays(_ c: FormatInterop) throws {
        try c.bothWays(count: Self.count, jsonMode: true)
    }
}
