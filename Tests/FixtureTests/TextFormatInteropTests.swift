import Foundation
import GeneratedFixtures
import ProtoWire
import Testing

/// The text format of generated messages against Python protobuf's `text_format`, over the
/// differential tests' random messages (see Tests/Differential/README.md):
///
/// - Swift → Python: Swift decodes Python's binary records and prints them in the text format;
///   `check-text` parses each with `text_format` and requires the message Python wrote.
/// - Python → Swift: `to-text` prints Python's records; Swift parses each and writes it in
///   binary; `check` requires the message Python wrote.
///
/// Only NaN payloads are not counted as differences: the text format prints every NaN as `nan`
/// (inside an `Any`'s bytes too, as both sides print an `Any` of a known type expanded).
@Suite("Text format against Python's text_format")
struct TextFormatInteropTests {
    static let count = 500

    /// Random `Any` fields hold any message type of the fixture set, by type URL. Passed in the
    /// options (not registered process-wide, which other tests running alongside look at).
    static let registry = TypeRegistry(
        Fixtures_Enums_Enums_MessageTypes + Fixtures_Imports_Imports_MessageTypes + Fixtures_Maps_Maps_MessageTypes
            + Fixtures_Naming_Naming_MessageTypes + Fixtures_Nested_Nested_MessageTypes + Fixtures_Scalars_MessageTypes
            + Fixtures_Shadowing_Shadowing_MessageTypes + Fixtures_V1_EvolutionV1_MessageTypes + Fixtures_V2_EvolutionV2_MessageTypes
            + Fixtures_Editions_Editions_MessageTypes + Fixtures_Defaults_Defaults_MessageTypes + NPPrefixed_MessageTypes
    )

    struct Case: Sendable, CustomTestStringConvertible {
        let message: String
        let toText: @Sendable ([UInt8]) throws -> [UInt8]
        let fromText: @Sendable ([UInt8]) throws -> [UInt8]

        var testDescription: String { message }

        static func make<M: ProtoMessage>(_ message: String, _: M.Type) -> Self {
            precondition(M.protoMessageName == message, "\(M.self) is \(M.protoMessageName), not \(message)")
            return Case(
                message: message,
                toText: { Array(try M(serializedBytes: $0).textFormatString(options: TextFormatEncodingOptions(typeRegistry: TextFormatInteropTests.registry)).utf8) },
                fromText: {
                    try M(textFormatString: String(decoding: $0, as: UTF8.self), options: TextFormatDecodingOptions(typeRegistry: TextFormatInteropTests.registry)).serializedBytes()
                }
            )
        }
    }

    static let cases: [Case] = [
        .make("fixtures.Scalars", Fixtures_Scalars.self),
        .make("fixtures.maps.Maps", Fixtures_Maps_Maps.self),
        .make("fixtures.enums.Enums", Fixtures_Enums_Enums.self),
        .make("fixtures.nested.NestedRoot", Fixtures_Nested_NestedRoot.self),
        .make("fixtures.naming.Naming", Fixtures_Naming_Naming.self),
        .make("fixtures.prefixed.Prefixed", NPPrefixed.self),
        .make("fixtures.shadowing.Shadowing", Fixtures_Shadowing_Shadowing.self),
        .make("fixtures.imports.Everything", Fixtures_Imports_Everything.self),
        .make("fixtures.editions.Editions", Fixtures_Editions_Editions.self),
        .make("fixtures.defaults.Defaults", Fixtures_Defaults_Defaults.self),
    ]

    @Test("Swift's text read by text_format, text_format's text read by Swift", arguments: cases)
    func bothWays(_ c: Case) throws {
        var time = DifferentialHarness.Stopwatch()
        let records = try DifferentialTests.PythonRecords(message: c.message, count: Self.count, name: "text-\(c.message)", time: &time)
        let common = ["--descriptor-set", records.workspace.descriptorSet, "--message", c.message]

        let swiftText = records.workspace.path("swift-text.rec")
        try DifferentialTests.reencodeAll(records.expected, c.toText, label: "\(c.message) to text", to: swiftText)
        let checked = try DifferentialHarness.python(["check-text"] + common + ["--expected", records.expectedPath, "--actual", swiftText])
        let swiftToPython = DifferentialHarness.checkCounts(checked)
        #expect(checked.status == 0 && swiftToPython?.mismatches == 0, "\(checked.transcript)")

        let pythonText = records.workspace.path("python-text.rec")
        let written = try DifferentialHarness.python(["to-text"] + common + ["--in", records.expectedPath, "--out", pythonText])
        try #require(written.status == 0, "\(written.transcript)")
        let fromPython = records.workspace.path("swift-from-text.bin")
        try DifferentialTests.reencodeAll(try DifferentialHarness.readRecords(pythonText), c.fromText, label: "\(c.message) from text", to: fromPython)
        let backChecked = try DifferentialHarness.python(
            ["check"] + common + ["--expected", records.expectedPath, "--actual", fromPython, "--text-lossy", "--limit", "10", "--width", "600"])
        let pythonToSwift = DifferentialHarness.checkCounts(backChecked) ?? (records.expected.count, -1)
        #expect(backChecked.status == 0 && pythonToSwift.mismatches == 0, "\(backChecked.transcript)")
        print("text interop \(c.message): swift→python \(swiftToPython?.messages ?? 0) messages, \(swiftToPython?.mismatches ?? -1) mismatches; python→swift \(pythonToSwift.messages) messages, \(pythonToSwift.mismatches) mismatches")
    }
}
