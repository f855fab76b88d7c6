import Foundation
import GeneratedFixtures
import ProtoWire
import Testing

/// The text format of generated messages against Python protobuf's `text_format`, both ways
/// (``FormatInterop``).
///
/// Every fixture root, proto2 (groups, required fields, closed enums, defaults) and
/// `fixtures.extensions.Base` with every extension included. Numbers that closed enums do not
/// declare are not drawn: the text format has no way to write unknown fields back.
///
/// Only NaN payloads are not counted as differences against the message Python started from: the
/// text format prints every NaN as `nan` (inside an `Any`'s bytes too, as both sides print an
/// `Any` of a known type expanded). Python → Swift is also checked without that allowance against
/// what Python itself reads from the same text: both readers must agree on every text.
@Suite("Text format against Python's text_format")
struct TextFormatInteropTests {
    static let count = 500

    static let registry = FormatInterop.typeRegistry

    static func make<M: ProtoMessage>(_ message: String, _ type: M.Type, extensions: Bool = false) -> FormatInterop {
        FormatInterop(
            "text", message, type, extensions: extensions,
            write: {
                Array($0.textFormatString(options: TextFormatEncodingOptions(typeRegistry: registry, extensions: FormatInterop.extensionRegistry)).utf8)
            },
            read: {
                try M(textFormatString: String(decoding: $0, as: UTF8.self),
                      options: TextFormatDecodingOptions(typeRegistry: registry, extensions: FormatInterop.extensionRegistry))
            }
        )
    }

    static let cases: [FormatInterop] = [
        make("fixtures.Scalars", Fixtures_Scalars.self),
        make("fixtures.maps.Maps", Fixtures_Maps_Maps.self),
        make("fixtures.enums.Enums", Fixtures_Enums_Enums.self),
        make("fixtures.nested.NestedRoot", Fixtures_Nested_NestedRoot.self),
        make("fixtures.naming.Naming", Fixtures_Naming_Naming.self),
        make("fixtures.prefixed.Prefixed", NPPrefixed.self),
        make("fixtures.shadowing.Shadowing", Fixtures_Shadowing_Shadowing.self),
        make("fixtures.imports.Everything", Fixtures_Imports_Everything.self),
        make("fixtures.editions.Editions", Fixtures_Editions_Editions.self),
        make("fixtures.defaults.Defaults", Fixtures_Defaults_Defaults.self),
        make("fixtures.v1.Record", Fixtures_V1_Record.self),
        make("fixtures.v2.Record", Fixtures_V2_Record.self),
        make("fixtures.proto2.Proto2", Fixtures_Proto2_Proto2.self),
        make("fixtures.required.Outer", Fixtures_Required_Outer.self),
        make("fixtures.extensions.Base", Fixtures_Extensions_Base.self, extensions: true),
    ]

    @Test("Swift's text read by text_format, text_format's text read by Swift", arguments: cases)
    func bothWays(_ c: FormatInterop) throws {
        try c.bothWays(count: Self.count)
    }
}
