import NIOConcurrencyHelpers
import ProtoWire

/// How a call's attempts follow each other: one after another as each fails (retries), or side
/// by side, some time apart (hedging).
enum AttemptPolicy: Sendable {
    case retry(RetryPolicy)
    case hedge(HedgingPolicy)

    /// Attempts allowed, the first included: the policy's, capped at 5 as gRPC caps them.
    var maxAttempts: Int {
        switch self {
        case .retry(let policy): min(policy.maxAttempts, 5)
        case .hedge(let policy): min(policy.maxAttempts, 5)
        }
    }

    /// The codes after which another attempt may follow (and which the throttle counts).
    var codesTriedAgain: Set<RPCError.Code> {
        switch self {
        case .retry(let policy): policy.retryableStatusCodes
        case .hedge(let policy): policy.nonFatalStatusCodes
        }
    }
}

/// One call under a retry or hedging policy, seen by the call's body as a single stream: behind
/// it, one transport stream per attempt.
///
/// Until the response is committed (headers or a message arrived), every request part sent is
/// kept. Under a retry policy a failure with a retryable code starts another attempt after a
/// backoff (or the server's pushback) on another endpoint where there is one, replaying the kept
/// parts to it. Under a hedging policy attempts start `hedgingDelay` apart (at once after a
/// non-fatal failure, after the pushback when the server gives one), each on an endpoint the
/// others do not use where there is one, and every part goes to all of them; the first to answer
/// with anything but a non-fatal failure wins and the others are cancelled. Keeping more than
/// the call's or the channel's buffer limit commits the call: the parts go on to the oldest
/// attempt alone (the others are cancelled), and nothing is kept.
///
/// The request side (`sendMessage`, `sendEnd`) and the response side (`receive`, which decides
/// about attempts and replays) run in different tasks. A stream joins `live` once the kept parts
/// are replayed to it; parts sent meanwhile are only kept, for the replay to pick up.
final class RetryingClientStream: ClientTransportStream, @unchecked Sendable {
    /// A request part, kept as a value until the response commits.
    private enum Part: Sendable {
        case message(any ProtoMessage, compress: Bool, endOfRequests: Bool)
        case end

        func send(to stream: any ClientTransportStream) async throws {
            switch self {
            case .message(let message, let compress, let endOfRequests):
                try await stream.sendMessage(message, compress: compress, endOfRequests: endOfRequests)
            case .end:
                try await stream.sendEnd()
            }
        }
    }

    /// What a hedged call's response side waits for.
    private enum Event: Sendable {
        /// An attempt's first response part, or its failure before any.
        case first(any ClientTransportStream, Result<ResponsePart, any Error>)
        /// The time for the next hedge has come (timers other than the latest are stale).
        case hedgeDue(Int)
    }

    /// How an attempt ended without a response: a status, or a failed stream.
    enum Ending: Sendable {
        case status(Status, Metadata)
        case failure(RPCError)

        var error: RPCError {
            switch self {
            case .status(let status, let trailers): RPCError(status.code, status.message, metadata: trailers)
            case .failure(let error): error
            }
        }

        /// The call's end, as `receive()` hands it on.
        func delivered() throws -> ResponsePart {
            switch self {
            case .status(let status, let trailers): return .status(status, trailers: trailers)
            case .failure(let error): throw error
            }
        }
    }

    /// An attempt made before this stream took the call over. A unary call's first attempt goes
    /// on a plain stream (`ClientCallRunner`); a failure before any response hands the call to
    /// this stream, whose first `receive()` decides about it as about an attempt of its own.
    struct EarlierAttempt: Sendable {
        var ending: Ending
        var endpoint: Endpoint?
        /// The server cannot have seen it.
        var unprocessed: Bool
    }

    private let transport: any ClientTransport
    private let head: RequestHead
    private let deadline: ContinuousClock.Instant?
    private let options: StreamOptions
    private let policy: AttemptPolicy
    private let throttle: RetryThrottle?
    private let budget: ByteBudget
    private let callLimit: Int

    private let lock = NIOLock()
    // The state below is guarded by `lock` or used by one side's task only, so the run-time
    // exclusivity check on each access (`@exclusivity(unchecked)` turns it off) would only cost.
    // Guarded by `lock`.
    /// The attempts that get the request parts; at most one under a retry policy.
    @exclusivity(unchecked) private var live: [any ClientTransportStream] = []
    @exclusivity(unchecked) private var kept: [Part] = []
    @exclusivity(unchecked) private var keptBytes = 0
    /// Counts `dropKept()`: an attempt whose replay saw it change missed parts.
    @exclusivity(unchecked) private var keptGeneration = 0
    /// Whether another attempt may still start: false once committed or over the buffer limit.
    @exclusivity(unchecked) private var retriesAllowed = true
    @exclusivity(unchecked) private var cancelled = false
    @exclusivity(unchecked) private var wake: CheckedContinuation<Void, Never>?
    @exclusivity(unchecked) private var events: [Event] = []
    @exclusivity(unchecked) private var eventWaiter: CheckedContinuation<Event?, Never>?
    @exclusivity(unchecked) private var hedgeTimer: CallTimer?
    // Used by the response side only.
    @exclusivity(unchecked) private var attempts = 0
    @exclusivity(unchecked) private var backoff: Duration
    @exclusivity(unchecked) private var tried = Set<Endpoint>()
    @exclusivity(unchecked) private var timerSource: (any ClientTransportStream)?
    /// The latest hedge timer's number.
    @exclusivity(unchecked) private var hedgeTimerID = 0
    /// Set when the throttle or a pushback stops hedging.
    @exclusivity(unchecked) private var hedgesStopped = false
    /// Attempts replaced because the server never saw them (not counted against `maxAttempts`).
    @exclusivity(unchecked) private var transparentReplacements = 0
    /// The latest hedge to fail, the call's ending if no other can answer.
    @exclusivity(unchecked) private var lastEnding: Ending?
    /// Whether a hedged call's race is over: from then on the one attempt left is read directly.
    @exclusivity(unchecked) private var decided = false
    /// The attempt that goes on alone once the call is committed, read without the lock.
    @exclusivity(unchecked) private var committedStream: (any ClientTransportStream)?
    /// Whether `commit()` ran.
    @exclusivity(unchecked) private var committed = false
    /// The attempt made before this stream, until the response side has decided about it.
    @exclusivity(unchecked) private var earlier: EarlierAttempt?

    init(
        transport: any ClientTransport, head: RequestHead, deadline: ContinuousClock.Instant?, options: StreamOptions,
        policy: AttemptPolicy, throttle: RetryThrottle?, budget: ByteBudget, callLimit: Int, after earlier: EarlierAttempt? = nil
    ) {
        self.transport = transport
        self.head = head
        self.deadline = deadline
        self.options = options
        self.policy = policy
        self.throttle = throttle
        self.budget = budget
        self.callLimit = callLimit
        if case .retry(let retry) = policy { self.backoff = retry.initialBackoff } else { self.backoff = .zero }
        if let earlier {
            self.earlier = earlier
            attempts = 1
        }
    }

    private var maxAttempts: Int { policy.maxAttempts }

    /// Opens the first attempt (trying again as the policy allows if it cannot be opened); a
    /// hedged call also sets the time for the next.
    func start() async throws {
        if case .hedge(let hedging) = policy {
            while let error = await open(counted: true) {
                guard hedging.nonFatalStatusCodes.contains(error.code), !(throttle.map { !$0.recordFailure() } ?? false),
                    attempts < maxAttempts
                else { throw error }
            }
            scheduleHedge(after: hedging.hedgingDelay)
            return
        }
        var failure = await open(counted: true)
        while let error = failure {
            guard let delay = decide(after: error, unprocessedAt: nil) else { throw error }
            failure = try await next(after: delay, counted: true)
        }
    }

    // MARK: Request side

    var endpoint: Endpoint? { lock.withLock { live.first?.endpoint } }

    func sendMessage<Message: ProtoMessage>(_ message: Message, compress: Bool, endOfRequests: Bool) async throws {
        try await send(.message(message, compress: compress, endOfRequests: endOfRequests), bytes: message.encodedSize())
    }

    func sendEnd() async throws {
        try await send(.end, bytes: 0)
    }

    private func send(_ part: Part, bytes: Int) async throws {
        let (targets, dropped) = try lock.withLock { () -> ([any ClientTransportStream], ArraySlice<any ClientTransportStream>) in
            if cancelled { throw RPCError(.cancelled, "the call was cancelled") }
            var dropped: ArraySlice<any ClientTransportStream> = []
            // While no attempt is live the part must be kept whatever the limits: the replay is
            // its only way to the server.
            if retriesAllowed || live.isEmpty {
                kept.append(part)
                if retriesAllowed, keptBytes + bytes <= callLimit, budget.reserve(bytes) {
                    keptBytes += bytes
                } else {
                    retriesAllowed = false
                    if !live.isEmpty {
                        dropKept()
                        // Committed: the oldest hedge has every part sent so far; it goes on alone.
                        dropped = live.dropFirst()
                        live.removeSubrange(1...)
                    }
                }
            }
            return (live, dropped)
        }
        for stream in dropped {
            stream.cancel()
            stream.close()
        }
        for target in targets {
            do {
                try await part.send(to: target)
            } catch {
                // An attempt that may still be replaced, or has others beside it, reports its
                // end on the response side.
                let replaceable = lock.withLock { retriesAllowed || live.count != 1 || live[0] !== target }
                if !replaceable { throw error }
            }
        }
    }

    /// Frees the kept parts. Called with the lock held.
    private func dropKept() {
        kept = []
        budget.release(keptBytes)
        keptBytes = 0
        keptGeneration += 1
    }

    // MARK: Response side

    func receive() async throws -> ResponsePart {
        if case .hedge(let hedging) = policy, !decided {
            do {
                let part = try await receiveHedged(hedging)
                decided = true
                return part
            } catch {
                decided = true
                throw error
            }
        }
        if let stream = committedStream { return try await receiveCommitted(stream) }
        if let earlier {
            self.earlier = nil
            let failure = earlier.ending.error
            guard let delay = decide(after: failure, unprocessedAt: earlier.unprocessed ? earlier.endpoint : nil) else {
                commit()
                return try earlier.ending.delivered()
            }
            // The next attempt goes elsewhere where there is an elsewhere, as after a failed attempt of this stream's.
            if let endpoint = earlier.endpoint { tried.insert(endpoint) }
            try await retry(after: delay, counted: !earlier.unprocessed)
        }
        while true {
            guard let stream = lock.withLock({ live.first }) else { throw RPCError(.cancelled, "the call was cancelled") }
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

    /// The response side once the call is committed: the one attempt left, read directly. A
    /// failure still counts for the throttle, as `decide` counts it before a commit.
    private func receiveCommitted(_ stream: any ClientTransportStream) async throws -> ResponsePart {
        let failure: RPCError
        do {
            let part = try await stream.receive()
            guard case .status(let status, let trailers) = part else { return part }
            if status.code == .ok {
                throttle?.recordSuccess()
                return part
            }
            _ = decide(after: RPCError(status.code, status.message, metadata: trailers), unprocessedAt: nil)
            return part
        } catch let error as UnprocessedCallError {
            failure = error.error
        } catch let error as RPCError {
            failure = error
        }
        _ = decide(after: failure, unprocessedAt: nil)
        throw failure
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
        guard policy.codesTriedAgain.contains(failure.code) else { return nil }
        // The throttle counts every failed attempt, tried again or not.
        let throttled = throttle.map { !$0.recordFailure() } ?? false
        guard allowed, case .retry(let retryPolicy) = policy else { return nil }
        var pushback: Duration?
        if let text = failure.metadata.first("grpc-retry-pushback-ms") {
            // A negative or malformed pushback is the server saying not to try again.
            guard let millis = Int64(text), millis >= 0 else { return nil }
            pushback = .milliseconds(millis)
        }
        guard !throttled, attempts < maxAttempts else { return nil }
        if let pushback {
            backoff = retryPolicy.initialBackoff
            return pushback
        }
        let delay = backoff * Double.random(in: 0..<1)
        let grown = backoff * retryPolicy.backoffMultiplier
        backoff = grown < retryPolicy.maxBackoff ? grown : retryPolicy.maxBackoff
        return delay
    }

    /// Waits `delay`, then opens the next attempt and replays the kept parts to it; returns the
    /// failure to open one, if any. Throws when the call was cancelled meanwhile.
    private func next(after delay: Duration, counted: Bool) async throws -> RPCError? {
        let previous = lock.withLock { () -> (any ClientTransportStream)? in
            defer { live = [] }
            return live.first
        }
        if let endpoint = previous?.endpoint { tried.insert(endpoint) }
        previous?.close()
        if delay > .zero { await sleep(delay) }
        if lock.withLock({ cancelled }) { throw RPCError(.cancelled, "the call was cancelled") }
        return await open(counted: counted)
    }

    /// Opens an attempt and makes it live once the kept parts are replayed to it (a hedge that
    /// the call committed meanwhile is cancelled instead).
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
        let hedged: Bool
        if case .hedge = policy {
            hedged = true
            // The next hedge goes elsewhere while there is an elsewhere.
            if let endpoint = stream.endpoint { tried.insert(endpoint) }
        } else {
            hedged = false
        }
        if timerSource == nil { timerSource = stream }
        // One lock round trip per part replayed, and one to join (none more when nothing is kept).
        var replayed = 0
        var generation: Int?
        var joined = false
        var cancelledAtJoin = false
        while true {
            let part: Part? = lock.withLock {
                let current = generation ?? keptGeneration
                generation = current
                if replayed < kept.count, !cancelled, keptGeneration == current {
                    replayed += 1
                    return kept[replayed - 1]
                }
                if keptGeneration == current || live.isEmpty {
                    live.append(stream)
                    joined = true
                }
                if !retriesAllowed { dropKept() }
                cancelledAtJoin = cancelled
                return nil
            }
            guard let part else { break }
            // A failed send shows on the attempt's response side.
            try? await part.send(to: stream)
        }
        guard joined else {
            stream.cancel()
            stream.close()
            return nil
        }
        // Cancelled after joining, the call's `cancel()` reaches the stream in `live`.
        if cancelledAtJoin { stream.cancel() }
        if hedged {
            // The first response part of each hedge is raced against the others'.
            Task { [self] in
                let result: Result<ResponsePart, any Error>
                do {
                    result = .success(try await stream.receive())
                } catch {
                    result = .failure(error)
                }
                post(.first(stream, result))
            }
        }
        return nil
    }

    // MARK: Hedging

    /// A hedged call's response side until one attempt answers or all have failed.
    private func receiveHedged(_ hedging: HedgingPolicy) async throws -> ResponsePart {
        while true {
            guard let event = await nextEvent() else { throw RPCError(.cancelled, "the call was cancelled") }
            let ending: Ending?
            switch event {
            case .hedgeDue(let id):
                guard id == hedgeTimerID else { continue }
                if canHedge() {
                    guard let failure = await startHedge(hedging) else { continue }
                    ending = await hedgeEnded(.failure(failure), stream: nil, hedging)
                } else if lock.withLock({ live.isEmpty }), let last = lastEnding {
                    commit()
                    ending = last
                } else {
                    continue
                }
            case .first(let stream, let result):
                guard lock.withLock({ live.contains { $0 === stream } }) else { continue }
                switch result {
                case .success(let part):
                    switch part {
                    case .headers, .message:
                        win(stream)
                        return part
                    case .status(let status, let trailers):
                        if status.code == .ok {
                            throttle?.recordSuccess()
                            win(stream)
                            return part
                        }
                        ending = await hedgeEnded(.status(status, trailers), stream: stream, hedging)
                    }
                case .failure(let error as UnprocessedCallError):
                    if transparentReplacements < maxAttempts, lock.withLock({ retriesAllowed }) {
                        // The server never saw it: another in its place, not counted as an attempt.
                        transparentReplacements += 1
                        lock.withLock { live.removeAll { $0 === stream } }
                        stream.close()
                        guard let failure = await open(counted: false) else { continue }
                        ending = await hedgeEnded(.failure(failure), stream: nil, hedging)
                    } else {
                        ending = await hedgeEnded(.failure(error.error), stream: stream, hedging)
                    }
                case .failure(let error as RPCError):
                    ending = await hedgeEnded(.failure(error), stream: stream, hedging)
                case .failure:
                    ending = await hedgeEnded(.failure(RPCError(.cancelled, "the call was cancelled")), stream: stream, hedging)
                }
            }
            if let ending { return try ending.delivered() }
        }
    }

    /// Whether another hedge may start now.
    private func canHedge() -> Bool {
        guard !hedgesStopped, attempts < maxAttempts, lock.withLock({ retriesAllowed && !cancelled }) else { return false }
        // The first attempt always goes; the others only while the throttle allows.
        return throttle?.allowsRetries ?? true
    }

    /// Opens the next hedge and sets the time for the one after; returns the failure to open it.
    private func startHedge(_ hedging: HedgingPolicy) async -> RPCError? {
        let failure = await open(counted: true)
        scheduleHedge(after: hedging.hedgingDelay)
        return failure
    }

    /// An attempt ended without a response (`stream` nil: it could not be opened). Returns the
    /// call's ending when nothing else can answer, nil while others may.
    private func hedgeEnded(_ ending: Ending, stream: (any ClientTransportStream)?, _ hedging: HedgingPolicy) async -> Ending? {
        var ending = ending
        var stream = stream
        while true {
            if let stream {
                lock.withLock { live.removeAll { $0 === stream } }
                stream.close()
            }
            let error = ending.error
            guard hedging.nonFatalStatusCodes.contains(error.code) else {
                if stream == nil, !lock.withLock({ live.isEmpty }) {
                    // A copy that could not even be opened says nothing of the call: the copies
                    // already sent go on, and no more are tried.
                    hedgesStopped = true
                    return nil
                }
                // A fatal status ends the call; the other hedges are cancelled.
                commit(cancellingAll: true)
                return ending
            }
            lastEnding = ending
            if let throttle, !throttle.recordFailure() { hedgesStopped = true }
            var delay = Duration.zero
            if let text = error.metadata.first("grpc-retry-pushback-ms") {
                // A negative or malformed pushback is the server saying to send no more hedges.
                if let millis = Int64(text), millis >= 0 { delay = .milliseconds(millis) } else { hedgesStopped = true }
            }
            if canHedge() {
                if delay > .zero {
                    scheduleHedge(after: delay)
                    return nil
                }
                // A non-fatal failure brings the next hedge forward.
                guard let failure = await startHedge(hedging) else { return nil }
                ending = .failure(failure)
                stream = nil
                continue
            }
            guard lock.withLock({ live.isEmpty }) else { return nil }
            commit()
            return ending
        }
    }

    /// Sets the time for the next hedge, replacing any time set before.
    private func scheduleHedge(after delay: Duration) {
        guard attempts < maxAttempts else { return }
        hedgeTimerID += 1
        let id = hedgeTimerID
        let action: @Sendable () -> Void = { [self] in post(.hedgeDue(id)) }
        let timer: CallTimer
        if delay <= .zero {
            action()
            timer = CallTimer(cancel: nil)
        } else {
            let due = ContinuousClock.now.advanced(by: delay)
            timer = timerSource?.schedule(at: due, action) ?? TaskTimer.schedule(at: due, action)
        }
        lock.withLock { () -> CallTimer? in
            defer { hedgeTimer = timer }
            return hedgeTimer
        }?.cancel()
    }

    private func post(_ event: Event) {
        let waiter = lock.withLock { () -> CheckedContinuation<Event?, Never>? in
            guard let waiter = eventWaiter else {
                if !cancelled { events.append(event) }
                return nil
            }
            eventWaiter = nil
            return waiter
        }
        waiter?.resume(returning: event)
    }

    /// The next event; nil once the call is cancelled.
    private func nextEvent() async -> Event? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Event?, Never>) in
            let now = lock.withLock { () -> Event?? in
                if cancelled { return .some(nil) }
                if !events.isEmpty { return .some(events.removeFirst()) }
                eventWaiter = continuation
                return .none
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    /// `stream` answered first: it goes on alone.
    private func win(_ stream: any ClientTransportStream) {
        let losers = lock.withLock { () -> [any ClientTransportStream] in
            retriesAllowed = false
            dropKept()
            defer { live = [stream] }
            return live.filter { $0 !== stream }
        }
        stopHedging(losers)
    }

    private func stopHedging(_ losers: [any ClientTransportStream]) {
        hedgeTimerID += 1
        lock.withLock { () -> CallTimer? in
            defer { hedgeTimer = nil }
            return hedgeTimer
        }?.cancel()
        for loser in losers {
            loser.cancel()
            loser.close()
        }
    }

    // MARK: Both

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

    /// The response has begun (or the call is decided): no more attempts, nothing more kept;
    /// with `cancellingAll`, no attempt goes on either.
    private func commit(cancellingAll: Bool = false) {
        // Committed once, a call has nothing more to drop (no attempt starts after a commit).
        if committed, !cancellingAll { return }
        committed = true
        let losers = lock.withLock { () -> [any ClientTransportStream] in
            retriesAllowed = false
            dropKept()
            guard cancellingAll else {
                if live.count == 1 { committedStream = live[0] }
                return []
            }
            committedStream = nil
            defer { live = [] }
            return live
        }
        if case .hedge = policy { stopHedging(losers) }
    }

    func cancel() {
        let (streams, waiter, eventWaiter, timer) = lock.withLock {
            () -> ([any ClientTransportStream], CheckedContinuation<Void, Never>?, CheckedContinuation<Event?, Never>?, CallTimer?) in
            cancelled = true
            defer {
                wake = nil
                self.eventWaiter = nil
                hedgeTimer = nil
            }
            return (live, wake, self.eventWaiter, hedgeTimer)
        }
        timer?.cancel()
        for stream in streams { stream.cancel() }
        waiter?.resume()
        eventWaiter?.resume(returning: nil)
    }

    func close() {
        let (streams, waiter, eventWaiter, timer) = lock.withLock {
            () -> ([any ClientTransportStream], CheckedContinuation<Void, Never>?, CheckedContinuation<Event?, Never>?, CallTimer?) in
            retriesAllowed = false
            cancelled = true
            dropKept()
            defer {
                wake = nil
                self.eventWaiter = nil
                hedgeTimer = nil
                events = []
            }
            return (live, wake, self.eventWaiter, hedgeTimer)
        }
        timer?.cancel()
        for stream in streams { stream.close() }
        waiter?.resume()
        eventWaiter?.resume(returning: nil)
    }

    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> CallTimer {
        let source = lock.withLock { live.first }
        return source?.schedule(at: deadline, action) ?? TaskTimer.schedule(at: deadline, action)
    }
}
