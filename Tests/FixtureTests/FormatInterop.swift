import Foundation
import GeneratedFixtures
import ProtoWire
import Testing

/// One fixture root through a text form (JSON or the text format) both ways against Python's
/// protobuf, over the differential tests' random messages (see Tests/Differential/README.md):
///
/// - Swift → Python: Swift decodes Python's binary records and writes them in the form;
///   `check-FORMAT` parses each with Python and requires the message Python wrote.
/// - Python → Swift: `to-FORMAT` writes Python's records in the form; Swift parses each and
///   writes it in binary. Two checks: `check` (with `--FORMAT-lossy`) requires the message Python
///   wrote, and `check --any-canonical` requires exactly what Python itself parses from the same
///   text (both readers agree on every text, to the bit).
struct FormatInterop: Sendable, CustomTestStringConvertible {
    /// `json` or `text`: the differential script's name for the form.
    let format: String
    let message: String
    let write: @Sendable ([UInt8]) throws -> [UInt8]
    let read: @Sendable ([UInt8]) throws -> [UInt8]
    /// Whether the descriptor set holds extensions/extensions.proto and Python sets extensions.
    let extensions: Bool

    var testDescription: String { message }

    /// Random `Any` fields hold any message type of the fixture set, by type URL. Passed in the
    /// options (not registered process-wide, which other tests running alongside look at).
    static let typeRegistry = TypeRegistry(
        Fixtures_Enums_Enums_MessageTypes + Fixtures_Imports_Imports_MessageTypes + Fixtures_Maps_Maps_MessageTypes
            + Fixtures_Naming_Naming_MessageTypes + Fixtures_Nested_Nested_MessageTypes + Fixtures_Scalars_MessageTypes
            + Fixtures_Shadowing_Shadowing_MessageTypes + Fixtures_V1_EvolutionV1_MessageTypes + Fixtures_V2_EvolutionV2_MessageTypes
            + Fixtures_Editions_Editions_MessageTypes + Fixtures_Defaults_Defaults_MessageTypes + NPPrefixed_MessageTypes
            + Fixtures_Proto2_Proto2_MessageTypes + Fixtures_Required_Required_MessageTypes
            + Fixtures_Extensions_Extensions_MessageTypes
    )

    /// Every extension of extensions/extensions.proto.
    static let extensionRegistry = ExtensionRegistry([
        Fixtures_Extensions_Extensions_count, Fixtures_Extensions_Extensions_label, Fixtures_Extensions_Extensions_blob,
        Fixtures_Extensions_Extensions_note, Fixtures_Extensions_Extensions_numbers, Fixtures_Extensions_Extensions_packed_numbers,
        Fixtures_Extensions_Extensions_color, Fixtures_Extensions_Extensions_colors, Fixtures_Extensions_Extensions_tags,
        Fixtures_Extensions_Extensions_ratio, Fixtures_Extensions_Extensions_flag, Fixtures_Extensions_Extensions_extra,
        Fixtures_Extensions_Extensions_item, Fixtures_Extensions_Holder.Extensions.holder, Fixtures_Extensions_Holder.Extensions.code,
        Fixtures_Extensions_Extensions_bag_note, Fixtures_Extensions_Extensions_bag_holder,
    ])

    init<M: ProtoMessage>(
        _ format: String, _ message: String, _: M.Type, extensions: Bool = false,
        write: @escaping @Sendable (M) throws -> [UInt8], read: @escaping @Sendable ([UInt8]) throws -> M
    ) {
        precondition(M.protoMessageName == message, "\(M.self) is \(M.protoMessageName), not \(message)")
        self.format = format
        self.message = message
        self.extensions = extensions
        self.write = { try write(try M(serializedBytes: $0)) }
        self.read = { try read($0).serializedBytes() }
    }

    /// Runs `count` random messages each way, records the mismatches as issues and prints the
    /// counts. `jsonMode`: Python draws only values JSON and its `json_format` can carry. The
    /// scratch directory is removed when nothing differs.
    func bothWays(count: Int, jsonMode: Bool = false) throws {
        var time = DifferentialHarness.Stopwatch()
        let records = try DifferentialTests.PythonRecords(
            message: message, count: count, jsonMode: jsonMode, extensions: extensions, name: "\(format)-\(message)",
            time: &time)
        let common = ["--descriptor-set", records.workspace.descriptorSet, "--message", message]

        let swiftWritten = records.workspace.path("swift-\(format).rec")
        try DifferentialTests.reencodeAll(records.expected, write, label: "\(message) to \(format)", to: swiftWritten)
        let checked = try DifferentialHarness.python(["check-\(format)"] + common + ["--expected", records.expectedPath, "--actual", swiftWritten])
        let swiftToPython = DifferentialHarness.checkCounts(checked)
        #expect(checked.status == 0 && swiftToPython?.mismatches == 0, "\(checked.transcript)")

        let pythonWritten = records.workspace.path("python-\(format).rec")
        let pythonParsed = records.workspace.path("python-parsed-\(format).bin")
        let written = try DifferentialHarness.python(
            ["to-\(format)"] + common + ["--in", records.expectedPath, "--out", pythonWritten, "--parsed", pythonParsed])
        try #require(written.status == 0, "\(written.transcript)")
        let fromPython = records.workspace.path("swift-from-\(format).bin")
        try DifferentialTests.reencodeAll(try DifferentialHarness.readRecords(pythonWritten), read, label: "\(message) from \(format)", to: fromPython)
        let backChecked = try DifferentialHarness.python(
            ["check"] + common + ["--expected", records.expectedPath, "--actual", fromPython, "--\(format)-lossy", "--limit", "10", "--width", "600"])
        let pythonToSwift = DifferentialHarness.checkCounts(backChecked) ?? (records.expected.count, -1)
        #expect(backChecked.status == 0 && pythonToSwift.mismatches == 0, "\(backChecked.transcript)")
        let agreed = try DifferentialHarness.python(
            ["check"] + common + ["--expected", pythonParsed, "--actual", fromPython, "--any-canonical", "--limit", "10", "--width", "600"])
        let readersAgree = DifferentialHarness.checkCounts(agreed) ?? (records.expected.count, -1)
        #expect(agreed.status == 0 && readersAgree.mismatches == 0, "Swift's and Python's reading of the same \(format):\n\(agreed.transcript)")
        if swiftToPython?.mismatches == 0 && pythonToSwift.mismatches == 0 && readersAgree.mismatches == 0 {
            records.workspace.remove()  // kept when something differs, for a look at the records
        }
        // What `generate` adds after its first `;`, such as the ±FLT_MAX count in JSON mode.
        let notes = records.generateSummary.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        print("\(format) interop \(message): swift→python \(swiftToPython?.messages ?? 0) messages, \(swiftToPython?.mismatches ?? -1) mismatches; "
            + "python→swift \(pythonToSwift.messages) messages, \(pythonToSwift.mismatches) mismatches, "
            + "\(readersAgree.mismatches) where the readers disagree\(notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))")")
    }
}
