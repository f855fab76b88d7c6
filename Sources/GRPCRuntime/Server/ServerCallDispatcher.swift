import Logging
import NIOConcurrencyHelpers

/// The gRPC layer of a server as its transport sees it: for each new stream, routes the call,
/// checks what must hold before any handler runs (a known method, a supported encoding, a
/// deadline not yet passed), and sets up the call's runner. Counts the handlers running, so
/// that the server returns only after the last one.
final class ServerCallDispatcher: ServerCallAcceptor {
    let router: Router
    let interceptors: [any ServerInterceptor]
    let maximumReceiveMessageSize: Int
    /// Encodings accepted for requests, besides identity.
    let compression: [CompressionAlgorithm]
    let acceptEncodingHeader: String
    let logger: Logger

    private struct Running {
        var count = 0
        var idle: [CheckedContinuation<Void, Never>] = []
    }

    private let running = NIOLockedValueBox(Running())

    init(router: Router, interceptors: [any ServerInterceptor], configuration: GRPCServer.Configuration, logger: Logger) {
        self.router = router
        self.interceptors = interceptors
        self.maximumReceiveMessageSize = configuration.maximumReceiveMessageSize
        self.compression = configuration.compression
        self.acceptEncodingHeader = (configuration.compression.map(\.name) + ["identity"]).joined(separator: ",")
        self.logger = logger
    }

    func accept(_ head: RequestHead, on stream: any ServerTransportStream) -> any ServerCallInbound {
        let now = ContinuousClock.now
        let deadline = head.timeout.map { now.advanced(by: $0) }
        var rejection: RPCError?
        let method: ServerMethod
        if let found = router.method(for: head.path) {
            method = found
        } else {
            method = .unknown(head.path)
            rejection = RPCError(.unimplemented, "method not found: \(head.path)")
        }
        if rejection == nil, let name = head.encoding, name != "identity" {
            if CompressionAlgorithm(name: name).map(compression.contains) != true {
                rejection = RPCError(.unimplemented, "message encoding \(name) is not supported (accepted: \(acceptEncodingHeader))")
            }
        }
        if rejection == nil, let deadline, deadline <= now {
            rejection = RPCError(.deadlineExceeded, "deadline exceeded before the call started")
        }
        let context = ServerContext(
            method: method.method, requestMetadata: head.metadata, deadline: deadline, peer: stream.peer,
            acceptedEncodings: head.acceptedEncodings, logger: logger, started: now, isRegisteredMethod: method.isRegistered
        )
        let runner = ServerCallRunner(dispatcher: self, stream: stream, context: context, method: method, rejection: rejection)
        if let rejection {
            // Sent at once: a call refused this way reads no request.
            runner.end(rejection)
        }
        runner.begin()
        return runner
    }

    func callStarted() {
        running.withLockedValue { $0.count += 1 }
    }

    func callEnded() {
        let waiters = running.withLockedValue { running -> [CheckedContinuation<Void, Never>] in
            running.count -= 1
            guard running.count == 0 else { return [] }
            defer { running.idle = [] }
            return running.idle
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once no handler is running.
    func waitForRunningCalls() async {
        await withCheckedContinuation { continuation in
            let idle = running.withLockedValue { running in
                if running.count == 0 { return true }
                running.idle.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }
}
