import Foundation
import GeneratedFixtures
import ProtoWire
import Testing

/// The JSON mapping of generated messages against Python protobuf's `json_format`, over the
/// differential tests' random messages (see Tests/Differential/README.md):
///
/// - Swift → Python: Swift decodes Python's binary records and writes them as JSON;
///   `check-json` parses each with `json_format` and requires the message Python wrote.
/// - Python → Swift: `to-json` writes Python's records as JSON; Swift parses each and writes it
///   in binary; `check` requires the message Python wrote.
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

    struct Case: Sendable, CustomTestStringConvertible {
        let message: String
        let toJSON: @Sendable ([UInt8]) throws -> [UInt8]
        let fromJSON: @Sendable ([UInt8]) throws -> [UInt8]

        var testDescription: String { message }

        static func make<M: ProtoMessage>(_ message: String, _: M.Type) -> Self {
            precondition(M.protoMessageName == message, "\(M.self) is \(M.protoMessageName), not \(message)")
            return Case(
                message: message,
                toJSON: { try M(serializedBytes: $0).jsonUTF8Bytes() },
                fromJSON: { try M(jsonUTF8Bytes: $0).serializedBytes() }
            )
        }
    }

    static let cases: [Case] = [
        .make("fixtures.enums.Enums", Fixtures_Enums_Enums.self),
        .make("fixtures.nested.NestedRoot", Fixtures_Nested_NestedRoot.self),
        .make("fixtures.naming.Naming", Fixtures_Naming_Naming.self),
        .make("fixtures.prefixed.Prefixed", NPPrefixed.self),
        .make("fixtures.shadowing.Shadowing", Fixtures_Shadowing_Shadowing.self),
        .make("fixtures.editions.Editions", Fixtures_Editions_Editions.self),
    ]

    @Test("Swift's JSON read by json_format, json_format's JSON read by Swift", arguments: cases)
    func bothWays(_ c: Case) throws {
        var time = DifferentialHarness.Stopwatch()
        let records = try DifferentialTests.PythonRecords(message: c.message, count: Self.count, name: "json-\(c.message)", time: &time)
        let common = ["--descriptor-set", records.workspace.descriptorSet, "--message", c.message]

        let swiftJSON = records.workspace.path("swift-json.rec")
        try DifferentialTests.reencodeAll(records.expected, c.toJSON, label: "\(c.message) to JSON", to: swiftJSON)
        let checked = try DifferentialHarness.python(["check-json"] + common + ["--expected", records.expectedPath, "--actual", swiftJSON])
        let swiftToPython = DifferentialHarness.checkCounts(checked)
        #expect(checked.status == 0 && swiftToPython?.mismatches == 0, "\(checked.transcript)")

        let pythonJSON = records.workspace.path("python-json.rec")
        let written = try DifferentialHarness.python(["to-json"] + common + ["--in", records.expectedPath, "--out", pythonJSON])
        try #require(written.status == 0, "\(written.transcript)")
        let fromPython = records.workspace.path("swift-from-json.bin")
        try DifferentialTests.reencodeAll(try DifferentialHarness.readRecords(pythonJSON), c.fromJSON, label: "\(c.message) from JSON", to: fromPython)
        let backChecked = try DifferentialHarness.python(
            ["check"] + common + ["--expected", records.expectedPath, "--actual", fromPython, "--json-lossy", "--limit", "10", "--width", "600"])
        let pythonToSwift = DifferentialHarness.checkCounts(backChecked) ?? (records.expected.count, -1)
        #expect(backChecked.status == 0 && pythonToSwift.mismatches == 0, "\(backChecked.transcript)")
        print("json interop \(c.message): swift→python \(swiftToPython?.messages ?? 0) messages, \(swiftToPython?.mismatches ?? -1) mismatches; python→swift \(pythonToSwift.messages) messages, \(pythonToSwift.mismatches) mismatches")
    }
}
