import Dispatch
import Foundation

/// Running `Tests/Differential/differential.py` (and protoc) from the Swift tests: paths, child
/// processes, record files and the descriptor set. See Tests/Differential/README.md.
enum DifferentialHarness {
    /// The package root, found from this file's own path (Tests/FixtureTests/<this file>).
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Tests/FixtureTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static var script: String { repoRoot.appendingPathComponent("Tests/Differential/differential.py").path }
    static var harnessDirectory: String { repoRoot.appendingPathComponent("Tests/Differential").path }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: Child processes

    struct Output: Sendable {
        let command: String
        let status: Int32
        let stdout: String
        let stderr: String

        /// Everything the process printed, for test failure messages.
        var transcript: String {
            var text = "$ \(command)\nexit status \(status)\n"
            if !stdout.isEmpty { text += "--- stdout ---\n\(stdout)" }
            if !stderr.isEmpty { text += "--- stderr ---\n\(stderr)" }
            return text
        }
    }

    /// Collects one pipe's bytes on another thread, so neither pipe can fill up and block the child.
    private final class PipeDrain: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            DispatchQueue.global().async { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }
        }

        func wait() -> Data {
            done.wait()
            return data
        }
    }

    /// Runs `arguments[0]` (looked up on PATH, or an absolute path) and returns what it printed.
    /// Both pipes are read to the end before waiting for the exit status.
    static func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        if arguments[0].hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"  // no __pycache__ inside Tests/Differential
        environment["PYTHONIOENCODING"] = "utf-8"
        process.environment = environment
        process.currentDirectoryURL = repoRoot
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        // Not waitUntilExit(): on Linux it spins a run loop at full speed off the main thread.
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        let errorDrain = PipeDrain(stderr.fileHandleForReading)
        let outData = stdout.fileHandleForReading.readDataToEndOfFile()
        let errData = errorDrain.wait()
        exited.wait()
        return Output(
            command: arguments.map { $0.contains(" ") || $0.contains("\n") ? "'\($0.prefix(60))…'" : $0 }
                .joined(separator: " "),
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }

    /// Runs a command that must succeed.
    @discardableResult
    static func runChecked(_ arguments: [String]) throws -> Output {
        let output = try run(arguments)
        guard output.status == 0 else { throw Failure(output.transcript) }
        return output
    }

    /// `differential.py SUBCOMMAND ARGS…`
    static func python(_ arguments: [String]) throws -> Output {
        try run(["python3", script] + arguments)
    }

    // MARK: Scratch directories and the descriptor set

    /// A fresh directory for one test's files, holding `fixtures.pb`, the descriptor set of every
    /// fixture file with its imports (protoc, include paths Fixtures/protos and /usr/include), and
    /// with `extensions`, of extensions/extensions.proto too.
    struct Workspace {
        let directory: URL
        let descriptorSet: String

        init(_ name: String, extensions: Bool = false) throws {
            let unique = "differential-\(name)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
            directory = FileManager.default.temporaryDirectory.appendingPathComponent(unique)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            descriptorSet = directory.appendingPathComponent("fixtures.pb").path

            let protoRoot = repoRoot.appendingPathComponent("Fixtures/protos")
            let fixtureDirectory = protoRoot.appendingPathComponent("fixtures")
            let protos = try FileManager.default.contentsOfDirectory(atPath: fixtureDirectory.path)
                .filter { $0.hasSuffix(".proto") }
                .sorted()
                .map { fixtureDirectory.appendingPathComponent($0).path }
            guard !protos.isEmpty else { throw Failure("no .proto files in \(fixtureDirectory.path)") }
            let extensionProtos = extensions ? [protoRoot.appendingPathComponent("extensions/extensions.proto").path] : []
            let protoc = FileManager.default.isExecutableFile(atPath: "/usr/bin/protoc") ? "/usr/bin/protoc" : "protoc"
            try runChecked([protoc, "-I", protoRoot.path, "-I", "/usr/include", "--include_imports",
                            "--descriptor_set_out=\(descriptorSet)"] + protos + extensionProtos)
            // The editions fixtures need grpcio-tools' protoc (Debian's 3.21 predates editions). They
            // import nothing, so their set is appended as is: two serialized FileDescriptorSets
            // one after the other parse as one holding both files' lists.
            let editionsDirectory = protoRoot.appendingPathComponent("editions")
            let editions = try FileManager.default.contentsOfDirectory(atPath: editionsDirectory.path)
                .filter { $0.hasSuffix(".proto") }
                .sorted()
                .map { editionsDirectory.appendingPathComponent($0).path }
            let editionsSet = directory.appendingPathComponent("editions.pb").path
            try runChecked(["python3", "-m", "grpc_tools.protoc", "-I", protoRoot.path, "--descriptor_set_out=\(editionsSet)"] + editions)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: descriptorSet))
            try handle.seekToEnd()
            try handle.write(contentsOf: try Data(contentsOf: URL(fileURLWithPath: editionsSet)))
            try handle.close()
        }

        func path(_ file: String) -> String { directory.appendingPathComponent(file).path }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    // MARK: Record files (4-byte little-endian length, then the message's bytes)

    static func readRecords(_ path: String) throws -> [[UInt8]] {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        var records: [[UInt8]] = []
        var position = 0
        while position < data.count {
            guard position + 4 <= data.count else { throw Failure("\(path): truncated length at byte \(position)") }
            let size = Int(data[position]) | Int(data[position + 1]) << 8 | Int(data[position + 2]) << 16
                | Int(data[position + 3]) << 24
            position += 4
            guard position + size <= data.count else {
                throw Failure("\(path): record \(records.count) claims \(size) bytes, \(data.count - position) remain")
            }
            records.append(Array(data[position..<position + size]))
            position += size
        }
        return records
    }

    static func writeRecords(_ records: [[UInt8]], to path: String) throws {
        var data = [UInt8]()
        data.reserveCapacity(records.reduce(0) { $0 + 4 + $1.count })
        for record in records {
            let size = UInt32(record.count)
            data += [UInt8(size & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size >> 16 & 0xFF), UInt8(size >> 24)]
            data += record
        }
        try Data(data).write(to: URL(fileURLWithPath: path))
    }

    // MARK: The harness's verdicts

    /// The `(messages, mismatches)` of the last line `check` prints: `differential: N messages, M mismatches`.
    static func checkCounts(_ output: Output) -> (messages: Int, mismatches: Int)? {
        guard let line = output.stdout.split(separator: "\n").last(where: { $0.hasPrefix("differential: ") })
        else { return nil }
        let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count == 2 else { return nil }
        return (numbers[0], numbers[1])
    }

    // MARK: Canonically equivalent string map keys

    /// Swift's `Dictionary<String, _>` treats canonically equivalent strings ("é" and "e\u{301}")
    /// as one key; protobuf (and Python) compares keys as bytes. This helper, run with Python,
    /// rewrites the records in which a string-keyed map (at any depth, outside `Any` payloads)
    /// holds two distinct but canonically equivalent keys: it keeps the first such key by UTF-8
    /// byte order and drops the others, then writes the record in the harness's canonical form.
    /// The other records are copied unchanged. Its last line is
    /// `equivalent-keys: records=R keys=K indices=i,j,…`.
    static let equivalentKeyFilter = #"""
        import sys, unicodedata
        sys.path.insert(0, sys.argv[1])
        import differential as d
        from google.protobuf.descriptor import FieldDescriptor as FD

        fds, name, src, dst = sys.argv[2:6]
        pool = d.load_pool(fds)
        cls = d.message_class(pool, name)

        def clean(msg):
            dropped = 0
            for field, value in msg.ListFields():
                if field.type not in (FD.TYPE_MESSAGE, FD.TYPE_GROUP):
                    continue
                if d.is_map(field):
                    key_field = field.message_type.fields_by_name["key"]
                    value_field = field.message_type.fields_by_name["value"]
                    if key_field.type == FD.TYPE_STRING and len(value) > 1:
                        seen = set()
                        for key in sorted(value.keys(), key=lambda k: k.encode("utf-8")):
                            nfc = unicodedata.normalize("NFC", key)
                            if nfc in seen:
                                del value[key]
                                dropped += 1
                            else:
                                seen.add(nfc)
                    if value_field.type == FD.TYPE_MESSAGE:
                        for v in value.values():
                            dropped += clean(v)
                elif d.is_repeated(field):
                    for v in value:
                        dropped += clean(v)
                else:
                    dropped += clean(value)
            return dropped

        out, indices, keys = [], [], 0
        for i, record in enumerate(d.read_records(src)):
            msg = cls.FromString(record)
            n = clean(msg)
            if n:
                indices.append(i)
                keys += n
                out.append(d.encode(msg))
            else:
                out.append(record)
        d.write_records(dst, out)
        print(f"equivalent-keys: records={len(indices)} keys={keys} indices={','.join(map(str, indices))}")
        """#

    struct EquivalentKeys {
        var records: [Int] = []
        var droppedKeys = 0
    }

    /// Runs `equivalentKeyFilter` from `source` to `destination`.
    static func dropEquivalentKeys(descriptorSet: String, message: String, from source: String,
                                   to destination: String) throws -> EquivalentKeys {
        let output = try runChecked(["python3", "-c", equivalentKeyFilter, harnessDirectory, descriptorSet, message,
                                     source, destination])
        guard let line = output.stdout.split(separator: "\n").last(where: { $0.hasPrefix("equivalent-keys: ") })
        else { throw Failure("unexpected output from the equivalent-key filter:\n\(output.transcript)") }
        var result = EquivalentKeys()
        for part in line.dropFirst("equivalent-keys: ".count).split(separator: " ") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            switch pair[0] {
            case "keys": result.droppedKeys = Int(pair[1]) ?? 0
            case "indices": result.records = pair[1].split(separator: ",").compactMap { Int($0) }
            default: break
            }
        }
        return result
    }

    // MARK: Timing

    /// Wall-clock phases of one test, for its summary line.
    struct Stopwatch {
        private let clock = ContinuousClock()
        private var last: ContinuousClock.Instant
        private var phases: [String] = []

        init() { last = clock.now }

        mutating func lap(_ name: String) {
            let now = clock.now
            let seconds = Double((now - last).components.attoseconds) / 1e18 + Double((now - last).components.seconds)
            phases.append("\(name) \(String(format: "%.1f", seconds))s")
            last = now
        }

        var summary: String { phases.joined(separator: ", ") }
    }

    // MARK: Formatting

    static func hex(_ bytes: [UInt8], limit: Int = 160) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        for byte in bytes.prefix(limit) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        if bytes.count > limit { text += "…(\(bytes.count) bytes)" }
        return text
    }

    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    }

    /// Bytes around `at` in both sequences.
    static func window(_ a: [UInt8], _ b: [UInt8], at: Int) -> String {
        let lo = max(0, at - 8)
        let ea = a.count > lo ? Array(a[lo..<min(a.count, at + 16)]) : []
        let eb = b.count > lo ? Array(b[lo..<min(b.count, at + 16)]) : []
        return "[\(lo):] \(hex(ea)) vs \(hex(eb))"
    }
}
