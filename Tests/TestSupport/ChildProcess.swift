import Foundation

/// Child processes for tests (protoc, the Python peers), waited for on threads of their own:
/// a blocking wait on Swift's cooperative pool, which has as many threads as cores (two
/// here), could starve the in-process server the child is talking to.
public enum ChildProcess {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The repository's root: the nearest directory above this file that holds
    /// `Fixtures/goldens.manifest`. Found by walking up, because this file is compiled into the
    /// toolkit's test support and, through a link, into the search example's.
    public static let repositoryRoot: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Fixtures/goldens.manifest").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        fatalError("no repository root above \(#filePath)")
    }()

    /// Runs `arguments` (looked up on PATH) to completion in the repository root.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let exited = Exit(process)
        try process.run()
        // Both pipes are drained while the child runs, so a chatty child never blocks on a full pipe.
        let errData = ReadAll(err.fileHandleForReading)
        let outData = ReadAll(out.fileHandleForReading)
        let status = await exited.wait()
        let stdout = await onOwnThread { outData.wait() }
        let stderr = await onOwnThread { errData.wait() }
        return Output(status: status, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The exit status of a child, from Foundation's termination handler: `waitUntilExit()`
    /// spins a run loop at full speed on threads other than the main one.
    final class Exit: @unchecked Sendable {
        private let lock = NSLock()
        private var status: Int32?
        private var waiter: CheckedContinuation<Int32, Never>?

        init(_ process: Process) {
            process.terminationHandler = { [self] process in
                lock.lock()
                status = process.terminationStatus
                let waiter = self.waiter
                self.waiter = nil
                lock.unlock()
                waiter?.resume(returning: process.terminationStatus)
            }
        }

        func wait() async -> Int32 {
            await withCheckedContinuation { continuation in
                lock.lock()
                if let status {
                    lock.unlock()
                    continuation.resume(returning: status)
                } else {
                    waiter = continuation
                    lock.unlock()
                }
            }
        }
    }

    /// A long-running child (a server) that prints `LISTENING <port>` when ready.
    public final class Server: @unchecked Sendable {
        public let process = Process()
        public private(set) var port = 0
        private var exited: Exit!

        /// Starts `arguments` and waits for its `LISTENING <port>` line.
        public init(_ arguments: [String]) async throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            process.currentDirectoryURL = ChildProcess.repositoryRoot
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            exited = Exit(process)
            try process.run()
            let fd = out.fileHandleForReading.fileDescriptor
            let line: String = await onOwnThread {
                // read(2) rather than availableData, which traps when a read is interrupted (EINTR).
                var data: [UInt8] = []
                var byte: UInt8 = 0
                while !data.contains(UInt8(ascii: "\n")) {
                    let n = read(fd, &byte, 1)
                    if n == 1 {
                        data.append(byte)
                    } else if n < 0, errno == EINTR {
                        continue
                    } else {
                        break
                    }
                }
                return String(decoding: data, as: UTF8.self)
            }
            guard line.hasPrefix("LISTENING "), let port = Int(line.dropFirst(10).trimmingCharacters(in: .whitespacesAndNewlines)) else {
                process.terminate()
                throw ChildProcessError(description: "\(arguments.joined(separator: " ")) did not start: \(line)")
            }
            self.port = port
        }

        /// Stops the server and waits for it to exit. SIGKILL: children started from the test
        /// runner inherit a signal mask that blocks SIGTERM.
        public func stop() async {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            _ = await exited.wait()
        }

        deinit {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
    }

    /// Runs blocking work on a new thread and resumes the caller when it is done.
    public static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: work()) }.start()
        }
    }
}

public struct ChildProcessError: Error, CustomStringConvertible {
    public var description: String
}

/// Reads a pipe to its end on a thread of its own.
private final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
