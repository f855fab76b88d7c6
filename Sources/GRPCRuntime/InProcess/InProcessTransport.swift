import NIOConcurrencyHelpers
import NIOCore
import ProtoWire

/// Calls within one process, without sockets: a server transport and a client transport joined
/// together. Everything gRPC means by a call holds as over HTTP/2 (routing, metadata, deadlines,
/// cancellation, status, message limits, interceptors), since all of it happens above the
/// transports; messages are serialized and handed over, never compressed.
///
/// ```swift
/// let transport = InProcessTransport()
/// let server = GRPCServer(transport: transport.server, services: [MySearch()])
/// let channel = GRPCChannel(transport: transport.client)
/// ```
public final class InProcessTransport: Sendable {
    /// The server's end: give it to `GRPCServer(transport:)`.
    public let server: Server
    /// The client's end: give it to `GRPCChannel(transport:)`.
    public let client: Client

    public init() {
        let server = Server()
        self.server = server
        self.client = Client(server: server)
    }

    /// The server's end of an in-process transport.
    public final class Server: ServerTransport {
        private struct State {
            var acceptor: (any ServerCallAcceptor)?
            var open: [ObjectIdentifier: InProcessStream] = [:]
            var shuttingDown = false
            var stopped: CheckedContinuation<Void, Never>?
            /// Tasks waiting in `waitUntilListening`, resumed when `listen` begins.
            var listenWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
            var nextWaiter: UInt64 = 0
        }

        private let state = NIOLockedValueBox(State())

        init() {}

        public func listen(_ acceptor: any ServerCallAcceptor) async throws {
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let (done, waiters) = state.withLockedValue { state in
                        state.acceptor = acceptor
                        let waiters = Array(state.listenWaiters.values)
                        state.listenWaiters = [:]
                        if state.shuttingDown && state.open.isEmpty { return (true, waiters) }
                        state.stopped = continuation
                        return (false, waiters)
                    }
                    for waiter in waiters { waiter.resume() }
                    if done { continuation.resume() }
                }
            } onCancel: {
                // Cut off: every stream in flight is reset.
                let streams = self.state.withLockedValue { state -> [InProcessStream] in
                    state.shuttingDown = true
                    return Array(state.open.values)
                }
                for stream in streams { stream.cancel() }
                self.stopIfIdle()
            }
            state.withLockedValue { $0.acceptor = nil }
        }

        /// Returns once the server listens (at once if it already does or is shutting down, and
        /// when the waiting task is cancelled): calls made afterwards reach it without waiting for it to start,
        /// however late the task that serves it gets to run.
        public func waitUntilListening() async {
            let id = state.withLockedValue { state -> UInt64? in
                if state.acceptor != nil || state.shuttingDown { return nil }
                state.nextWaiter += 1
                return state.nextWaiter
            }
            guard let id else { return }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let resumeNow = state.withLockedValue { state in
                        if state.acceptor != nil || state.shuttingDown || Task.isCancelled { return true }
                        state.listenWaiters[id] = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                let waiter = self.state.withLockedValue { $0.listenWaiters.removeValue(forKey: id) }
                waiter?.resume()
            }
        }

        public func beginGracefulShutdown() {
            let waiters = state.withLockedValue { state in
                state.shuttingDown = true
                defer { state.listenWaiters = [:] }
                return Array(state.listenWaiters.values)
            }
            for waiter in waiters { waiter.resume() }
            stopIfIdle()
        }

        enum Opening {
            case opened(InProcessStream)
            /// The server has not started listening yet: like a connection still being made.
            case notYet
            /// The server has shut down.
            case refused
        }

        /// Opens a stream to the server.
        func open(_ head: RequestHead) -> Opening {
            let stream = InProcessStream(server: self)
            let acceptor: (any ServerCallAcceptor)?? = state.withLockedValue { state in
                if state.shuttingDown { return .some(nil) }
                guard let acceptor = state.acceptor else { return nil }
                state.open[ObjectIdentifier(stream)] = stream
                return acceptor
            }
            switch acceptor {
            case .none: return .notYet
            case .some(.none): return .refused
            case .some(.some(let acceptor)):
                stream.attach(acceptor.accept(head, on: stream))
                return .opened(stream)
            }
        }

        func closed(_ stream: InProcessStream) {
            _ = state.withLockedValue { $0.open.removeValue(forKey: ObjectIdentifier(stream)) }
            stopIfIdle()
        }

        private func stopIfIdle() {
            let stopped = state.withLockedValue { state -> CheckedContinuation<Void, Never>? in
                guard state.shuttingDown, state.open.isEmpty else { return nil }
                defer { state.stopped = nil }
                return state.stopped
            }
            stopped?.resume()
        }
    }

    /// The client's end of an in-process transport.
    public final class Client: ClientTransport {
        private let server: Server
        private let closed = NIOLockedValueBox(false)
        /// How long a call waits for a server that has not started listening, as it would for a
        /// connection being made.
        static let startTimeout: Duration = .seconds(20)

        init(server: Server) { self.server = server }

        public func openStream(_ head: RequestHead, options: StreamOptions) async throws -> any ClientTransportStream {
            let started = ContinuousClock.now
            while true {
                if closed.withLockedValue({ $0 }) { throw RPCError(.unavailable, "the channel is closed") }
                switch server.open(head) {
                case .opened(let stream):
                    return stream
                case .notYet where options.waitForReady || ContinuousClock.now - started < Self.startTimeout:
                    try await Task.sleep(for: .milliseconds(5))
                case .refused where options.waitForReady:
                    try await Task.sleep(for: .milliseconds(10))
                case .notYet:
                    throw UnprocessedCallError(RPCError(.unavailable, "the in-process server did not start within \(Self.startTimeout)"))
                case .refused:
                    throw UnprocessedCallError(RPCError(.unavailable, "the in-process server has shut down"))
                }
            }
        }

        public func close() {
            closed.withLockedValue { $0 = true }
        }
    }
}

/// One call's stream within the process: both ends in one object. The client's requests go
/// straight to the call's inbound; the server's response parts wait in a queue for the client.
final class InProcessStream: ServerTransportStream, ClientTransportStream, @unchecked Sendable {
    private let server: InProcessTransport.Server
    private let lock = NIOLock()
    // Guarded by `lock`.
    private var inbound: (any ServerCallInbound)?
    private var requestsEnded = false
    private var responses: [ResponsePart] = []
    private var responseEnded = false
    private var failure: RPCError?
    private var waiter: CheckedContinuation<ResponsePart, any Error>?
    private var closed = false

    init(server: InProcessTransport.Server) {
        self.server = server
    }

    func attach(_ inbound: any ServerCallInbound) {
        lock.withLock { self.inbound = inbound }
    }

    // MARK: Client → server

    var endpoint: Endpoint? { nil }

    func sendMessage<Message: ProtoMessage>(_ message: Message, compress: Bool, endOfRequests: Bool) async throws {
        let inbound: (any ServerCallInbound)? = try lock.withLock {
            if let failure { throw failure }
            if requestsEnded { throw RPCError(.internal, "the requests have ended") }
            if endOfRequests { requestsEnded = true }
            return responseEnded ? nil : self.inbound
        }
        guard let inbound else { return }
        // Whether the message may be sent (its required fields) was decided before it got here.
        inbound.receive(ReceivedMessage(bytes: ByteBuffer(bytes: try message.serializedBytes(partial: true))))
        if endOfRequests { inbound.receiveEnd() }
    }

    func sendEnd() async throws {
        let inbound: (any ServerCallInbound)? = lock.withLock {
            if requestsEnded || failure != nil { return nil }
            requestsEnded = true
            return responseEnded ? nil : self.inbound
        }
        inbound?.receiveEnd()
    }

    func receive() async throws -> ResponsePart {
        lock.lock()
        if !responses.isEmpty {
            let part = responses.removeFirst()
            lock.unlock()
            return part
        }
        if let failure {
            lock.unlock()
            throw failure
        }
        return try await withCheckedThrowingContinuation { continuation in
            waiter = continuation
            lock.unlock()
        }
    }

    func cancel() {
        fail(RPCError(.cancelled, "the call was cancelled"))
    }

    func close() {
        cancel()
    }

    /// Ends the stream for both ends: the client's reads fail with `error` (once the responses
    /// already queued are read), the server's call is cancelled.
    private func fail(_ error: RPCError) {
        lock.lock()
        if closed {
            lock.unlock()
            return
        }
        closed = true
        if failure == nil { failure = error }
        let waiter = responses.isEmpty ? self.waiter : nil
        if waiter != nil { self.waiter = nil }
        let inbound = responseEnded && requestsEnded ? nil : self.inbound
        lock.unlock()
        waiter?.resume(throwing: error)
        inbound?.abort(nil)
        server.closed(self)
    }

    // MARK: Server → client

    var peer: String { "in-process" }

    var preferredExecutor: (any TaskExecutor)? { nil }

    func sendHeaders(_ metadata: Metadata, encoding: CompressionAlgorithm?) {
        deliver(.headers(metadata), last: false)
    }

    func sendMessage<Message: ProtoMessage>(_ message: Message, compress: Bool) async throws {
        let bytes = ByteBuffer(bytes: try message.serializedBytes(partial: true))
        guard deliver(.message(ReceivedMessage(bytes: bytes)), last: false) else {
            throw RPCError(.cancelled, "the call has ended")
        }
    }

    func sendStatus(_ status: Status, trailers: Metadata) {
        deliver(.status(status, trailers: trailers), last: true)
    }

    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> CallTimer {
        TaskTimer.schedule(at: deadline, action)
    }

    /// Nothing to resume: the client's messages are handed over as it sends them, within one process.
    func resumeReading() {}

    /// Queues a part for the client; false when the response has ended or the client went.
    @discardableResult
    private func deliver(_ part: ResponsePart, last: Bool) -> Bool {
        lock.lock()
        if responseEnded || closed {
            lock.unlock()
            return false
        }
        if last { responseEnded = true }
        if let waiter {
            self.waiter = nil
            lock.unlock()
            waiter.resume(returning: part)
        } else {
            responses.append(part)
            lock.unlock()
        }
        if last, lock.withLock({ requestsEnded }) { server.closed(self) }
        return true
    }
}
