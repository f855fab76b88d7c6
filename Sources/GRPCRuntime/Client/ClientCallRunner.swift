import NIOConcurrencyHelpers
import ProtoWire

/// Runs one call on a channel: through the interceptors, then attempt by attempt on the
/// transport. Each attempt opens a stream, runs the call's body against it under the deadline,
/// and turns cancellation of the calling task into cancellation of the stream. An attempt that
/// failed before the server could see it goes to another endpoint, if the transport has one.
/// A call whose method has a config in the channel's service config takes its timeout, limits
/// and retry or hedging policy (`RetryingClientStream`); calls without one skip all of that.
struct ClientCallRunner<Request: ProtoMessage, Response: ProtoMessage>: Sendable {
    let channel: GRPCChannel
    let method: RPCMethod
    let options: CallOptions
    /// The body can run again from the start on a new stream (a unary call's: one request it
    /// holds, one response), so under a retry policy the first attempt needs no retrying stream.
    var bodyRepeats = false

    func run<Result: Sendable>(
        _ body: @escaping @Sendable (RequestWriter<Request>, ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        // Without a service config's method configs (the common case) there is nothing to look up.
        guard let config = channel.serviceConfigInUse.methodConfigs.config(for: method) else {
            let call = ClientCall<Request, Response, Result>(method: method, options: options, deadline: options.effectiveDeadline, body: body)
            return try await intercepted(call, config: nil)
        }
        var options = self.options
        var deadline = options.effectiveDeadline
        if let timeout = config.timeout {
            let limit = ContinuousClock.now.advanced(by: timeout)
            deadline = min(deadline ?? limit, limit)
        }
        if config.waitForReady == true { options.waitForReady = true }
        let call = ClientCall<Request, Response, Result>(method: method, options: options, deadline: deadline, body: body)
        return try await intercepted(call, config: config)
    }

    private func intercepted<Result: Sendable>(_ call: ClientCall<Request, Response, Result>, config: MethodConfig?) async throws -> Result {
        let interceptors = channel.interceptors
        if interceptors.isEmpty { return try await execute(call, config: config) }
        return try await Self.chain(interceptors[...], call) { try await execute($0, config: config) }
    }

    private static func chain<Result: Sendable>(
        _ interceptors: ArraySlice<any ClientInterceptor>, _ call: ClientCall<Request, Response, Result>,
        _ last: @escaping @Sendable (ClientCall<Request, Response, Result>) async throws -> Result
    ) async throws -> Result {
        guard let first = interceptors.first else { return try await last(call) }
        let rest = interceptors.dropFirst()
        return try await first.intercept(call) { call in try await chain(rest, call, last) }
    }

    /// The call itself, after the interceptors.
    private func execute<Result: Sendable>(_ call: ClientCall<Request, Response, Result>, config: MethodConfig?) async throws -> Result {
        let deadline = call.deadline
        if let deadline, deadline <= .now { throw RPCError(.deadlineExceeded, "deadline exceeded before the call started") }
        var maximumResponse = channel.configuration.maximumReceiveMessageSize
        if let config {
            if let limit = config.maxResponseMessageBytes { maximumResponse = min(maximumResponse, limit) }
            if let policy = config.retryPolicy, policy.maxAttempts > 1 {
                if bodyRepeats { return try await executeFirstAttemptPlain(call, policy: policy, config: config, maximumResponse: maximumResponse) }
                return try await executeRetrying(call, policy: .retry(policy), config: config, maximumResponse: maximumResponse)
            }
            if let policy = config.hedgingPolicy, policy.maxAttempts > 1 {
                return try await executeRetrying(call, policy: .hedge(policy), config: config, maximumResponse: maximumResponse)
            }
        }
        var avoiding = Set<Endpoint>()
        while true {
            let head = head(of: call, timeoutFrom: deadline)
            let streamOptions = StreamOptions(
                waitForReady: call.options.waitForReady, avoiding: avoiding, maximumMessageSize: maximumResponse, deadline: deadline
            )
            var stream: any ClientTransportStream
            do {
                stream = try await channel.transport.openStream(head, options: streamOptions)
            } catch is CancellationError {
                throw RPCError(.cancelled, "the call was cancelled")
            } catch let unprocessed as UnprocessedCallError {
                throw unprocessed.error
            }
            if let limit = config?.maxRequestMessageBytes { stream = RequestSizeLimitedStream(stream, limit: limit) }
            do {
                let responses = ResponseStream<Response>(stream: stream, maximumMessageSize: maximumResponse)
                return try await attempt(on: stream, responses: responses, deadline: deadline, body: call.body)
            } catch let unprocessed as UnprocessedCallError {
                // Never reached a server: safe to send elsewhere, if there is an elsewhere.
                guard let endpoint = stream.endpoint, !Task.isCancelled else { throw unprocessed.error }
                if let deadline, deadline <= .now { throw RPCError(.deadlineExceeded, "deadline exceeded") }
                avoiding.insert(endpoint)
            }
        }
    }

    /// A call whose body repeats, under a retry policy: the first attempt runs on a plain stream,
    /// as without a policy. Only a failure before any response that the policy may try again
    /// (the stream's own, not the body's) hands the call to a retrying stream, which decides about
    /// it as about an attempt of its own and runs the body again for the attempts after. A call
    /// that needs no retry so pays for none of the retrying stream's keeping and locking.
    private func executeFirstAttemptPlain<Result: Sendable>(
        _ call: ClientCall<Request, Response, Result>, policy: RetryPolicy, config: MethodConfig, maximumResponse: Int
    ) async throws -> Result {
        let throttle = channel.serviceConfigInUse.retryThrottle
        let deadline = call.deadline
        let head = head(of: call, timeoutFrom: deadline)
        var stream: any ClientTransportStream
        do {
            stream = try await channel.transport.openStream(
                head, options: StreamOptions(waitForReady: call.options.waitForReady, maximumMessageSize: maximumResponse, deadline: deadline)
            )
        } catch is CancellationError {
            throw RPCError(.cancelled, "the call was cancelled")
        } catch {
            // Not opened: an attempt that failed at once, as a retrying stream counts it.
            guard let failure = (error as? RPCError) ?? (error as? UnprocessedCallError)?.error else { throw error }
            guard policy.retryableStatusCodes.contains(failure.code) else { throw failure }
            let earlier = RetryingClientStream.EarlierAttempt(ending: .failure(failure), endpoint: nil, unprocessed: false)
            return try await executeRetrying(call, policy: .retry(policy), config: config, maximumResponse: maximumResponse, after: earlier)
        }
        if let limit = config.maxRequestMessageBytes { stream = RequestSizeLimitedStream(stream, limit: limit) }
        let responses = ResponseStream<Response>(stream: stream, maximumMessageSize: maximumResponse)
        let earlier: RetryingClientStream.EarlierAttempt
        let failure: any Error
        do {
            let result = try await attempt(on: stream, responses: responses, deadline: deadline, body: call.body)
            throttle?.recordSuccess()
            return result
        } catch {
            failure = error
            let rpcError = error as? RPCError
            if responses.isCommitted {
                // The throttle counts every failed attempt, tried again or not.
                if let rpcError, policy.retryableStatusCodes.contains(rpcError.code) { _ = throttle?.recordFailure() }
                throw error
            }
            if Task.isCancelled { throw error }
            // No time left for another attempt: the deadline ends the call, as it would end one running.
            if let deadline, deadline <= .now { throw RPCError(.deadlineExceeded, "deadline exceeded") }
            let endpoint = stream.endpoint
            switch responses.failure {
            case .status(let status, let trailers):
                earlier = .init(ending: .status(status, trailers), endpoint: endpoint, unprocessed: false)
            case .thrown(let thrown as UnprocessedCallError):
                earlier = .init(ending: .failure(thrown.error), endpoint: endpoint, unprocessed: true)
            case .thrown(let thrown as RPCError):
                earlier = .init(ending: .failure(thrown), endpoint: endpoint, unprocessed: false)
            case .thrown, nil:
                // The request side failed (sending, where the stream may have reached the server
                // or not), or the body itself: its error decides.
                if let unprocessed = error as? UnprocessedCallError {
                    earlier = .init(ending: .failure(unprocessed.error), endpoint: endpoint, unprocessed: true)
                } else if let rpcError {
                    earlier = .init(ending: .failure(rpcError), endpoint: endpoint, unprocessed: false)
                } else {
                    throw error
                }
            }
        }
        // A failure the policy does not try again, of an attempt the server may have seen, ends
        // the call here (as the retrying stream would decide), without running the body again.
        guard earlier.unprocessed || policy.retryableStatusCodes.contains(earlier.ending.error.code) else { throw failure }
        return try await executeRetrying(call, policy: .retry(policy), config: config, maximumResponse: maximumResponse, after: earlier)
    }

    /// The call under a retry or hedging policy, over a stream that keeps the requests and runs
    /// the attempts (after `earlier`, when an attempt went before it).
    private func executeRetrying<Result: Sendable>(
        _ call: ClientCall<Request, Response, Result>, policy: AttemptPolicy, config: MethodConfig, maximumResponse: Int,
        after earlier: RetryingClientStream.EarlierAttempt? = nil
    ) async throws -> Result {
        // Each attempt sets the timeout it has left.
        let head = head(of: call, timeoutFrom: nil)
        let retrying = RetryingClientStream(
            transport: channel.transport, head: head, deadline: call.deadline,
            options: StreamOptions(waitForReady: call.options.waitForReady, maximumMessageSize: maximumResponse, deadline: call.deadline),
            policy: policy,
            throttle: channel.serviceConfigInUse.retryThrottle, budget: channel.retryBudget, callLimit: channel.configuration.retryBufferSize,
            after: earlier
        )
        // The deadline covers every attempt and the waits between them, the first included.
        var stream: any ClientTransportStream = retrying
        if let limit = config.maxRequestMessageBytes { stream = RequestSizeLimitedStream(stream, limit: limit) }
        let responses = ResponseStream<Response>(stream: stream, maximumMessageSize: maximumResponse)
        return try await attempt(on: stream, responses: responses, deadline: call.deadline, starting: earlier == nil ? retrying : nil, body: call.body)
    }

    /// The request head of an attempt of `call`, its timeout what is left until `deadline`.
    private func head<Result>(of call: ClientCall<Request, Response, Result>, timeoutFrom deadline: ContinuousClock.Instant?) -> RequestHead {
        RequestHead(
            path: method.path, metadata: call.options.metadata,
            timeout: deadline.map { ContinuousClock.now.duration(to: $0) },
            encoding: call.options.compression.flatMap { $0 == .identity ? nil : $0.name },
            acceptedEncodings: [.gzip, .deflate, .identity]
        )
    }

    /// Runs `body` on `stream` under the deadline and the calling task's cancellation; a
    /// retrying stream (`starting`) opens its first attempt under both first.
    private func attempt<Result: Sendable>(
        on stream: any ClientTransportStream, responses: ResponseStream<Response>, deadline: ContinuousClock.Instant?,
        starting retrying: RetryingClientStream? = nil,
        body: @Sendable (RequestWriter<Request>, ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        let expiry = deadline.map { DeadlineWatch(stream: stream, deadline: $0) }
        defer {
            expiry?.cancel()
            stream.close()
        }
        let writer = RequestWriter<Request>(stream: stream)
        do {
            return try await withTaskCancellationHandler {
                if let retrying { try await retrying.start() }
                return try await body(writer, responses)
            } onCancel: {
                stream.cancel()
            }
        } catch {
            if expiry?.passed == true { throw RPCError(.deadlineExceeded, "deadline exceeded") }
            if Task.isCancelled || error is CancellationError { throw RPCError(.cancelled, "the call was cancelled") }
            throw error
        }
    }
}

/// A call's deadline: when it passes, the stream is cancelled, and the call's failure is the
/// deadline's.
private final class DeadlineWatch: Sendable {
    private let fired = NIOLockedValueBox(false)
    private let timer = NIOLockedValueBox<CallTimer?>(nil)

    init(stream: any ClientTransportStream, deadline: ContinuousClock.Instant) {
        let timer = stream.schedule(at: deadline) { [fired] in
            fired.withLockedValue { $0 = true }
            stream.cancel()
        }
        self.timer.withLockedValue { $0 = timer }
    }

    var passed: Bool { fired.withLockedValue { $0 } }

    func cancel() { timer.withLockedValue { $0 }?.cancel() }
}

/// A stream that refuses request messages over a method config's `maxRequestMessageBytes`.
private final class RequestSizeLimitedStream: ClientTransportStream {
    private let base: any ClientTransportStream
    private let limit: Int

    init(_ base: any ClientTransportStream, limit: Int) {
        self.base = base
        self.limit = limit
    }

    var endpoint: Endpoint? { base.endpoint }

    func sendMessage<Message: ProtoMessage>(_ message: Message, compress: Bool, endOfRequests: Bool) async throws {
        let size = message.encodedSize()
        guard size <= limit else {
            base.cancel()
            throw RPCError(.resourceExhausted, "request message of \(size) bytes exceeds the maximum of \(limit)")
        }
        try await base.sendMessage(message, compress: compress, endOfRequests: endOfRequests)
    }

    func sendEnd() async throws { try await base.sendEnd() }
    func receive() async throws -> ResponsePart { try await base.receive() }
    func cancel() { base.cancel() }
    func close() { base.close() }

    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> CallTimer {
        base.schedule(at: deadline, action)
    }
}
