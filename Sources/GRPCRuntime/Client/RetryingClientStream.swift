import NIOConcurrencyHelpers
import ProtoWire

/// One call under a retry policy, seen by the call's body as a single stream: behind it, one
/// transport stream per attempt.
///
/// Until the response is committed (headers or a message arrived), every request part sent is
/// kept, and a failure with a retryable code starts another attempt after a backoff (or the
/// server's pushback) on another endpoint where there is one, replaying the kept parts to it.
/// Keeping more than the call's or the channel's buffer limit ends retrying for the call: the
/// parts go on to the current attempt and nothing is kept.
///
/// The request side (`sendMessage`, `sendEnd`) and the response side (`receive`, which decides
/// about attempts and replays) run in different tasks; `current` is nil while an attempt is being
/// set up, and parts sent meanwhile are only kept, for the replay to pick up.
final class RetryingClientStream: ClientTransportStream, @unchecked Sendable {
    private typealias Part = @Sendable (any ClientTransportStream) async throws -> Void

    private let transport: any ClientTransport
    private let head: RequestHead
    private let deadline: ContinuousClock.Instant?
    private let options: StreamOptions
    private let policy: RetryPolicy
    private let throttle: RetryThrottle?
    private let budget: RetryBufferBudget
    private let callLimit: Int

    private let lock = NIOLock()
    // Guarded by `lock`.
    private var current: (any ClientTransportStream)?
    private var kept: [Part] = []
    private var keptBytes = 0
    /// Whether another attempt may still start: false once committed or over the buffer limit.
    private var retriesAllowed = true
    private var cancelled = false
    private var wake: CheckedContinuation<Void, Never>?
    // Used by the response side only.
    private var attempts = 0
    private var backoff: Duration
    private var tried = Set<Endpoint>()
    private var timerSource: (any ClientTransportStream)?

    init(
        transport: any ClientTransport, head: RequestHead, deadline: ContinuousClock.Instant?, options: StreamOptions,
        policy: RetryPolicy, throttle: RetryThrottle?, budget: RetryBufferBudget, callLimit: Int
    ) {
        self.transport = transport
        self.head = head
        self.deadline = deadline
        self.options = options
        self.policy = policy
        self.throttle = throttle
        self.budget = budget
        self.callLimit = callLimit
        self.backoff = policy.initialBackoff
    }

    /// Attempts allowed, the first included.
    private var maxAttempts: Int { min(policy.maxAttempts, 5) }

    /// Opens the first attempt (trying again as the policy allows if it cannot be opened).
    func start() async throws {
        var failure = await open(counted: true)
        while let error = failure {
            guard let delay = decide(after: error, unprocessedAt: nil) else { throw error }
            failure = try await next(after: delay, counted: true)
        }
    }

    // MARK: Request side

    var endpoint: Endpoint? { lock.withLock { current?.endpoint } }

    func sendMessage<Message: ProtoMessage>(_ message: Message, compress: Bool, endOfRequests: Bool) async throws {
        try await send(bytes: message.encodedSize()) { stream in
            try await stream.sendMessage(message, compress: compress, endOfRequests: endOfRequests)
        }
    }

    func sendEnd() async throws {
        try await send(bytes: 0) { try await $0.sendEnd() }
    }

    private func send(bytes: Int, _ part: @escaping Part) async throws {
        let target: (any ClientTransportStream)? = try lock.withLock {
            if cancelled { throw RPCError(.cancelled, "the call was cancelled") }
            // While an attempt is being set up the part must be kept whatever the limits: the
            // replay is its only way to the server.
            if retriesAllowed || current == nil {
                kept.append(part)
                if retriesAllowed, keptBytes + bytes <= callLimit, budget.reserve(bytes) {
                    keptBytes += bytes
                } else {
                    retriesAllowed = false
                    if current != nil { dropKept() }
                }
            }
            return current
        }
        guard let target else { return }
        do {
            try await part(target)
        } catch {
            // An attempt that may still be replaced reports its end on the response side.
            let replaceable = lock.withLock { current !== target || retriesAllowed }
            if !replaceable { throw error }
        }
    }

    /// Frees the kept parts. Called with the lock held.
    private func dropKept() {
        kept = []
        budget.release(keptBytes)
        keptBytes = 0
    }

    // MARK: Response side

    func receive() async throws -> ResponsePart {
        while true {
            guard let stream = lock.withLock({ current }) else { throw RPCError(.cancelled, "the call was cancelled") }
            let failure: RPCError
            var unprocessedAt: Endpoint?
            do {
                let part = try await stream.receive()
                switch part {
                case .headers, .message:
                    commit()
                    return part
                case .status(let status, let trailers):
                    if status.code == .ok {
                        throttle?.recordSuccess()
                        commit()
                        return part
                    }
                    guard let delay = decide(after: RPCError(status.code, status.message, metadata: trailers), unprocessedAt: nil) else {
                        commit()
                        return part
                    }
                    try await retry(after: delay, counted: true)
                    continue
                }
            } catch let error as UnprocessedCallError {
                failure = error.error
                unprocessedAt = stream.endpoint
            } catch let error as RPCError {
                failure = error
            }
            guard let delay = decide(after: failure, unprocessedAt: unprocessedAt) else {
                commit()
                throw failure
            }
            try await retry(after: delay, counted: unprocessedAt == nil)
        }
    }

    /// Starts attempts after `delay` until one opens or the policy gives up.
    private func retry(after delay: Duration, counted: Bool) async throws {
        var failure = try await next(after: delay, counted: counted)
        while let error = failure {
            guard let delay = decide(after: error, unprocessedAt: nil) else {
                commit()
                throw error
            }
            failure = try await next(after: delay, counted: true)
        }
    }

    /// Whether to try again after `failure`, and after how long. An attempt the server cannot
    /// have seen goes straight to another endpoint, once per endpoint, whatever the policy.
    private func decide(after failure: RPCError, unprocessedAt endpoint: Endpoint?) -> Duration? {
        let (allowed, cancelled) = lock.withLock { (retriesAllowed, self.cancelled) }
        if cancelled { return nil }
        if allowed, let endpoint, !tried.contains(endpoint) {
            tried.insert(endpoint)
            return .zero
        }
        guard policy.retryableStatusCodes.contains(failure.code) else { return nil }
        // The throttle counts every failed attempt, tried again or not.
        let throttled = throttle.map { !$0.recordFailure() } ?? false
        guard allowed else { return nil }
        var pushback: Duration?
        if let text = failure.metadata.first("grpc-retry-pushback-ms") {
            // A negative or malformed pushback is the server saying not to try again.
            guard let millis = Int64(text), millis >= 0 else { return nil }
            pushback = .milliseconds(millis)
        }
        guard !throttled, attempts < maxAttempts else { return nil }
        if let pushback {
            backoff = policy.initialBackoff
            return pushback
        }
        let delay = backoff * Double.random(in: 0..<1)
        let grown = backoff * policy.backoffMultiplier
        backoff = grown < policy.maxBackoff ? grown : policy.maxBackoff
        return delay
    }

    /// Waits `delay`, then opens the next attempt and replays the kept parts to it; returns the
    /// failure to open one, if any. Throws when the call was cancelled meanwhile.
    private func next(after delay: Duration, counted: Bool) async throws -> RPCError? {
        let previous = lock.withLock { () -> (any ClientTransportStream)? in
            defer { current = nil }
            return current
        }
        if let endpoint = previous?.endpoint { tried.insert(endpoint) }
        previous?.close()
        if delay > .zero { await sleep(delay) }
        if lock.withLock({ cancelled }) { throw RPCError(.cancelled, "the call was cancelled") }
        return await open(counted: counted)
    }

    /// Opens an attempt and makes it current once the kept parts are replayed to it.
    private func open(counted: Bool) async -> RPCError? {
        var head = self.head
        if let deadline { head.timeout = ContinuousClock.now.duration(to: deadline) }
        if attempts > 0 {
            head.metadata.removeAll("grpc-previous-rpc-attempts")
            head.metadata.add("grpc-previous-rpc-attempts", String(attempts))
        }
        if counted || attempts == 0 { attempts += 1 }
        var options = self.options
        options.avoiding.formUnion(tried)
        let stream: any ClientTransportStream
        do {
            do {
                stream = try await transport.openStream(head, options: options)
            } catch let error as RPCError where !tried.isEmpty {
                // Every other endpoint is gone: the ones tried before will do.
                _ = error
                options.avoiding = self.options.avoiding
                stream = try await transport.openStream(head, options: options)
            }
        } catch let error as UnprocessedCallError {
            return error.error
        } catch let error as RPCError {
            return error
        } catch {
            return RPCError(.cancelled, "the call was cancelled")
        }
        if timerSource == nil { timerSource = stream }
        var replayed = 0
        while true {
            let part: Part? = lock.withLock {
                if replayed < kept.count, !cancelled {
                    replayed += 1
                    return kept[replayed - 1]
                }
                current = stream
                if !retriesAllowed { dropKept() }
                return nil
            }
            guard let part else { break }
            // A failed send shows on the attempt's response side.
            try? await part(stream)
        }
        if lock.withLock({ cancelled }) { stream.cancel() }
        return nil
    }

    /// Sleeps until `delay` has passed or the call is cancelled.
    private func sleep(_ delay: Duration) async {
        let timer = NIOLockedValueBox<CallTimer?>(nil)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = lock.withLock { () -> Bool in
                if cancelled { return true }
                wake = continuation
                return false
            }
            if now {
                continuation.resume()
                return
            }
            let action: @Sendable () -> Void = { [self] in
                lock.withLock { () -> CheckedContinuation<Void, Never>? in
                    defer { wake = nil }
                    return wake
                }?.resume()
            }
            let deadline = ContinuousClock.now.advanced(by: delay)
            let scheduled = timerSource?.schedule(at: deadline, action) ?? TaskTimer.schedule(at: deadline, action)
            timer.withLockedValue { $0 = scheduled }
        }
        timer.withLockedValue { $0 }?.cancel()
    }

    /// The response has begun (or the call is decided): no more attempts, nothing more kept.
    private func commit() {
        lock.withLock {
            retriesAllowed = false
            dropKept()
        }
    }

    func cancel() {
        let (stream, waiter) = lock.withLock { () -> ((any ClientTransportStream)?, CheckedContinuation<Void, Never>?) in
            cancelled = true
            defer { wake = nil }
            return (current, wake)
        }
        stream?.cancel()
        waiter?.resume()
    }

    func close() {
        let (stream, waiter) = lock.withLock { () -> ((any ClientTransportStream)?, CheckedContinuation<Void, Never>?) in
            retriesAllowed = false
            cancelled = true
            dropKept()
            defer { wake = nil }
            return (current, wake)
        }
        stream?.close()
        waiter?.resume()
    }

    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> CallTimer {
        let source = lock.withLock { current }
        return source?.schedule(at: deadline, action) ?? TaskTimer.schedule(at: deadline, action)
    }
}
