import Foundation
import GeneratedFixtures
import ProtoWire
import Testing

/// The generated fixture types and the ProtoWire runtime against Google's Python protobuf, through
/// Tests/Differential/differential.py (see the README beside it).
///
/// - Python → Swift: Python writes random messages of each fixture file's root type, Swift decodes
///   and re-encodes them, and `check --strict` requires Swift's bytes to equal Python's
///   (canonical, deterministic) bytes exactly.
/// - v2 → v1: v2 records decoded as v1 keep what v1 does not know as unknown fields and write it
///   back; `check` (not strict: unknown fields move to the end) must see the v2 message unchanged.
/// - Swift → Python: Swift builds random messages, Python parses and re-encodes them, and Swift
///   requires Python's bytes to be its own, and the decoded message to equal the original.
///
/// Each run prints one summary line per direction and type, e.g.
/// `differential python→swift fixtures.Scalars: 2000 messages, 0 mismatches`.
@Suite("Differential tests against Python protobuf")
struct DifferentialTests {
    static let seed = 20_240_601
    static let count = 2000

    // MARK: Python → Swift

    struct PythonCase: Sendable, CustomTestStringConvertible {
        let message: String
        let count: Int
        /// Decodes one record as the Swift type and re-encodes it.
        let reencode: @Sendable ([UInt8]) throws -> [UInt8]

        var testDescription: String { message }

        static func make<M: ProtoMessage>(_ message: String, _: M.Type, count: Int = DifferentialTests.count) -> Self {
            precondition(M.protoMessageName == message, "\(M.self) is \(M.protoMessageName), not \(message)")
            return PythonCase(message: message, count: count) { try M(serializedBytes: $0).serializedBytes() }
        }
    }

    /// The longest case first (Python needs about 8 ms to build each Maps message, 16 s for all
    /// of them), so both cores stay busy to the end.
    static let pythonCases: [PythonCase] = [
        .make("fixtures.maps.Maps", Fixtures_Maps_Maps.self),
        .make("fixtures.Scalars", Fixtures_Scalars.self),
        .make("fixtures.enums.Enums", Fixtures_Enums_Enums.self),
        .make("fixtures.nested.NestedRoot", Fixtures_Nested_NestedRoot.self),
        .make("fixtures.naming.Naming", Fixtures_Naming_Naming.self),
        .make("fixtures.prefixed.Prefixed", NPPrefixed.self),
        .make("fixtures.shadowing.Shadowing", Fixtures_Shadowing_Shadowing.self),
        .make("fixtures.imports.Everything", Fixtures_Imports_Everything.self),
        .make("fixtures.v1.Record", Fixtures_V1_Record.self),
        .make("fixtures.v2.Record", Fixtures_V2_Record.self),
        .make("fixtures.editions.Editions", Fixtures_Editions_Editions.self),
        .make("fixtures.defaults.Defaults", Fixtures_Defaults_Defaults.self),
        .make("fixtures.proto2.Proto2", Fixtures_Proto2_Proto2.self),
        .make("fixtures.required.Outer", Fixtures_Required_Outer.self),
    ]

    /// Python-generated records, minus canonically equivalent string map keys.
    struct PythonRecords {
        let workspace: DifferentialHarness.Workspace
        /// What `generate` wrote.
        let generated: [[UInt8]]
        /// The records Swift decodes and `check` compares against: `generated`, except that the
        /// records in `equivalentKeys.records` lost all but one of each set of canonically
        /// equivalent string map keys (a Swift `Dictionary<String, _>` cannot hold them apart).
        let expectedPath: String
        let expected: [[UInt8]]
        let equivalentKeys: DifferentialHarness.EquivalentKeys
        /// The last line `generate` printed.
        let generateSummary: String

        /// `undeclaredClosedEnums`: Python merges numbers that closed enums do not declare into each
        /// root message (they travel as unknown fields, which only the binary format carries).
        /// `jsonMode`: only values the JSON mapping and Python's `json_format` can carry
        /// (`generate --json`, see Tests/Differential/README.md). `extensions`: the descriptor set
        /// holds extensions/extensions.proto too, and Python sets its extensions (`--extensions`).
        init(message: String, count: Int, as other: String? = nil, undeclaredClosedEnums: Bool = false,
             jsonMode: Bool = false, extensions: Bool = false, name: String,
             time: inout DifferentialHarness.Stopwatch) throws {
            workspace = try DifferentialHarness.Workspace(name, extensions: extensions)
            time.lap("protoc")
            let generatedPath = workspace.path("generated.bin")
            var arguments = ["generate", "--descriptor-set", workspace.descriptorSet, "--message", message,
                             "--count", String(count), "--seed", String(DifferentialTests.seed),
                             "--out", generatedPath]
            if let other { arguments += ["--as", other] }
            if undeclaredClosedEnums { arguments.append("--undeclared-closed-enums") }
            if jsonMode { arguments.append("--json") }
            if extensions { arguments.append("--extensions") }
            let output = try DifferentialHarness.python(arguments)
            guard output.status == 0 else { throw DifferentialHarness.Failure(output.transcript) }
            generateSummary = output.stdout.split(separator: "\n").last.map(String.init) ?? ""
            time.lap("generate")
            generated = try DifferentialHarness.readRecords(generatedPath)
            guard generated.count == count else {
                throw DifferentialHarness.Failure("generate wrote \(generated.count) records, not \(count)")
            }
            expectedPath = workspace.path("expected.bin")
            equivalentKeys = try DifferentialHarness.dropEquivalentKeys(
                descriptorSet: workspace.descriptorSet, message: message, from: generatedPath, to: expectedPath)
            expected = try DifferentialHarness.readRecords(expectedPath)
            time.lap("key filter")
        }
    }

    /// Decodes every record with `reencode` and writes the results; a record Swift cannot decode
    /// becomes an empty record (so `check` counts it) and an issue showing its bytes.
    static func reencodeAll(_ records: [[UInt8]], _ reencode: ([UInt8]) throws -> [UInt8], label: String,
                            to path: String) throws {
        var output: [[UInt8]] = []
        output.reserveCapacity(records.count)
        var failures = 0
        for (index, record) in records.enumerated() {
            do {
                output.append(try reencode(record))
            } catch {
                failures += 1
                if failures <= 5 {
                    Issue.record("\(label) #\(index): Swift cannot decode it: \(error); bytes=\(DifferentialHarness.hex(record, limit: 400))")
                }
                output.append([])
            }
        }
        try DifferentialHarness.writeRecords(output, to: path)
    }

    /// Runs `check` and turns a non-zero exit into a test failure carrying the harness's report.
    static func check(_ records: PythonRecords, message: String, actualPath: String, strict: Bool,
                      label: String) throws -> (messages: Int, mismatches: Int) {
        var arguments = ["check", "--descriptor-set", records.workspace.descriptorSet, "--message", message,
                         "--expected", records.expectedPath, "--actual", actualPath, "--limit", "10", "--width", "600"]
        if strict { arguments.append("--strict") }
        let output = try DifferentialHarness.python(arguments)
        let counts = DifferentialHarness.checkCounts(output)
        if output.status != 0 || counts == nil || counts?.mismatches != 0 {
            Issue.record("\(label): differential.py check failed (files kept in \(records.workspace.directory.path))\n\(output.transcript)")
        }
        return counts ?? (records.expected.count, -1)
    }

    static func equivalentKeyNote(_ keys: DifferentialHarness.EquivalentKeys) -> String {
        if keys.records.isEmpty { return "" }
        return " (\(keys.records.count) records compared after dropping \(keys.droppedKeys) canonically equivalent string map keys)"
    }

    @Test("Python → Swift → Python, byte for byte", arguments: pythonCases)
    func pythonToSwift(_ testCase: PythonCase) throws {
        let label = "differential python→swift \(testCase.message)"
        var time = DifferentialHarness.Stopwatch()
        let records = try PythonRecords(message: testCase.message, count: testCase.count, undeclaredClosedEnums: true,
                                        name: testCase.message.replacingOccurrences(of: ".", with: "_"), time: &time)
        let actualPath = records.workspace.path("actual.bin")
        try Self.reencodeAll(records.expected, testCase.reencode, label: label, to: actualPath)
        time.lap("swift")

        // The records that held equivalent keys must still decode as Python wrote them.
        for index in records.equivalentKeys.records {
            #expect(throws: Never.self, "\(label) #\(index) as generated") {
                _ = try testCase.reencode(records.generated[index])
            }
        }

        let (messages, mismatches) = try Self.check(records, message: testCase.message, actualPath: actualPath,
                                                    strict: true, label: label)
        time.lap("check")
        print("\(label): \(messages) messages, \(mismatches) mismatches\(Self.equivalentKeyNote(records.equivalentKeys))"
              + " [\(time.summary)]")
        if mismatches == 0 { records.workspace.remove() }
    }

    // MARK: v2 → v1 → v2: unknown fields

    /// Whether a v1 record, or a message inside it, holds unknown fields.
    static func carriesUnknownFields(_ record: Fixtures_V1_Record) -> Bool {
        !record.unknownFields.isEmpty || !(record.inner?.unknownFields.isEmpty ?? true)
            || record.inners.contains { !$0.unknownFields.isEmpty }
    }

    @Test("fixtures.v2.Record decoded as fixtures.v1.Record keeps what v1 does not know")
    func unknownFieldsSurvive() throws {
        let label = "differential python→swift fixtures.v2.Record as fixtures.v1.Record"
        var time = DifferentialHarness.Stopwatch()
        let records = try PythonRecords(message: "fixtures.v2.Record", count: Self.count, as: "fixtures.v1.Record",
                                        name: "v2_as_v1", time: &time)
        var output: [[UInt8]] = []
        var carrying = 0
        for (index, record) in records.expected.enumerated() {
            do {
                let v1 = try Fixtures_V1_Record(serializedBytes: record)
                if Self.carriesUnknownFields(v1) { carrying += 1 }
                output.append(v1.serializedBytes())
            } catch {
                Issue.record("\(label) #\(index): Swift cannot decode it: \(error); bytes=\(DifferentialHarness.hex(record, limit: 400))")
                output.append([])
            }
        }
        let actualPath = records.workspace.path("actual.bin")
        try DifferentialHarness.writeRecords(output, to: actualPath)
        time.lap("swift")

        // generate --as says how many records carry fields v1 does not know; Swift must agree.
        let pythonCount = records.generateSummary.split(separator: ";").last
            .flatMap { $0.split(separator: " ").first }.flatMap { Int($0) }
        #expect(pythonCount == carrying, "Python: \(records.generateSummary); Swift: \(carrying) carry unknown fields")
        #expect(carrying > Self.count / 2, "too few records carry unknown fields: \(carrying)")

        let (messages, mismatches) = try Self.check(records, message: "fixtures.v2.Record", actualPath: actualPath,
                                                    strict: false, label: label)
        time.lap("check")
        print("\(label): \(messages) messages, \(mismatches) mismatches (\(carrying) carry fields unknown to v1)"
              + Self.equivalentKeyNote(records.equivalentKeys) + " [\(time.summary)]")
        if mismatches == 0 { records.workspace.remove() }
    }

    // MARK: Swift → Python

    struct SwiftCase: Sendable, CustomTestStringConvertible {
        let message: String
        let run: @Sendable () throws -> Void

        var testDescription: String { message }

        static func make<M: ProtoMessage>(_ message: String, _: M.Type, count: Int = DifferentialTests.count,
                                          build: @escaping @Sendable (FixtureRandom) -> M) -> Self {
            precondition(M.protoMessageName == message, "\(M.self) is \(M.protoMessageName), not \(message)")
            return SwiftCase(message: message) { try DifferentialTests.swiftToPython(message, count: count, build) }
        }
    }

    static let swiftCases: [SwiftCase] = [
        .make("fixtures.maps.Maps", Fixtures_Maps_Maps.self) { $0.maps() },
        .make("fixtures.Scalars", Fixtures_Scalars.self) { $0.scalars() },
        .make("fixtures.enums.Enums", Fixtures_Enums_Enums.self) { $0.enums() },
        .make("fixtures.nested.NestedRoot", Fixtures_Nested_NestedRoot.self) { $0.nestedRoot() },
        .make("fixtures.v2.Record", Fixtures_V2_Record.self) { $0.recordV2() },
        .make("fixtures.proto2.Proto2", Fixtures_Proto2_Proto2.self) { $0.proto2Root() },
    ]

    @Test("Swift → Python → Swift", arguments: swiftCases)
    func swiftToPython(_ testCase: SwiftCase) throws {
        try testCase.run()
    }

    static func swiftToPython<M: ProtoMessage>(_ message: String, count: Int,
                                               _ build: (FixtureRandom) -> M) throws {
        let label = "differential swift→python \(message)"
        var time = DifferentialHarness.Stopwatch()
        var originals: [M] = []
        var bytes: [[UInt8]] = []
        var hasNaN: [Bool] = []
        for index in 0..<count {
            let random = FixtureRandom(seed: UInt64(seed), index: index)
            let original = build(random)
            originals.append(original)
            bytes.append(try original.serializedBytes())
            hasNaN.append(random.producedNaN)
        }

        time.lap("build")
        let workspace = try DifferentialHarness.Workspace(message.replacingOccurrences(of: ".", with: "_") + "_swift")
        time.lap("protoc")
        let swiftPath = workspace.path("swift.bin")
        let pythonPath = workspace.path("python.bin")
        try DifferentialHarness.writeRecords(bytes, to: swiftPath)
        let output = try DifferentialHarness.python(["roundtrip", "--descriptor-set", workspace.descriptorSet,
                                                     "--message", message, "--in", swiftPath, "--out", pythonPath])
        guard output.status == 0 else {
            var report = "\(label): Python could not read Swift's records (kept in \(workspace.directory.path))\n\(output.transcript)"
            if let hash = output.stderr.firstIndex(of: "#"),
               let index = Int(output.stderr[output.stderr.index(after: hash)...].prefix { $0.isNumber }),
               index < bytes.count {
                report += "\nrecord #\(index): \(DifferentialHarness.hex(bytes[index], limit: 600))"
            }
            Issue.record(Comment(rawValue: report))
            return
        }
        time.lap("roundtrip")
        let python = try DifferentialHarness.readRecords(pythonPath)
        try #require(python.count == count, "\(label): Python wrote \(python.count) records, not \(count)")

        var mismatches = 0
        var reports: [String] = []
        func mismatch(_ index: Int, _ what: String) {
            mismatches += 1
            if reports.count < 10 { reports.append("#\(index): \(what)") }
        }
        for index in 0..<count {
            let mine = bytes[index]
            let theirs = python[index]
            if theirs != mine {
                let at = DifferentialHarness.firstDifference(mine, theirs)
                mismatch(index, "Python re-encodes Swift's bytes differently at byte \(at): "
                         + "\(DifferentialHarness.window(mine, theirs, at: at)); "
                         + "swift=\(DifferentialHarness.hex(mine, limit: 600)) python=\(DifferentialHarness.hex(theirs, limit: 600))")
                continue
            }
            let decoded: M
            do {
                decoded = try M(serializedBytes: theirs)
            } catch {
                mismatch(index, "Swift cannot decode Python's bytes: \(error); python=\(DifferentialHarness.hex(theirs, limit: 600))")
                continue
            }
            let again = try decoded.serializedBytes()
            if again != mine {
                let at = DifferentialHarness.firstDifference(mine, again)
                mismatch(index, "decoded and re-encoded, Swift's bytes change at byte \(at): "
                         + "\(DifferentialHarness.window(mine, again, at: at)); original=\(DifferentialHarness.hex(mine, limit: 600))")
                continue
            }
            if !hasNaN[index] && decoded != originals[index] {
                mismatch(index, "decoded message != original although the bytes match: "
                         + "original=\(originals[index].debugDescription.prefix(600)) decoded=\(decoded.debugDescription.prefix(600)) "
                         + "bytes=\(DifferentialHarness.hex(mine, limit: 600))")
            }
        }
        time.lap("compare")
        let withNaN = hasNaN.filter { $0 }.count
        print("\(label): \(count) messages, \(mismatches) mismatches (\(withNaN) holding NaN compared by bytes only)"
              + " [\(time.summary)]")
        if mismatches > 0 {
            Issue.record(Comment(rawValue: "\(label): \(mismatches) mismatches (files kept in \(workspace.directory.path))\n"
                                 + reports.joined(separator: "\n")))
        } else {
            workspace.remove()
        }
    }
}
