import NIOConcurrencyHelpers
import ProtoWire

/// Runs one call on a channel: through the interceptors, then attempt by attempt on the
/// transport. Each attempt opens a stream, runs the call's body against it under the deadline,
/// and turns cancellation of the calling task into cancellation of the stream. An attempt that
/// failed before the server could see it goes to another endpoint, if the transport has one.
struct ClientCallRunner<Request: ProtoMessage, Response: ProtoMessage>: Sendable {
    let channel: GRPCChannel
    let method: RPCMethod
    let options: CallOptions

    func run<Result: Sendable>(
        _ body: @escaping @Sendable (RequestWriter<Request>, ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        let call = ClientCall<Request, Response, Result>(method: method, options: options, deadline: options.effectiveDeadline, body: body)
        let interceptors = channel.interceptors
        if interceptors.isEmpty { return try await execute(call) }
        return try await Self.chain(interceptors[...], call) { try await execute($0) }
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
    private func execute<Result: Sendable>(_ call: ClientCall<Request, Response, Result>) async throws -> Result {
        let deadline = call.deadline
        if let deadline, deadline <= .now { throw RPCError(.deadlineExceeded, "deadline exceeded before the call started") }
        var avoiding = Set<Endpoint>()
        while true {
            let head = RequestHead(
                path: method.path, metadata: call.options.metadata,
                timeout: deadline.map { ContinuousClock.now.duration(to: $0) },
                encoding: call.options.compression.flatMap { $0 == .identity ? nil : $0.name },
                acceptedEncodings: [.gzip, .deflate, .identity]
            )
            let streamOptions = StreamOptions(
                waitForReady: call.options.waitForReady, avoiding: avoiding,
                maximumMessageSize: channel.configuration.maximumReceiveMessageSize
            )
            let stream: any ClientTransportStream
            do {
                stream = try await channel.transport.openStream(head, options: streamOptions)
            } catch is CancellationError {
                throw RPCError(.cancelled, "the call was cancelled")
            } catch let unprocessed as UnprocessedCallError {
                throw unprocessed.error
            }
            do {
                return try await attempt(on: stream, deadline: deadline, body: call.body)
            } catch let unprocessed as UnprocessedCallError {
                // Never reached a server: safe to send elsewhere, if there is an elsewhere.
                guard let endpoint = stream.endpoint, !Task.isCancelled else { throw unprocessed.error }
                if let deadline, deadline <= .now { throw RPCError(.deadlineExceeded, "deadline exceeded") }
                avoiding.insert(endpoint)
            }
        }
    }

    private func attempt<Result: Sendable>(
        on stream: any ClientTransportStream, deadline: ContinuousClock.Instant?,
        body: @Sendable (RequestWriter<Request>, ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        let expiry = deadline.map { DeadlineWatch(stream: stream, deadline: $0) }
        defer {
            expiry?.cancel()
            stream.close()
        }
        let writer = RequestWriter<Request>(stream: stream)
        let responses = ResponseStream<Response>(stream: stream, maximumMessageSize: channel.configuration.maximumReceiveMessageSize)
        do {
            return try await withTaskCancellationHandler {
                try await body(writer, responses)
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
