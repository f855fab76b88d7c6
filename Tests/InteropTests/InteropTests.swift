import Foundation
import GeneratedFixtures
import GRPCRuntime
import GRPCTestSupport
import ProtoWire
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

// Interop in three directions, one test per case and direction:
//   Python client → Swift server, Swift client → Python server, Swift client → Swift server.
// The Python peers are Tests/Interop/interop_{client,server}.py (see Tests/Interop/README.md).
// Loopback only.

/// The services the Swift server offers in the interop tests.
func interopServices() -> [any GRPCService] {
    let health = HealthService()
    for name in ["", "grpc.testing.TestService", "Search"] { health.setStatus(.serving, forService: name) }
    return [InteropTestService(), TestSearchService(), health]
}

@Suite("Python client → Swift server", .timeLimit(.minutes(2)))
struct PythonClientToSwiftServer {
    @Test(arguments: InteropCase.allCases.filter(\.pythonClientHasIt))
    func pythonClientToSwiftServer(_ testCase: InteropCase) async throws {
        try await withServer(services: interopServices()) { _, port in
            let arguments = ["interop_client.py", "--target", "127.0.0.1:\(port)", "--case", testCase.rawValue]
            let run = try await runPython(arguments, timeout: .seconds(60))
            let verdict = run.stdout.split(separator: "\n").first { $0.hasPrefix("PASS ") || $0.hasPrefix("FAIL ") }
            guard run.status != 0 || verdict != "PASS \(testCase.rawValue)" else { return }
            // Once more through the client's wire tap, to show the frames the Swift server sent.
            let traced = try await runPython(arguments + ["--trace-wire"], timeout: .seconds(60))
            Issue.record("""
                interop_client.py exited \(run.status): \(verdict.map(String.init) ?? "no verdict")
                stdout:
                \(run.stdout)stderr:
                \(run.stderr)
                Rerun with --trace-wire (\(traced.stdout.trimmingCharacters(in: .whitespacesAndNewlines))), last frames:
                \(traced.stderr.split(separator: "\n").suffix(40).map { $0.prefix(300) }.joined(separator: "\n"))
                """)
        }
    }
}

@Suite("Swift client → Python server", .timeLimit(.minutes(2)), PythonServerTrait())
struct SwiftClientToPythonServer {
    @Test(arguments: InteropCase.allCases)
    func swiftClientToPythonServer(_ testCase: InteropCase) async throws {
        let server = try PythonServerTrait.current.get()
        do {
            try await InteropClient(host: "127.0.0.1", port: server.port).run(testCase)
        } catch let failure as InteropFailure {
            Issue.record("\(testCase.rawValue): \(failure)\nPython server stderr so far:\n\(server.stderrText().suffix(4000))")
        }
    }
}

@Suite("Swift client → Swift server", .timeLimit(.minutes(2)))
struct SwiftClientToSwiftServer {
    @Test(arguments: InteropCase.allCases)
    func swiftClientToSwiftServer(_ testCase: InteropCase) async throws {
        try await withServer(services: interopServices()) { _, port in
            do {
                try await InteropClient(host: "127.0.0.1", port: port).run(testCase)
            } catch let failure as InteropFailure {
                Issue.record("\(testCase.rawValue): \(failure)")
            }
        }
    }
}

// MARK: - Python processes

/// Tests/Interop, found from this file's path.
let interopDirectory: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Interop")
let repositoryRoot: URL = interopDirectory.deletingLastPathComponent().deletingLastPathComponent()

/// Children inherit the signal mask of the thread that spawns them, and the test runner's
/// threads block SIGTERM (among others), so a script started directly would never see the
/// SIGTERM that stops it. This trampoline clears the mask, then execs the script.
private let unblockSignalsThenExec = """
    import os, signal, sys
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    os.execvp(sys.argv[1], sys.argv[1:])
    """

/// The same for the server, which also gets a watcher: a forked process that reads the pipe
/// on stdin and sends SIGTERM to the server when it ends, that is when the test closes it or
/// dies, so a crashed test run leaves no server behind. The server's own stdin is /dev/null.
/// The watcher keeps only stdin and stderr: Foundation's `Process` learns of the exit through a
/// descriptor the child inherits, so a watcher holding it would hide the server's exit.
/// (Not `interop_server.py --exit-on-stdin-eof`: its daemon thread sits in a buffered read of
/// stdin, and when the interpreter shuts down first, CPython aborts with "could not acquire
/// lock for <_io.BufferedReader name='<stdin>'> at interpreter shutdown" and dies of SIGABRT.)
private let unblockSignalsWatchStdinThenExec = """
    import os, signal, sys
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    server = os.getpid()
    if os.fork() == 0:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
        try:
            while os.read(0, 4096):
                pass
        except OSError:
            pass
        if os.getppid() == server:
            os.kill(server, signal.SIGTERM)
        os._exit(0)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.execvp(sys.argv[1], sys.argv[1:])
    """

private func pythonProcess(_ arguments: [String], trampoline: String = unblockSignalsThenExec) -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", trampoline, "python3", "-u", interopDirectory.appendingPathComponent(arguments[0]).path]
        + arguments.dropFirst()
    process.currentDirectoryURL = repositoryRoot
    return process
}

private func temporaryFile(_ name: String) throws -> (URL, FileHandle) {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("interop-\(name)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
        throw InteropFailure("cannot create \(url.path)")
    }
    return (url, try FileHandle(forWritingTo: url))
}

/// Waits for `process` to exit; `terminationHandler` must be this stream's.
private func exitStatus(_ exits: AsyncStream<Int32>) async -> Int32 {
    var iterator = exits.makeAsyncIterator()
    return await iterator.next() ?? -1
}

/// Runs a Python script in Tests/Interop to completion. Its output goes to files, not pipes,
/// so nothing can block on a full pipe; past `timeout` it is killed.
func runPython(_ arguments: [String], timeout: Duration) async throws -> (status: Int32, stdout: String, stderr: String) {
    let process = pythonProcess(arguments)
    let (outURL, out) = try temporaryFile("out")
    let (errURL, err) = try temporaryFile("err")
    defer {
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
    }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    let (exits, exited) = AsyncStream<Int32>.makeStream()
    process.terminationHandler = { exited.yield($0.terminationStatus); exited.finish() }
    try process.run()
    try? out.close()
    try? err.close()
    let pid = process.processIdentifier
    let watchdog = Task {
        try await Task.sleep(for: timeout)
        kill(pid, SIGKILL)
    }
    defer { watchdog.cancel() }
    let status = await exitStatus(exits)
    let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
    var stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
    if process.terminationReason == .uncaughtSignal { stderr += "\n(killed by signal \(status); the time limit is \(timeout))" }
    return (status, stdout, stderr)
}

/// `interop_server.py --port 0` running in the background.
final class PythonServer: Sendable {
    let port: Int
    private let process: Process
    private let stdin: FileHandle
    private let stderrURL: URL
    private let exits: AsyncStream<Int32>

    private init(port: Int, process: Process, stdin: FileHandle, stderrURL: URL, exits: AsyncStream<Int32>) {
        self.port = port
        self.process = process
        self.stdin = stdin
        self.stderrURL = stderrURL
        self.exits = exits
    }

    /// Starts the server (`script` in Tests/Interop, given `--port 0`) and waits (at most
    /// `timeout`) for its `LISTENING <port>` line.
    static func start(script: String = "interop_server.py", timeout: Duration = .seconds(30)) async throws -> PythonServer {
        let process = pythonProcess([script, "--port", "0"], trampoline: unblockSignalsWatchStdinThenExec)
        let input = Pipe()
        let output = Pipe()
        let (errURL, err) = try temporaryFile("server-err")
        process.standardInput = input
        process.standardOutput = output
        process.standardError = err
        let (exits, exited) = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { exited.yield($0.terminationStatus); exited.finish() }
        try process.run()
        try? err.close()
        let pid = process.processIdentifier

        // stdout is read on a thread of its own, to its end: the first line is the port,
        // anything later is drained so the server can never block writing it.
        let (lines, line) = AsyncStream<String>.makeStream()
        let reading = output.fileHandleForReading
        Thread.detachNewThread {
            // read(2) rather than `availableData`, which traps on EINTR.
            let fd = reading.fileDescriptor
            var buffer = Data()
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                if count <= 0 { break }
                buffer.append(contentsOf: chunk[0..<count])
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    line.yield(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer = Data(buffer[(newline + 1)...])
                }
            }
            line.finish()
        }
        // No LISTENING line in time: kill it, which ends stdout and the wait below.
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            kill(pid, SIGKILL)
        }
        var iterator = lines.makeAsyncIterator()
        let first = await iterator.next()
        watchdog.cancel()
        let stderrText = { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }
        guard let first, first.hasPrefix("LISTENING "), let port = Int(first.dropFirst("LISTENING ".count)) else {
            kill(pid, SIGKILL)
            _ = await exitStatus(exits)
            try? input.fileHandleForWriting.close()
            let text = stderrText()
            try? FileManager.default.removeItem(at: errURL)
            throw InteropFailure("\(script) did not print LISTENING <port> (first line \(String(reflecting: first))); stderr:\n\(text)")
        }
        return PythonServer(port: port, process: process, stdin: input.fileHandleForWriting, stderrURL: errURL, exits: exits)
    }

    func stderrText() -> String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// SIGTERM, then waits for the exit (SIGKILL after `grace`); returns the exit status.
    func stop(grace: Duration = .seconds(5)) async -> Int32 {
        let pid = process.processIdentifier
        kill(pid, SIGTERM)
        let watchdog = Task {
            try await Task.sleep(for: grace)
            kill(pid, SIGKILL)
        }
        let status = await exitStatus(exits)
        watchdog.cancel()
        try? stdin.close()  // ends the stdin watcher
        return status
    }

    func removeFiles() { try? FileManager.default.removeItem(at: stderrURL) }
}

/// Starts one Python server for the suite it is attached to, and stops it after the suite.
struct PythonServerTrait: SuiteTrait, TestScoping {
    @TaskLocal static var current: Result<PythonServer, InteropFailure> = .failure(
        InteropFailure("no Python server: the test must run inside PythonServerTrait")
    )

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let server: PythonServer
        do {
            server = try await PythonServer.start()
        } catch let failure as InteropFailure {
            try await Self.$current.withValue(.failure(failure)) { try await function() }
            return
        }
        do {
            try await Self.$current.withValue(.success(server)) { try await function() }
        } catch {
            _ = await server.stop()
            server.removeFiles()
            throw error
        }
        let status = await server.stop()
        #expect(status == 0, "interop_server.py exited with status \(status) after SIGTERM; stderr:\n\(server.stderrText())")
        server.removeFiles()
    }
}
