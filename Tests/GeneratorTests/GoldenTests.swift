import Foundation
import Testing

/// One line of `Fixtures/goldens.manifest`: files this project's plugin generates and commits.
struct GoldenJob: CustomTestStringConvertible, Sendable {
    var output: String
    var options: String
    var files: [String]
    /// Include directories searched before the usual ones (`grpc_tools`: the protos grpcio-tools ships).
    var firstIncludes: [String]
    /// Run by grpcio-tools' protoc (`grpc_tools_protoc`), which knows editions, not Debian's.
    var grpcToolsProtoc = false

    var testDescription: String { output }

    static func load() throws -> [GoldenJob] {
        let text = try String(contentsOf: Repo.root.appendingPathComponent("Fixtures/goldens.manifest"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
            let parts = trimmed.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let flag = parts.count > 3 ? parts[3] : ""
            let first = flag == "grpc_tools" || flag == "grpc_tools_protoc" ? [Repo.grpcToolsInclude] : []
            return GoldenJob(
                output: parts[0], options: parts[1], files: parts[2].split(separator: " ").map(String.init), firstIncludes: first,
                grpcToolsProtoc: flag == "grpc_tools_protoc"
            )
        }
    }
}

/// Every generated file under `dir` (`*.pb.swift`, `*.grpc.swift`), by path relative to it.
func generatedFiles(in dir: URL) -> [String: String] {
    var out: [String: String] = [:]
    guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return out }
    for case let url as URL in walker where url.lastPathComponent.hasSuffix(".pb.swift") || url.lastPathComponent.hasSuffix(".grpc.swift") {
        let relative = String(url.standardizedFileURL.path.dropFirst(dir.standardizedFileURL.path.count + 1))
        out[relative] = try? String(contentsOf: url, encoding: .utf8)
    }
    return out
}

/// The committed generated code — golden fixtures, the well-known types in ProtoWire and the
/// plugin's own bootstrapped descriptor types — must be exactly what the current plugin writes.
/// `UPDATE_GOLDENS=1` rewrites them (and still fails, so a recording run is never green).
@Suite struct GoldenTests {
    @Test(arguments: try GoldenJob.load())
    func committedCodeMatchesPlugin(job: GoldenJob) throws {
        let temp = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temp) }
        let result = try protoc(
            files: job.files, options: job.options, output: temp, extraIncludes: job.firstIncludes, grpcToolsProtoc: job.grpcToolsProtoc
        )
        try #require(result.status == 0, "protoc failed: \(result.stderr)")

        let expectedDir = Repo.root.appendingPathComponent(job.output)
        let produced = generatedFiles(in: temp)
        let committed = generatedFiles(in: expectedDir)
        #expect(!produced.isEmpty)

        if ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" {
            for name in committed.keys where produced[name] == nil {
                try FileManager.default.removeItem(at: expectedDir.appendingPathComponent(name))
            }
            for (name, content) in produced {
                let url = expectedDir.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try content.write(to: url, atomically: true, encoding: .utf8)
            }
            Issue.record("UPDATE_GOLDENS=1: rewrote \(produced.count) files in \(job.output); review with git diff and run again without it")
            return
        }

        for name in produced.keys.sorted() {
            guard let expected = committed[name] else {
                Issue.record("\(job.output)/\(name) is generated but not committed")
                continue
            }
            let actual = produced[name]!
            #expect(expected == actual, "\(job.output)/\(name) is stale:\n\(lineDiff(expected: expected, actual: actual))")
        }
        for name in committed.keys.sorted() where produced[name] == nil {
            Issue.record("\(job.output)/\(name) is committed but no longer generated")
        }
    }
}
