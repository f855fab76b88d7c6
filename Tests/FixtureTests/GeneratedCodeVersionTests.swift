import Foundation
import Testing
import TestSupport

/// Generated files name the runtime version they were made for (`ProtoWire.GeneratedCodeVersion1`,
/// `GRPCRuntime.GeneratedCodeVersion1`). Built against another runtime, such a file must fail
/// with one error on that line, not a wall of type errors. These tests compile the committed
/// search fixtures with `swiftc -typecheck` against this build's modules: as they are (no error,
/// so the harness itself works), then with the marker changed to a version no runtime has.
@Suite struct GeneratedCodeVersionTests {
    static let marker = "GeneratedCodeVersion1"

    @Test func currentFilesTypeCheck() async throws {
        let result = try await typeCheck(messages: Self.marker, services: Self.marker)
        #expect(result.errors.isEmpty, "\(result.output)")
    }

    @Test func messagesForAnotherProtoWireFailOnTheMarkerLineOnly() async throws {
        let result = try await typeCheck(messages: "GeneratedCodeVersion0", services: Self.marker)
        #expect(result.errors.count == 1, "\(result.output)")
        let error = try #require(result.errors.first)
        #expect(error.contains("search.pb.swift:\(try markerLine(in: "search.pb.swift")):"), "\(error)")
        #expect(error.contains("no type named 'GeneratedCodeVersion0' in module 'ProtoWire'"), "\(error)")
    }

    @Test func servicesForAnotherGRPCRuntimeFailOnTheMarkerLineOnly() async throws {
        let result = try await typeCheck(messages: Self.marker, services: "GeneratedCodeVersion0")
        #expect(result.errors.count == 1, "\(result.output)")
        let error = try #require(result.errors.first)
        #expect(error.contains("search.grpc.swift:\(try markerLine(in: "search.grpc.swift")):"), "\(error)")
        #expect(error.contains("no type named 'GeneratedCodeVersion0' in module 'GRPCRuntime'"), "\(error)")
    }

    /// The line of the version marker in a committed fixture, and a check that there is exactly one.
    func markerLine(in file: String) throws -> Int {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent(file), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().filter { $0.element.contains(Self.marker) }
        try #require(lines.count == 1, "\(file) names \(Self.marker) \(lines.count) times")
        return lines[0].offset + 1
    }

    static let fixtures = ChildProcess.repositoryRoot.appendingPathComponent("Fixtures/Generated")

    struct Result {
        var output: String
        /// The compiler's `file:line:column: error: ...` lines.
        var errors: [String]
    }

    /// Copies both search fixtures with their markers set as given and type-checks them together.
    func typeCheck(messages: String, services: String) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("version-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var sources: [String] = []
        for (file, version) in [("search.pb.swift", messages), ("search.grpc.swift", services)] {
            _ = try markerLine(in: file)
            let text = try String(contentsOf: Self.fixtures.appendingPathComponent(file), encoding: .utf8)
            let copy = directory.appendingPathComponent(file)
            try text.replacingOccurrences(of: Self.marker, with: version).write(to: copy, atomically: true, encoding: .utf8)
            sources.append(copy.path)
        }
        let build = try Self.buildDirectory()
        let flags = try await ChildProcess.run(["Scripts/swiftc-flags.sh", build.path])
        try #require(flags.status == 0, "Scripts/swiftc-flags.sh: \(flags.stderr)")
        let output = try await ChildProcess.run(["swiftc", "-typecheck", "-swift-version", "6"] + flags.stdout.split(separator: "\n").map(String.init) + sources)
        let text = output.stdout + output.stderr
        let errors = text.split(separator: "\n").map(String.init).filter { $0.contains(": error: ") }
        if output.status != 0 && errors.isEmpty {
            Issue.record("swiftc failed without an error line: \(text)")
        }
        return Result(output: text, errors: errors)
    }

    /// The build directory of this test run: the one holding the test bundle, with the toolkit's modules.
    static func buildDirectory() throws -> URL {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let module = directory.appendingPathComponent("Modules/GRPCRuntime.swiftmodule")
        try #require(FileManager.default.fileExists(atPath: module.path), "no \(module.path): build the package's tests first")
        return directory
    }
}
