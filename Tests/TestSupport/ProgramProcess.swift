import Foundation

extension ChildProcess {
    /// The path of an executable this package builds (search-server, search-load, …), next to
    /// the test bundle.
    public static func builtProduct(_ name: String) -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent(name).path
    }

    /// A long-running program whose output is read line by line as it comes, for as long as it
    /// runs (so that it never blocks on a full pipe), with stderr merged into it.
    public final class Program: @unchecked Sendable {
        public let process = Process()
        public let arguments: [String]
        private let exited: Exit
        private let lock = NSLock()
        private var collected: [String] = []
        private var waiters: [(predicate: @Sendable (String) -> Bool, continuation: CheckedContinuation<String?, Never>)] = []
        private var ended = false

        /// Starts `executable` with `arguments` in the repository root.
        public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
            self.arguments = [executable] + arguments
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.currentDirectoryURL = ChildProcess.repositoryRoot
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            exited = Exit(process)
            try process.run()
            let handle = out.fileHandleForReading
            Thread { [self] in readLines(handle.fileDescriptor) }.start()
        }

        private func readLines(_ fd: Int32) {
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(fd, &buffer, buffer.count)
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                pending.append(contentsOf: buffer[..<n])
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    add(String(decoding: pending[..<newline], as: UTF8.self))
                    pending.removeSubrange(...newline)
                }
            }
            if !pending.isEmpty { add(String(decoding: pending, as: UTF8.self)) }
            lock.lock()
            ended = true
            let waiting = waiters
            waiters = []
            lock.unlock()
            for waiter in waiting { waiter.continuation.resume(returning: nil) }
        }

        private func add(_ line: String) {
            lock.lock()
            collected.append(line)
            var ready: [CheckedContinuation<String?, Never>] = []
            waiters.removeAll { waiter in
                guard waiter.predicate(line) else { return false }
                ready.append(waiter.continuation)
                return true
            }
            lock.unlock()
            for continuation in ready { continuation.resume(returning: line) }
        }

        /// Every line so far.
        public var lines: [String] {
            lock.lock()
            defer { lock.unlock() }
            return collected
        }

        /// The first line (already seen or still to come) that satisfies `predicate`; nil when
        /// the output ends first.
        public func line(where predicate: @escaping @Sendable (String) -> Bool) async -> String? {
            await withCheckedContinuation { continuation in
                lock.lock()
                if let line = collected.first(where: predicate) {
                    lock.unlock()
                    continuation.resume(returning: line)
                } else if ended {
                    lock.unlock()
                    continuation.resume(returning: nil)
                } else {
                    waiters.append((predicate, continuation))
                    lock.unlock()
                }
            }
        }

        /// The port from a `… listening on HOST:PORT` line.
        public func listeningPort() async throws -> Int {
            guard let line = await line(where: { $0.contains(" listening on ") }),
                  let colon = line.lastIndex(of: ":"), let port = Int(line[line.index(after: colon)...]) else {
                throw ChildProcessError(description: "\(arguments.joined(separator: " ")) did not start:\n\(lines.joined(separator: "\n"))")
            }
            return port
        }

        /// Sends `signal` and waits for the exit status. Children of the test runner may
        /// inherit a mask that blocks SIGTERM and SIGINT, so use `signal` with care.
        @discardableResult
        public func stop(signal: Int32 = SIGKILL) async -> Int32 {
            if process.isRunning { kill(process.processIdentifier, signal) }
            return await exited.wait()
        }

        /// Waits for the exit status.
        public func wait() async -> Int32 { await exited.wait() }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }
}
