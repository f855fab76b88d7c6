import Foundation
import GeneratedFixtures
import ProtoWire
import Testing

/// The text format of generated messages against Python protobuf's `text_format`, both ways
/// (``FormatInterop``).
///
/// Only NaN payloads are not counted as differences: the text format prints every NaN as `nan`
/// (inside an `Any`'s bytes too, as both sides print an `Any` of a known type expanded).
@Suite("Text format against Python's text_format")
struct TextFormatInteropTests {
    static let count = 500

    static let registry = FormatInterop.typeRegistry

    static func make<M: ProtoMessage>(_ message: String, _ type: M.Type) -> FormatInterop {
        FormatInterop(
            "text", message, type,
            write: { Array($0.textFormatString(options: TextFormatEncodingOptions(typeRegistry: registry)).utf8) },
            read: { try M(textFormatString: String(decoding: $0, as: UTF8.self), options: TextFormatDecodingOptions(typeRegistry: registry)) }
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
    ]

    @Test("Swift's text read by text_format, text_format's text read by Swift", arguments: cases)
    func bothWays(_ c: FormatInterop) throws {
        try c.bothWays(count: Self.count)
    }
}
