import Foundation
import Testing

/// Paths and process helpers shared by the tests that run the real protoc.
enum Repo {
    /// The package root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Where Debian's libprotobuf-dev puts the well-known `.proto` files.
    static let protoInclude = ProcessInfo.processInfo.environment["PROTO_INCLUDE"] ?? "/usr/include"

    /// Where Debian's grpc-proto puts gRPC's own `.proto` files (health, the interop test service).
    static let grpcProtoInclude = ProcessInfo.processInfo.environment["GRPC_PROTO_INCLUDE"] ?? "/usr/share/grpc-proto"

    /// The `.proto` files PyPI's grpcio-tools ships (a descriptor.proto that knows editions).
    static let grpcToolsInclude: String = {
        let result = try? run("python3", ["-c", "import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), '_proto'))"])
        return result?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? "grpc_tools-not-installed"
    }()

    /// The plugin binary built beside this test binary (the test target depends on it).
    static var plugin: String {
        if let path = ProcessInfo.processInfo.environment["PLUGIN_PATH"] { return path }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // On Linux the test binary sits in the bin directory; inside an .xctest bundle elsewhere.
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("protoc-gen-swift-grpc").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("protoc-gen-swift-grpc").path
    }
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion, capturing its output.
func run(_ program: String, _ arguments: [String], currentDirectory: URL = Repo.root) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "/usr/bin/env")
    process.arguments = program.hasPrefix("/") ? arguments : [program] + arguments
    process.currentDirectoryURL = currentDirectory
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    // Not waitUntilExit(): on Linux it spins a run loop at full speed off the main thread.
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    try process.run()
    // Both pipes drained at once (stderr on a thread of its own), so a child that fills one
    // while the other is being read cannot block.
    nonisolated(unsafe) var errData = Data()
    let errRead = DispatchSemaphore(value: 0)
    Thread {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        errRead.signal()
    }.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    errRead.wait()
    exited.wait()
    return ProcessResult(
        status: process.terminationStatus,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self)
    )
}

/// Runs protoc with the built plugin. `options` go before the output directory.
/// Runs Debian's protoc, or with `grpcToolsProtoc` grpcio-tools' current one (which knows
/// editions, and searches its own protos first), with this project's plugin.
func protoc(
    files: [String], options: String = "", output: URL, extraIncludes: [String] = [], grpcToolsProtoc: Bool = false
) throws -> ProcessResult {
    var args = ["--plugin=protoc-gen-swift-grpc=\(Repo.plugin)", "--swift-grpc_out=\(options.isEmpty ? "" : options + ":")\(output.path)"]
    let first = grpcToolsProtoc ? extraIncludes + [Repo.grpcToolsInclude] : extraIncludes
    for include in first + ["Fixtures", "Fixtures/protos", Repo.protoInclude, Repo.grpcProtoInclude] { args.append("-I" + include) }
    return grpcToolsProtoc ? try run("python3", ["-m", "grpc_tools.protoc"] + args + files) : try run("protoc", args + files)
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("swift-grpc-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The first lines where two texts differ, for a readable failure.
func lineDiff(expected: String, actual: String, context: Int = 3) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    guard let first = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset ?? (a.count == b.count ? nil : min(a.count, b.count)) else {
        return "(no difference)"
    }
    var out = "first difference at line \(first + 1):\n"
    for i in max(0, first - context)..<min(max(a.count, b.count), first + context + 1) {
        let l = i < a.count ? String(a[i]) : "<end>"
        let r = i < b.count ? String(b[i]) : "<end>"
        out += l == r ? "   \(l)\n" : " - \(l)\n + \(r)\n"
    }
    return out
}
