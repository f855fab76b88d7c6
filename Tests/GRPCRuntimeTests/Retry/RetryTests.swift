import Foundation
import GeneratedFixtures
import GRPCRuntime
import GRPCTestSupport
import NIOConcurrencyHelpers
import ProtoWire
import Testing

/// Retries under a service config's retry policy, over the in-process transport (and HTTP/2
/// where endpoints matter), checked from the server's side: how many attempts it saw and what
/// each carried.
@Suite struct RetryTests {
    static func policy(
        attempts: Int = 5, backoff: Duration = .milliseconds(1), codes: Set<RPCError.Code> = [.unavailable]
    ) -> RetryPolicy {
        RetryPolicy(maxAttempts: attempts, initialBackoff: backoff, maxBackoff: backoff * 2, backoffMultiplier: 2, retryableStatusCodes: codes)
    }

    static func configuration(
        _ policy: RetryPolicy = policy(), timeout: Duration? = nil, throttling: RetryThrottling? = nil,
        change: (inout GRPCChannel.Configuration) -> Void = { _ in }
    ) -> GRPCChannel.Configuration {
        var configuration = GRPCChannel.Configuration()
        configuration.serviceConfig = ServiceConfig(
            methodConfigs: [MethodConfig(names: [MethodConfig.Name(service: "grpc.testing.TestService")], timeout: timeout, retryPolicy: policy)],
            retryThrottling: throttling
        )
        change(&configuration)
        return configuration
    }

    /// Runs `body` with an in-process server of `service` and a channel configured so.
    func withRetryingChannel<R: Sendable>(
        _ service: FlakyService, _ configuration: GRPCChannel.Configuration,
        _ body: @Sendable (Grpc_Testing_TestService.Client) async throws -> R
    ) async throws -> R {
        let transport = InProcessTransport()
        let server = GRPCServer(transport: transport.server, services: [service], logger: silentLogger)
        return try await serving(server, inProcess: transport) {
            let channel = GRPCChannel(transport: transport.client, configuration: configuration)
            defer { channel.close() }
            return try await body(Grpc_Testing_TestService.Client(channel: channel))
        }
    }

    static func payload(_ size: Int) -> Grpc_Testing_Payload { Grpc_Testing_Payload(body: Data(count: size)) }

    @Test func aUnaryCallIsTriedAgainUntilItSucceedsWithTheAttemptCountSent() async throws {
        let service = FlakyService(.init(failFirst: 2))
        let response = try await withRetryingChannel(service, Self.configuration()) { client in
            try await client.unaryCall(Grpc_Testing_SimpleRequest())
        }
        #expect(response.username == "attempt 3")
        #expect(service.attempts.map(\.previousAttempts) == [nil, "1", "2"])
    }

    @Test func aServerStreamingCallIsTriedAgain() async throws {
        let service = FlakyService(.init(failFirst: 1))
        let count = try await withRetryingChannel(service, Self.configuration()) { client in
            let request = Grpc_Testing_StreamingOutputCallRequest(responseParameters: [.init(size: 3), .init(size: 4)])
            return try await client.streamingOutputCall(request) { responses in
                var count = 0
                for try await _ in responses { count += 1 }
                return count
            }
        }
        #expect(count == 2)
        #expect(service.attempts.count == 2)
    }

    @Test func aClientStreamingCallReplaysEveryRequestToTheNextAttempt() async throws {
        let service = FlakyService(.init(failFirst: 2))
        let response = try await withRetryingChannel(service, Self.configuration()) { client in
            try await client.streamingInputCall { writer in
                for size in [10, 20, 30] { try await writer.write(.init(payload: Self.payload(size))) }
            }
        }
        #expect(response.aggregatedPayloadSize == 60)
        #expect(service.attempts.map(\.requests) == [3, 3, 3])
        #expect(service.attempts.map(\.previousAttempts) == [nil, "1", "2"])
    }

    @Test func aBidirectionalCallReplaysItsRequests() async throws {
        let service = FlakyService(.init(failFirst: 1))
        let sizes = try await withRetryingChannel(service, Self.configuration()) { client in
            try await client.fullDuplexCall { writer in
                for size in [1, 2, 3, 4] {
                    try await writer.write(.init(payload: Self.payload(size)))
                    // Some requests go out while the first attempt is failing or being replaced.
                    try await Task.sleep(for: .milliseconds(2))
                }
            } responses: { responses in
                var sizes: [Int] = []
                for try await response in responses { sizes.append(response.payload?.body.count ?? -1) }
                return sizes
            }
        }
        #expect(sizes == [1, 2, 3, 4])
        #expect(service.attempts.map(\.requests) == [4, 4])
    }

    @Test func aCodeNotInThePolicyIsNotTriedAgain() async throws {
        let service = FlakyService(.init(failFirst: 1, code: .invalidArgument))
        await #expect(throws: RPCError(.invalidArgument, "failing attempt")) {
            try await withRetryingChannel(service, Self.configuration()) { try await $0.unaryCall(Grpc_Testing_SimpleRequest()) }
        }
        #expect(service.attempts.count == 1)
    }

    @Test func attemptsStopAtTheMaximum() async throws {
        let service = FlakyService(.init(failFirst: 100))
        await #expect(throws: RPCError(.unavailable, "failing attempt")) {
            try await withRetryingChannel(service, Self.configuration(Self.policy(attempts: 3))) {
                try await $0.unaryCall(Grpc_Testing_SimpleRequest())
            }
        }
        #expect(service.attempts.count == 3)
    }

    @Test func aCommittedResponseIsNeverTriedAgain() async throws {
        let service = FlakyService(.init(failFirst: 1, respondBeforeFailing: true))
        let received = NIOLockedCounter()
        await #expect(throws: RPCError(.unavailable, "failing attempt")) {
            try await withRetryingChannel(service, Self.configuration()) { client in
                try await client.streamingOutputCall(.init(responseParameters: [.init(size: 1)])) { responses in
                    for try await _ in responses { received.increment() }
                }
            }
        }
        #expect(received.value == 1)
        #expect(service.attempts.count == 1)
    }

    @Test(arguments: [false, true])
    func requestsBeyondTheBufferLimitTurnRetriesOff(channelWide: Bool) async throws {
        let service = FlakyService(.init(failFirst: 1))
        let configuration = Self.configuration { configuration in
            if channelWide { configuration.retryBufferLimit = 150 } else { configuration.retryBufferSize = 150 }
        }
        await #expect(throws: RPCError(.unavailable, "failing attempt")) {
            try await withRetryingChannel(service, configuration) { client in
                try await client.streamingInputCall { writer in
                    for _ in 0..<3 { try await writer.write(.init(payload: Self.payload(100))) }
                }
            }
        }
        #expect(service.attempts.map(\.requests) == [3])
    }

    @Test func aUnaryRequestBeyondTheBufferLimitIsNotTriedAgain() async throws {
        // A unary call's first attempt goes without a retrying stream; the request it would have
        // kept still counts against the limit when the failure comes.
        let service = FlakyService(.init(failFirst: 1))
        let request = {
            var request = Grpc_Testing_SimpleRequest()
            request.payload = Self.payload(200)
            return request
        }()
        await #expect(throws: RPCError(.unavailable, "failing attempt")) {
            try await withRetryingChannel(service, Self.configuration { $0.retryBufferSize = 150 }) { try await $0.unaryCall(request) }
        }
        #expect(service.attempts.count == 1)
    }

    @Test func aUnaryCallWhoseResponseBeganIsNotTriedAgain() async throws {
        // Every stream of this transport reports response headers before what the server sends:
        // the failing first attempt is committed by then.
        let service = FlakyService(.init(failFirst: 1))
        let transport = InProcessTransport()
        let server = GRPCServer(transport: transport.server, services: [service], logger: silentLogger)
        try await serving(server, inProcess: transport) {
            let channel = GRPCChannel(transport: HeadersFirstTransport(base: transport.client), configuration: Self.configuration())
            defer { channel.close() }
            let client = Grpc_Testing_TestService.Client(channel: channel)
            await #expect(throws: RPCError(.unavailable, "failing attempt")) { try await client.unaryCall(Grpc_Testing_SimpleRequest()) }
        }
        #expect(service.attempts.count == 1)
    }

    @Test(arguments: [RPCError.Code.invalidArgument, .unavailable])
    func aUnaryCallsRequestsPassTheInterceptorsOncePerAttempt(code: RPCError.Code) async throws {
        // The first attempt fails with `code`; only UNAVAILABLE is tried again, by running the
        // call's body (and the request transform an interceptor added to it) once more.
        let service = FlakyService(.init(failFirst: 1, code: code))
        let transformed = NIOLockedCounter()
        let transport = InProcessTransport()
        let server = GRPCServer(transport: transport.server, services: [service], logger: silentLogger)
        try await serving(server, inProcess: transport) {
            let channel = GRPCChannel(
                transport: transport.client, configuration: Self.configuration(), interceptors: [CountingRequests(counter: transformed)]
            )
            defer { channel.close() }
            _ = try? await Grpc_Testing_TestService.Client(channel: channel).unaryCall(Grpc_Testing_SimpleRequest())
        }
        let attempts = code == .unavailable ? 2 : 1
        #expect(service.attempts.count == attempts)
        #expect(transformed.value == attempts)
    }

    @Test func theServersPushbackSetsTheDelay() async throws {
        let service = FlakyService(.init(failFirst: 1, trailers: ["grpc-retry-pushback-ms": "300"]))
        _ = try await withRetryingChannel(service, Self.configuration()) { try await $0.unaryCall(Grpc_Testing_SimpleRequest()) }
        let attempts = service.attempts
        #expect(attempts.count == 2)
        #expect(attempts[0].at.duration(to: attempts[1].at) >= .milliseconds(300))
    }

    @Test(arguments: ["-1", "soon"])
    func aNegativeOrMalformedPushbackStopsRetrying(pushback: String) async throws {
        var trailers = Metadata()
        trailers.add("grpc-retry-pushback-ms", pushback)
        let service = FlakyService(.init(failFirst: 1, trailers: trailers))
        await #expect(throws: RPCError.self) {
            try await withRetryingChannel(service, Self.configuration()) { try await $0.unaryCall(Grpc_Testing_SimpleRequest()) }
        }
        #expect(service.attempts.count == 1)
    }

    @Test func throttlingStopsRetriesWhileCallsKeepFailing() async throws {
        // 4 tokens, retries only above 2: the first call's first failure leaves 3 (tried again),
        // its second leaves 2 (not), and every later failure leaves fewer.
        let service = FlakyService(.init(failFirst: 100))
        let configuration = Self.configuration(throttling: RetryThrottling(maxTokens: 4, tokenRatio: 0.1))
        try await withRetryingChannel(service, configuration) { client in
            for _ in 0..<3 {
                await #expect(throws: RPCError.self) { try await client.unaryCall(Grpc_Testing_SimpleRequest()) }
            }
        }
        #expect(service.attempts.count == 4)
    }

    @Test func eachAttemptGetsWhatIsLeftOfTheCallsDeadline() async throws {
        // Each failing attempt runs 300 ms on the server, so the second attempt starts at least
        // 300 ms after the first was sent, and the third 600 ms: a timeout sent again whole
        // would not be that much shorter. The bounds hold however slow the machine is.
        let delay = Duration.milliseconds(300)
        let timeout = Duration.seconds(30)
        let service = FlakyService(.init(failFirst: 2, delay: delay))
        let response = try await withRetryingChannel(service, Self.configuration(timeout: timeout)) { client in
            try await client.unaryCall(Grpc_Testing_SimpleRequest())
        }
        #expect(response.username == "attempt 3")
        let attempts = service.attempts
        try #require(attempts.count == 3)
        for (index, attempt) in attempts.enumerated() {
            let deadline = try #require(attempt.deadline, "attempt \(index + 1) came without a deadline")
            let left = attempt.at.duration(to: deadline)
            #expect(left <= timeout - delay * index, "attempt \(index + 1) had \(left) left")
            #expect(left > .zero)
        }
    }

    @Test func theDeadlineEndsTheCallWhateverAttemptIsRunning() async throws {
        let service = FlakyService(.init(failFirst: 100, delay: .milliseconds(150)))
        let elapsed = try await withRetryingChannel(service, Self.configuration(timeout: .milliseconds(400))) { client in
            let started = ContinuousClock.now
            await #expect(throws: RPCError(.deadlineExceeded, "deadline exceeded")) { try await client.unaryCall(Grpc_Testing_SimpleRequest()) }
            return ContinuousClock.now - started
        }
        // Five attempts of 150 ms would take 750 ms and end in UNAVAILABLE: DEADLINE_EXCEEDED says
        // the deadline ended the call first. A loaded machine may fit fewer attempts in (even
        // none reaching the server), never more than 400 ms allow; and it may fire the deadline
        // late (seconds, with every core busy), never early.
        #expect(elapsed >= .milliseconds(400))
        #expect(service.attempts.count <= 3)
    }

    @Test func cancellingTheCallEndsTheWaitBetweenAttempts() async throws {
        let service = FlakyService(.init(failFirst: 1, trailers: ["grpc-retry-pushback-ms": "10000"]))
        let waited = try await withRetryingChannel(service, Self.configuration()) { client in
            let call = Task { try await client.unaryCall(Grpc_Testing_SimpleRequest()) }
            while service.attempts.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
            try await Task.sleep(for: .milliseconds(50))
            let cancelled = ContinuousClock.now
            call.cancel()
            await #expect(throws: RPCError(.cancelled, "the call was cancelled")) { try await call.value }
            return ContinuousClock.now - cancelled
        }
        // The pushback asked for 10 s.
        #expect(waited < .seconds(5))
        #expect(service.attempts.count == 1)
    }

    @Test func aMethodConfigsTimeoutAndRequestLimitApply() async throws {
        let service = FlakyService(.init(failFirst: 100, delay: .seconds(10)))
        var configuration = GRPCChannel.Configuration()
        configuration.serviceConfig = try ServiceConfig(json: """
            {"methodConfig": [{"name": [{"service": "grpc.testing.TestService", "method": "UnaryCall"}], "timeout": "0.2s"},
                              {"name": [{"service": "grpc.testing.TestService"}], "maxRequestMessageBytes": 50}]}
            """)
        try await withRetryingChannel(service, configuration) { client in
            await #expect(throws: RPCError(.deadlineExceeded, "deadline exceeded")) { try await client.unaryCall(Grpc_Testing_SimpleRequest()) }
            await #expect { try await client.streamingInputCall { try await $0.write(.init(payload: Self.payload(100))) } } throws: {
                ($0 as? RPCError)?.code == .resourceExhausted
            }
        }
        // DEADLINE_EXCEEDED and RESOURCE_EXHAUSTED are not retryable codes here: at most one
        // attempt (none when a loaded machine lets the 0.2 s pass before it reaches the server).
        #expect(service.attempts.count <= 1)
    }

    @Test func aRetryGoesToAnotherEndpoint() async throws {
        // pick_first sends every first attempt to the first endpoint, which always fails: only
        // a retry that avoids it reaches the second.
        let failing = FlakyService(.init(failFirst: 100))
        let working = FlakyService()
        try await withServer(services: [failing]) { _, failingPort in
            try await withServer(services: [working]) { _, workingPort in
                var configuration = Self.configuration()
                configuration.serviceConfig.loadBalancingPolicy = .pickFirst
                configuration.healthCheckService = nil
                let channel = try GRPCChannel(target: "ipv4:127.0.0.1:\(failingPort),127.0.0.1:\(workingPort)", configuration: configuration)
                defer { channel.close() }
                let client = Grpc_Testing_TestService.Client(channel: channel)
                // Both connections up first, so that pick_first has the failing one ready.
                while channel.endpoints.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
                try await Task.sleep(for: .milliseconds(300))
                for _ in 0..<3 { _ = try await client.unaryCall(Grpc_Testing_SimpleRequest()) }
            }
        }
        #expect(working.attempts.count == 3)
        #expect(failing.attempts.count >= 1)
        #expect(working.attempts.filter { $0.previousAttempts == "1" }.count == failing.attempts.count)
    }
}

/// A counter the tests' closures share.
final class NIOLockedCounter: Sendable {
    private let box = NIOLockedValueBox(0)
    func increment() { box.withLockedValue { $0 += 1 } }
    var value: Int { box.withLockedValue { $0 } }
}

/// A client transport whose streams report (empty) response headers before the first part the
/// server sends.
struct HeadersFirstTransport: ClientTransport {
    let base: any ClientTransport

    func openStream(_ head: RequestHead, options: StreamOptions) async throws -> any ClientTransportStream {
        HeadersFirstStream(base: try await base.openStream(head, options: options))
    }

    func close() { base.close() }
}

/// A stream whose response begins with headers it makes up; the rest is its base stream's.
final class HeadersFirstStream: ClientTransportStream {
    private let base: any ClientTransportStream
    /// Read by the one task receiving.
    nonisolated(unsafe) private var headersGiven = false

    init(base: any ClientTransportStream) { self.base = base }

    var endpoint: Endpoint? { base.endpoint }

    func sendMessage<Message: ProtoMessage>(_ message: Message, compress: Bool, endOfRequests: Bool) async throws {
        try await base.sendMessage(message, compress: compress, endOfRequests: endOfRequests)
    }

    func sendEnd() async throws { try await base.sendEnd() }

    func receive() async throws -> ResponsePart {
        if !headersGiven {
            headersGiven = true
            return .headers([:])
        }
        return try await base.receive()
    }

    func cancel() { base.cancel() }
    func close() { base.close() }

    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> CallTimer {
        base.schedule(at: deadline, action)
    }
}

/// Counts the request messages that pass it.
struct CountingRequests: ClientInterceptor {
    let counter: NIOLockedCounter

    func intercept<Request: ProtoMessage, Response: ProtoMessage, Result: Sendable>(
        _ call: ClientCall<Request, Response, Result>,
        next: @Sendable (ClientCall<Request, Response, Result>) async throws -> Result
    ) async throws -> Result {
        var call = call
        call.mapRequests { [counter] request in
            counter.increment()
            return request
        }
        return try await next(call)
    }
}
