import Foundation
import ProtoWire
import Testing

/// One fixture root through a text form (JSON or the text format) both ways against Python's
/// protobuf, over the differential tests' random messages (see Tests/Differential/README.md):
///
/// - Swift → Python: Swift decodes Python's binary records and writes them in the form;
///   `check-FORMAT` parses each with Python and requires the message Python wrote.
/// - Python → Swift: `to-FORMAT` writes Python's records in the form; Swift parses each and
///   writes it in binary; `check` (with `--FORMAT-lossy`) requires the message Python wrote.
struct FormatInterop: Sendable, CustomTestStringConvertible {
    /// `json` or `text`: the differential script's name for the form.
    let format: String
    let message: String
    let write: @Sendable ([UInt8]) throws -> [UInt8]
    let read: @Sendable ([UInt8]) throws -> [UInt8]

    var testDescription: String { message }

    init<M: ProtoMessage>(
        _ format: String, _ message: String, _: M.Type,
        write: @escaping @Sendable (M) throws -> [UInt8], read: @escaping @Sendable ([UInt8]) throws -> M
    ) {
        precondition(M.protoMessageName == message, "\(M.self) is \(M.protoMessageName), not \(message)")
        self.format = format
        self.message = message
        self.write = { try write(try M(serializedBytes: $0)) }
        self.read = { try read($0).serializedBytes() }
    }

    /// Runs `count` random messages each way, records the mismatches as issues and prints the counts.
    func bothWays(count: Int) throws {
        var time = DifferentialHarness.Stopwatch()
        let records = try DifferentialTests.PythonRecords(message: message, count: count, name: "\(format)-\(message)", time: &time)
        let common = ["--descriptor-set", records.workspace.descriptorSet, "--message", message]

        let swiftWritten = records.workspace.path("swift-\(format).rec")
        try DifferentialTests.reencodeAll(records.expected, write, label: "\(message) to \(format)", to: swiftWritten)
        let checked = try DifferentialHarness.python(["check-\(format)"] + common + ["--expected", records.expectedPath, "--actual", swiftWritten])
        let swiftToPython = DifferentialHarness.checkCounts(checked)
        #expect(checked.status == 0 && swiftToPython?.mismatches == 0, "\(checked.transcript)")

        let pythonWritten = records.workspace.path("python-\(format).rec")
        let written = try DifferentialHarness.python(["to-\(format)"] + common + ["--in", records.expectedPath, "--out", pythonWritten])
        try #require(written.status == 0, "\(written.transcript)")
        let fromPython = records.workspace.path("swift-from-\(format).bin")
        try DifferentialTests.reencodeAll(try DifferentialHarness.readRecords(pythonWritten), read, label: "\(message) from \(format)", to: fromPython)
        let backChecked = try DifferentialHarness.python(
            ["check"] + common + ["--expected", records.expectedPath, "--actual", fromPython, "--\(format)-lossy", "--limit", "10", "--width", "600"])
        let pythonToSwift = DifferentialHarness.checkCounts(backChecked) ?? (records.expected.count, -1)
        #expect(backChecked.status == 0 && pythonToSwift.mismatches == 0, "\(backChecked.transcript)")
        print("\(format) interop \(message): swift→python \(swiftToPython?.messages ?? 0) messages, \(swiftToPython?.mismatches ?? -1) mismatches; python→swift \(pythonToSwift.messages) messages, \(pythonToSwift.mismatches) mismatches")
    }
}
