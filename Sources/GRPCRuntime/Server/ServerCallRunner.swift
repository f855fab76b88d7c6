import NIOConcurrencyHelpers
import ProtoWire

/// One call being served: takes the request from the transport, starts the method's handler
/// (through the interceptors) in a task of its own when it can run, enforces the deadline, and
/// makes sure the call ends with exactly one status, whoever ends it first (the handler, an
/// error, the deadline, the client).
///
/// A unary or server-streaming method starts once its one request is here, so its handler never
/// waits for it; a streaming method starts at once and reads requests as they come. A stream the
/// client resets before its handler started costs no task at all.
final class ServerCallRunner: ServerCallInbound, @unchecked Sendable {
    private enum Phase {
        /// Waiting for the one request of a unary or server-streaming call.
        case waiting
        case running(Task<Void, Never>)
        /// Ended before a handler ran (reset, or refused) with nothing left to run.
        case abandoned
    }

    private enum ResponsePhase {
        case idle
        case headersSent
        case ended
    }

    let dispatcher: ServerCallDispatcher
    let stream: any ServerTransportStream
    let context: ServerContext
    let method: ServerMethod
    let maximumMessageSize: Int

    private let lock = NIOLock()
    // Guarded by `lock`.
    private var phase = Phase.waiting
    private var responsePhase = ResponsePhase.idle
    /// A status the call must end with instead of running its handler (unknown method,
    /// unsupported encoding, deadline passed, a broken request).
    private var rejection: RPCError?
    /// Why the call ended while its handler ran (deadline, reset): what the handler's
    /// cancellation means.
    private var endedBy: RPCError?
    private var requests: [ReceivedMessage] = []
    private var requestsEnded = false
    /// `receive` told the transport to stop reading; `nextRequest` resumes it.
    private var readingPaused = false
    private var requestFailure: (any Error)?
    private var waiter: CheckedContinuation<ReceivedMessage?, any Error>?
    /// The response of a unary or client-streaming method, held back to go out with the status.
    private var heldResponse: (any ProtoMessage)?
    private var heldResponseCompressed = true
    private var timer: CallTimer?

    init(
        dispatcher: ServerCallDispatcher, stream: any ServerTransportStream, context: ServerContext, method: ServerMethod,
        rejection: RPCError?
    ) {
        self.dispatcher = dispatcher
        self.stream = stream
        self.context = context
        self.method = method
        self.maximumMessageSize = dispatcher.maximumReceiveMessageSize
        self.rejection = rejection
    }

    var interceptors: [any ServerInterceptor] { dispatcher.interceptors }

    // MARK: Starting

    /// Called once the runner is set up: arms the deadline and starts what can start now.
    func begin() {
        if rejection != nil || !method.method.kind.hasSingleRequest {
            start()
        }
        if let deadline = context.deadline, rejection == nil {
            let timer = stream.schedule(at: deadline) { [weak self] in
                self?.end(RPCError(.deadlineExceeded, "deadline exceeded"))
            }
            let ended = lock.withLock {
                if responsePhase == .ended { return true }
                self.timer = timer
                return false
            }
            if ended { timer.cancel() }
        }
    }

    /// Starts the handler's task, unless the call already ended without one.
    private func start() {
        lock.lock()
        guard case .waiting = phase else {
            lock.unlock()
            return
        }
        dispatcher.callStarted()
        let task = Task.detached(executorPreference: stream.preferredExecutor) { [self] in
            await run()
            dispatcher.callEnded()
        }
        phase = .running(task)
        lock.unlock()
    }

    private func run() async {
        var outcome: RPCError?
        do {
            try await method.run(self)
        } catch {
            if !(error is RPCError), !(error is CancellationError) {
                // Details of other errors stay on the server.
                context.logger.warning(
                    "handler failed: \(error)", metadata: ["grpc.method": "\(context.path)", "grpc.peer": "\(context.peer)"])
            }
            outcome = RPCError(ending: error)
        }
        await finishFromHandler(outcome)
    }

    /// Runs `body` (the method's handler) inside the interceptors, with what the handler's
    /// cancellation and the call's end mean settled before the interceptors see the outcome.
    func intercept<Request, Response>(
        _ call: ServerCall<Request, Response>, _ body: @escaping @Sendable (ServerCall<Request, Response>) async throws -> Void
    ) async throws {
        let innermost: @Sendable (ServerCall<Request, Response>) async throws -> Void = { [self] call in
            if let rejection = lock.withLock({ rejection }) { throw rejection }
            do {
                try await body(call)
            } catch is CancellationError {
                throw lock.withLock { endedBy } ?? RPCError(.cancelled, "the call was cancelled")
            }
            // A handler that returned after the call ended (it ignored cancellation) did not succeed.
            if let endedBy = lock.withLock({ endedBy }) { throw endedBy }
        }
        let interceptors = dispatcher.interceptors
        if interceptors.isEmpty { return try await innermost(call) }
        try await Self.chain(interceptors[...], call, innermost)
    }

    private static func chain<Request, Response>(
        _ interceptors: ArraySlice<any ServerInterceptor>, _ call: ServerCall<Request, Response>,
        _ last: @escaping @Sendable (ServerCall<Request, Response>) async throws -> Void
    ) async throws {
        guard let first = interceptors.first else { return try await last(call) }
        let rest = interceptors.dropFirst()
        try await first.intercept(call) { call in try await chain(rest, call, last) }
    }

    // MARK: Requests, from the transport

    /// Request messages a streaming call holds before the transport stops reading its stream
    /// (the client is then held back by flow control), and how few it holds when reading resumes.
    static let bufferedRequestLimit = 16
    static let resumeBelow = 8

    func receive(_ message: ReceivedMessage) -> Bool {
        if message.bytes.readableBytes > maximumMessageSize {
            abort(RPCError(.resourceExhausted, "message of \(message.bytes.readableBytes) bytes exceeds the maximum of \(maximumMessageSize)"))
            return true
        }
        lock.lock()
        if rejection != nil || requestsEnded || requestFailure != nil {
            lock.unlock()
            return true
        }
        if let waiter {
            self.waiter = nil
            lock.unlock()
            waiter.resume(returning: message)
            return true
        }
        if method.method.kind.hasSingleRequest, !requests.isEmpty {
            lock.unlock()
            abort(RPCError(.internal, "more than one request message for a \(method.method.kind) call"))
            return true
        }
        requests.append(message)
        let full = requests.count >= Self.bufferedRequestLimit
        if full { readingPaused = true }
        lock.unlock()
        return !full
    }

    func receiveEnd() {
        lock.lock()
        if requestsEnded || requestFailure != nil {
            lock.unlock()
            return
        }
        requestsEnded = true
        let waiter = self.waiter
        self.waiter = nil
        let single = method.method.kind.hasSingleRequest && rejection == nil
        if single, requests.isEmpty { rejection = RPCError(.internal, "no request message") }
        lock.unlock()
        waiter?.resume(returning: nil)
        if single { start() }
    }

    func abort(_ error: RPCError?) {
        lock.lock()
        let waiter = self.waiter
        self.waiter = nil
        if requestFailure == nil { requestFailure = error ?? CancellationError() }
        if error == nil, case .waiting = phase { phase = .abandoned }
        lock.unlock()
        waiter?.resume(throwing: error ?? CancellationError())
        if let error {
            end(error)
        } else {
            // The client went away: nothing can be sent, the handler is cancelled.
            cancelled()
        }
    }

    /// The next request of a streaming call; nil after the last.
    func nextRequest() async throws -> ReceivedMessage? {
        lock.lock()
        if !requests.isEmpty {
            let next = requests.removeFirst()
            let resume = readingPaused && requests.count < Self.resumeBelow
            if resume { readingPaused = false }
            lock.unlock()
            if resume { stream.resumeReading() }
            return next
        }
        if let requestFailure {
            lock.unlock()
            throw requestFailure
        }
        if requestsEnded {
            lock.unlock()
            return nil
        }
        return try await withCheckedThrowingContinuation { continuation in
            waiter = continuation
            lock.unlock()
        }
    }

    /// The one request, for methods that take one.
    var singleRequest: ReceivedMessage? { lock.withLock { requests.first } }

    // MARK: Responses

    func writeResponse<Message: ProtoMessage>(_ message: Message, compress: Bool) async throws {
        do {
            try message.checkSendable()
        } catch {
            // A response lacking a required field is never sent: the call ends with the error.
            end(error)
            throw error
        }
        if method.method.kind.hasSingleResponse {
            // Held back, to go out with the status in one write.
            try lock.withLock {
                if responsePhase == .ended { throw endedBy ?? RPCError(.cancelled, "the call has ended") }
                if heldResponse != nil { throw RPCError(.internal, "more than one response message for a \(method.method.kind) call") }
                heldResponse = message
                heldResponseCompressed = compress
            }
            return
        }
        let first: Bool = try lock.withLock {
            switch responsePhase {
            case .ended: throw endedBy ?? RPCError(.cancelled, "the call has ended")
            case .headersSent: return false
            case .idle:
                responsePhase = .headersSent
                return true
            }
        }
        if first {
            let (headers, encoding) = context.responseHead()
            stream.sendHeaders(headers, encoding: encoding)
        }
        try await stream.sendMessage(message, compress: compress)
    }

    /// The end of a unary method's handler without interceptors: the response goes straight out
    /// with the status, never held.
    func finishUnary<Message: ProtoMessage>(_ message: Message) async {
        do {
            try message.checkSendable()
        } catch {
            end(error)
            return
        }
        guard let (headersSent, timer) = claimEnd(nil) else { return }
        timer?.cancel()
        await sendFinal(message, compress: true, headersSent: headersSent)
    }

    private func sendFinal<Message: ProtoMessage>(_ message: Message, compress: Bool, headersSent: Bool) async {
        if !headersSent {
            let (headers, encoding) = context.responseHead()
            stream.sendHeaders(headers, encoding: encoding)
        }
        try? await stream.sendMessage(message, compress: compress, thenStatus: .ok, trailers: context.trailers)
    }

    /// The handler (and the interceptors) returned: `outcome` nil for OK.
    private func finishFromHandler(_ outcome: RPCError?) async {
        let held = lock.withLock { () -> (any ProtoMessage)? in
            defer { heldResponse = nil }
            return heldResponse
        }
        if outcome == nil, method.method.kind.hasSingleResponse, held == nil {
            end(RPCError(.internal, "the handler sent no response message"))
            return
        }
        guard let held, outcome == nil else {
            end(outcome)
            return
        }
        guard let (headersSent, timer) = claimEnd(nil) else { return }
        timer?.cancel()
        let compress = lock.withLock { heldResponseCompressed }
        await sendFinal(held, compress: compress, headersSent: headersSent)
    }

    /// Marks the response ended; nil if it already was. Returns whether headers went out, and
    /// the deadline timer to cancel.
    /// Reads the transport held for this call resume: what is left of the request is read and
    /// dropped, instead of the client waiting on flow control until the stream is reset.
    private func claimEnd(_ status: RPCError?) -> (Bool, CallTimer?)? {
        let (claimed, resume): ((Bool, CallTimer?)?, Bool) = lock.withLock {
            let previous = responsePhase
            if previous == .ended { return (nil, false) }
            responsePhase = .ended
            if let status, case .running = phase { endedBy = status }
            let timer = self.timer
            self.timer = nil
            let resume = readingPaused
            readingPaused = false
            return ((previous == .headersSent, timer), resume)
        }
        if resume { stream.resumeReading() }
        return claimed
    }

    /// Ends the call with `status` (nil: OK) unless it has ended, and cancels the handler if it
    /// is still running.
    func end(_ status: RPCError?) {
        guard let (headersSent, timer) = claimEnd(status) else { return }
        timer?.cancel()
        let trailers = context.trailers + (status?.metadata ?? [:])
        if !headersSent {
            // Headers the handler added go out even when it failed before any message.
            let (headers, _) = context.responseHead()
            if !headers.isEmpty { stream.sendHeaders(headers, encoding: nil) }
        }
        stream.sendStatus(status?.status ?? .ok, trailers: trailers)
        guard let status else { return }
        cancelHandler()
        // Ended before its handler could run (a deadline while the request was still coming, a
        // broken request): the handler never runs, but the interceptors (logs, metrics) see the call.
        let record: Bool = lock.withLock {
            guard case .waiting = phase else { return false }
            if rejection == nil { rejection = status }
            return true
        }
        if record { start() }
    }

    /// The stream is gone: ends the call without sending anything, cancelling the handler.
    private func cancelled() {
        guard let (_, timer) = claimEnd(RPCError(.cancelled, "the client cancelled the call")) else { return }
        timer?.cancel()
        cancelHandler()
    }

    private func cancelHandler() {
        let task: Task<Void, Never>? = lock.withLock {
            if case .running(let task) = phase { return task }
            return nil
        }
        task?.cancel()
        let waiter = lock.withLock { () -> CheckedContinuation<ReceivedMessage?, any Error>? in
            defer { self.waiter = nil }
            if requestFailure == nil { requestFailure = endedBy ?? CancellationError() }
            return self.waiter
        }
        waiter?.resume(throwing: CancellationError())
    }
}
