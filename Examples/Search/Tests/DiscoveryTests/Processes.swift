import Foundation
import EtcdDiscovery
import GRPCRuntime
import NIOConcurrencyHelpers
import SearchTestSupport

/// A long-running child (etcd, dnsmasq, a search-server replica) whose output is read on a
/// thread of its own, line by line, for the whole of its life: a replica logs a line per call,
/// and a full pipe would stall it.
final class Daemon: @unchecked Sendable {
    let name: String
    let process = Process()
    private let lines = NIOLockedValueBox<[String]>([])
    private let exited = NIOLockedValueBox(false)

    init(_ name: String, _ executable: String, _ arguments: [String], unblockSignals: Bool = false) throws {
        self.name = name
        if unblockSignals {
            // The test runner's children inherit a signal mask with SIGTERM blocked; a graceful
            // shutdown test needs it delivered, so a small exec wrapper clears the mask.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [
                "python3", "-c",
                "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execv(sys.argv[1], sys.argv[1:])",
                executable,
            ] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        process.currentDirectoryURL = ChildProcess.repositoryRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.terminationHandler = { [exited] _ in exited.withLockedValue { $0 = true } }
        try process.run()
        let handle = pipe.fileHandleForReading
        let lines = self.lines
        Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableDataRetryingEINTR()
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    lines.withLockedValue { $0.append(line) }
                }
            }
        }.start()
    }

    var output: [String] { lines.withLockedValue { $0 } }
    /// Whether the process is alive. A zombie counts as gone: its sockets are closed, and
    /// Foundation's reaping (which sets the termination flag) can lag behind.
    var isRunning: Bool {
        if exited.withLockedValue({ $0 }) { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Lines containing `text`.
    func count(_ text: String) -> Int { output.count { $0.contains(text) } }

    /// Waits (without blocking a thread) for a line containing `text`; returns it.
    @discardableResult
    func waitForLine(containing text: String, timeout: Duration = .seconds(20)) async throws -> String {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            if let line = output.first(where: { $0.contains(text) }) { return line }
            if !isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw DiscoveryTestError("\(name) printed no line with \(text) in \(timeout); output:\n\(output.suffix(20).joined(separator: "\n"))")
    }

    /// SIGKILL, and waits until the process is gone (its sockets closed).
    func kill() async {
        if isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        await waitForExit()
    }

    func signal(_ signal: Int32) { Glibc.kill(process.processIdentifier, signal) }

    /// SIGKILL without waiting, for `defer`: children must not outlive a failed test.
    func killNow() {
        if isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    func waitForExit(timeout: Duration = .seconds(30)) async {
        let start = ContinuousClock.now
        while isRunning, ContinuousClock.now - start < timeout { try? await Task.sleep(for: .milliseconds(5)) }
    }

    deinit {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }
}

extension FileHandle {
    /// availableData traps on EINTR; read(2) is retried instead.
    fileprivate func availableDataRetryingEINTR() -> Data {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = Glibc.read(fileDescriptor, &buffer, buffer.count)
            if n >= 0 { return Data(buffer[0..<n]) }
            if errno != EINTR { return Data() }
        }
    }
}

/// Where the package's executables were built: beside this test binary.
/// A real etcd on loopback ports of its own, with its data in a temporary directory.
final class EtcdServer: Sendable {
    let daemon: Daemon
    let port: Int
    let directory: URL

    init() async throws {
        let port = try freeLoopbackPort()
        let peer = try freeLoopbackPort()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("etcd-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        daemon = try Daemon("etcd", "/usr/bin/etcd", [
            "--name", "test", "--data-dir", directory.path,
            "--listen-client-urls", "http://127.0.0.1:\(port)", "--advertise-client-urls", "http://127.0.0.1:\(port)",
            "--listen-peer-urls", "http://127.0.0.1:\(peer)", "--initial-advertise-peer-urls", "http://127.0.0.1:\(peer)",
            "--initial-cluster", "test=http://127.0.0.1:\(peer)",
        ])
        self.port = port
        self.directory = directory
        try await daemon.waitForLine(containing: "ready to serve client requests")
    }

    var endpoint: String { "127.0.0.1:\(port)" }

    /// Kills etcd and removes its data; synchronous, for `defer`.
    func stop() {
        daemon.killNow()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A search-server replica on a free loopback port, optionally registered in etcd.
final class Replica: Sendable {
    let daemon: Daemon
    let port: Int
    let name: String

    init(_ name: String, host: String = "127.0.0.1", port: Int = 0, etcd: String? = nil, prefix: String = "/services/search/", ttl: Int = 3, configPrefix: String? = nil, unblockSignals: Bool = false, logLevel: String = "info") async throws {
        var arguments = ["--host", host, "--port", "\(port)", "--statsd", "", "--data", "Examples/Search/Fixtures/places.geojson", "--log-level", logLevel]
        if let etcd { arguments += ["--etcd", etcd, "--etcd-prefix", prefix, "--etcd-ttl", "\(ttl)"] }
        if let configPrefix { arguments += ["--config-prefix", configPrefix] }
        daemon = try Daemon(name, ChildProcess.builtProduct("search-server"), arguments, unblockSignals: unblockSignals)
        let line = try await daemon.waitForLine(containing: "search-server listening on")
        guard let bound = Int(line.split(separator: ":").last ?? "") else { throw DiscoveryTestError("no port in \(line)") }
        self.port = bound
        self.name = name
        if etcd != nil { try await daemon.waitForLine(containing: "registered in etcd") }
    }

    var endpoint: Endpoint { Endpoint(host: "127.0.0.1", port: port) }

    /// Monitor calls this replica finished, from its per-call log lines.
    var monitorCalls: Int { daemon.output.count { $0.contains("rpc finished") && $0.contains("/Search/monitor") } }
}

/// A dnsmasq answering only what the test gives it, on a loopback port.
final class Dnsmasq: Sendable {
    let daemon: Daemon
    let port: Int

    init(records: [String]) async throws {
        let port = try freeLoopbackPort()
        daemon = try Daemon("dnsmasq", "/usr/sbin/dnsmasq", [
            "--no-daemon", "--port=\(port)", "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
            "--conf-file=/dev/null", "--user=root", "--group=root", "--log-queries", "--pid-file=",
        ] + records)
        self.port = port
        try await daemon.waitForLine(containing: "started, version")
    }
}

struct DiscoveryTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
