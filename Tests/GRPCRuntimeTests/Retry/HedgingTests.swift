import Foundation
import GeneratedFixtures
import GRPCRuntime
import GRPCTestSupport
import NIOConcurrencyHelpers
import ProtoWire
import Testing

/// Hedged calls under a service config's hedging policy, over the in-process transport (and
/// HTTP/2 with two servers for the endpoints), checked from the servers' side: which attempts
/// came, when, with what attempt count, and how each ended.
@Suite struct HedgingTests {
    static func configuration(
        attempts: Int = 3, delay: Duration = .milliseconds(100), nonFatal: Set<RPCError.Code> = [.unavailable],
        timeout: Duration? = nil, throttling: RetryThrottling? = nil, change: (inout GRPCChannel.Configuration) -> Void = { _ in }
    ) -> GRPCChannel.Configuration {
        var configuration = GRPCChannel.Configuration()
        configuration.serviceConfig = ServiceConfig(
            methodConfigs: [
                MethodConfig(
                    names: [MethodConfig.Name(service: "grpc.testing.TestService")], timeout: timeout,
                    hedgingPolicy: HedgingPolicy(maxAttempts: attempts, hedgingDelay: delay, nonFatalStatusCodes: nonFatal)
                )
            ],
            retryThrottling: throttling
        )
        change(&configuration)
        return configuration
    }

    /// Runs `body` with an in-process server of `service` and a channel configured so (whose
    /// attempts `opened` records, when given).
    func withHedgingChannel<R: Sendable>(
        _ service: HedgeService, _ configuration: GRPCChannel.Configuration, recordingIn opened: OpeningRecorder? = nil,
        _ body: @Sendable (Grpc_Testing_TestService.Client) async throws -> R
    ) async throws -> R {
        let transport = InProcessTransport()
        let server = GRPCServer(transport: transport.server, services: [service], logger: silentLogger)
        return try await serving(server, inProcess: transport) {
            let client: any ClientTransport = opened.map { RecordingTransport(base: transport.client, recorder: $0) } ?? transport.client
            let channel = GRPCChannel(transport: client, configuration: configuration)
            defer { channel.close() }
            return try await body(Grpc_Testing_TestService.Client(channel: channel))
        }
    }

    static func timed<R>(_ body: () async throws -> R) async rethrows -> (R, Duration) {
        let start = ContinuousClock.now
        let result = try await body()
        return (result, ContinuousClock.now - start)
    }

    @Test func theFirstAnswerWinsAndTheServerSeesTheOthersCancelled() async throws {
        // The first attempt hangs; the second answers at once; a third (if a slow machine lets
        // its time come before the second's answer is in) hangs too.
        let service = HedgeService([.hang, .answer(), .hang])
        let response = try await withHedgingChannel(service, Self.configuration(delay: .milliseconds(50))) { client in
            try await client.unaryCall(Grpc_Testing_SimpleRequest())
        }
        #expect(response.username == "server attempt 2")
        let attempts = try await service.settled()
        #expect(attempts.count >= 2)
        // (Copies a few milliseconds apart on a busy machine may reach their handlers in either order.)
        let counts = ["", "1", "2"]
        #expect(attempts.map { $0.previousAttempts ?? "" }.sorted() == Array(counts.prefix(attempts.count)))
        #expect(attempts[0].outcome == .cancelled)
        #expect(attempts[1].outcome == .answered)
        #expect(attempts.dropFirst(2).allSatisfy { $0.outcome == .cancelled })
    }

    @Test func hedgesStartHedgingDelayApart() async throws {
        let delay = Duration.milliseconds(200)
        let service = HedgeService([.hang, .hang, .answer()])
        let opened = OpeningRecorder()
        let response = try await withHedgingChannel(service, Self.configuration(delay: delay), recordingIn: opened) { client in
            try await client.unaryCall(Grpc_Testing_SimpleRequest())
        }
        #expect(response.username == "server attempt 3")
        let attempts = try await service.settled()
        try #require(attempts.count == 3)
        // Timed where the client opens each attempt (the server's handlers start with jitter of
        // their own): never sooner than the delay, though a busy machine may make it later.
        let times = opened.times
        try #require(times.count == 3)
        #expect(times[0].duration(to: times[1]) >= delay)
        #expect(times[1].duration(to: times[2]) >= delay)
        #expect(attempts.map(\.outcome) == [.cancelled, .cancelled, .answered])
    }

    @Test func aZeroDelaySendsEveryHedgeAtOnce() async throws {
        let service = HedgeService([.hang, .hang, .answer()])
        let (response, elapsed) = try await withHedgingChannel(service, Self.configuration(delay: .zero)) { client in
            try await Self.timed { try await client.unaryCall(Grpc_Testing_SimpleRequest()) }
        }
        #expect(response.username == "server attempt 3")
        #expect(elapsed < .seconds(30))
        let attempts = try await service.settled()
        #expect(attempts.map(\.outcome) == [.cancelled, .cancelled, .answered])
    }

    @Test func aNonFatalFailureStartsTheNextHedgeAtOnce() async throws {
        // Without the shortcut the second attempt would wait 20 s.
        let service = HedgeService([.fail(.unavailable), .answer()])
        let (response, elapsed) = try await withHedgingChannel(service, Self.configuration(delay: .seconds(20))) { client in
            try await Self.timed { try await client.unaryCall(Grpc_Testing_SimpleRequest()) }
        }
        #expect(response.username == "server attempt 2")
        #expect(elapsed < .seconds(10))
        #expect(service.attempts.map(\.previousAttempts) == [nil, "1"])
    }

    @Test func aFatalStatusEndsTheCallAndCancelsTheOtherHedges() async throws {
        // The first attempt would answer after 20 s; the second fails with a fatal code.
        let service = HedgeService([.answer(after: .seconds(20)), .fail(.invalidArgument), .hang])
        let elapsed = try await withHedgingChannel(service, Self.configuration(delay: .milliseconds(50))) { client in
            try await Self.timed {
                await #expect(throws: RPCError(.invalidArgument, "server attempt 2 failed")) {
                    try await client.unaryCall(Grpc_Testing_SimpleRequest())
                }
            }.1
        }
        #expect(elapsed < .seconds(10))
        let attempts = try await service.settled()
        #expect(attempts[0].outcome == .cancelled)
        #expect(attempts[1].outcome == .failed)
        #expect(attempts.dropFirst(2).allSatisfy { $0.outcome == .cancelled })
    }

    @Test(arguments: [(3, 3), (9, 5)])
    func hedgesStopAtMaxAttemptsCappedAtFive(configured: Int, expected: Int) async throws {
        let service = HedgeService([.fail(.unavailable)])
        await #expect(throws: RPCError.self) {
            try await withHedgingChannel(service, Self.configuration(attempts: configured, delay: .milliseconds(5))) { client in
                try await client.unaryCall(Grpc_Testing_SimpleRequest())
            }
        }
        #expect(service.attempts.count == expected)
        // Copies sent a few milliseconds apart may reach their handlers in either order.
        let counts = [""] + (1..<expected).map { String($0) }
        #expect(service.attempts.map { $0.previousAttempts ?? "" }.sorted() == counts)
    }

    @Test func requestsBeyondTheBufferLimitStopHedging() async throws {
        // Three requests of 100 bytes against a 150-byte limit: the call is committed to its
        // first attempt before the hedging delay has passed, and no hedge follows while the
        // first attempt takes longer than the delay to answer.
        let service = HedgeService([.answer(after: .seconds(2)), .answer()])
        let configuration = Self.configuration(delay: .seconds(1)) { $0.retryBufferSize = 150 }
        let response = try await withHedgingChannel(service, configuration) { client in
            try await client.streamingInputCall { writer in
                for _ in 0..<3 { try await writer.write(.init(payload: Grpc_Testing_Payload(body: Data(count: 100)))) }
            }
        }
        #expect(response.aggregatedPayloadSize == 300)
        #expect(service.attempts.map(\.requests) == [3])
    }

    @Test func requestsBeyondTheBufferLimitLeaveTheOldestHedgeAlone() async throws {
        // One request fits and goes to both hedges; the next two overflow the 150-byte limit
        // once both are open: the first hedge goes on with all three, the second is cancelled.
        let service = HedgeService([.answer(), .answer()])
        let opened = OpeningRecorder()
        let configuration = Self.configuration(attempts: 2, delay: .milliseconds(20)) { $0.retryBufferSize = 150 }
        let response = try await withHedgingChannel(service, configuration, recordingIn: opened) { client in
            try await client.streamingInputCall { writer in
                try await writer.write(.init(payload: Grpc_Testing_Payload(body: Data(count: 100))))
                while service.attempts.count < 2 || service.attempts.contains(where: { $0.requests < 1 }) {
                    try await Task.sleep(for: .milliseconds(5))
                }
                for _ in 0..<2 { try await writer.write(.init(payload: Grpc_Testing_Payload(body: Data(count: 100)))) }
            }
        }
        #expect(response.aggregatedPayloadSize == 300)
        #expect(opened.times.count == 2)
        let attempts = try await service.settled()
        try #require(attempts.count == 2)
        let first = try #require(attempts.first { $0.previousAttempts == nil })
        let second = try #require(attempts.first { $0.previousAttempts == "1" })
        #expect(first.requests == 3)
        #expect(first.outcome == .answered)
        #expect(second.requests == 1)
        #expect(second.outcome == .cancelled)
    }

    @Test func everyHedgeGetsTheRequestsWithinTheBufferLimit() async throws {
        // The second attempt answers; a third, sent when the second's answer is slow to arrive
        // (a loaded machine), hangs until cancelled, so that exactly one attempt answers whatever
        // the timing (with the last step repeated as `.answer()`, a third could answer before its
        // cancellation reached the server: a CI run saw two answered).
        let service = HedgeService([.hang, .answer(), .hang])
        let response = try await withHedgingChannel(service, Self.configuration(delay: .milliseconds(50))) { client in
            try await client.streamingInputCall { writer in
                for _ in 0..<3 { try await writer.write(.init(payload: Grpc_Testing_Payload(body: Data(count: 100)))) }
            }
        }
        #expect(response.aggregatedPayloadSize == 300)
        let attempts = try await service.settled()
        try #require(attempts.count >= 2)
        #expect(attempts.map(\.requests).allSatisfy { $0 == 3 })
        #expect(attempts.filter { $0.outcome == .answered }.count == 1)
        #expect(attempts.filter { $0.outcome == .cancelled }.count == attempts.count - 1)
    }

    @Test func theDeadlineCoversEveryHedge() async throws {
        let service = HedgeService([.hang])
        let elapsed = try await withHedgingChannel(service, Self.configuration(delay: .milliseconds(100), timeout: .milliseconds(500))) { client in
            try await Self.timed {
                await #expect(throws: RPCError(.deadlineExceeded, "deadline exceeded")) {
                    try await client.unaryCall(Grpc_Testing_SimpleRequest())
                }
            }.1
        }
        // Never before the deadline; each hedge hangs a minute, so the call ended by the deadline.
        #expect(elapsed >= .milliseconds(500))
        #expect(elapsed < .seconds(30))
        let attempts = try await service.settled()
        #expect(attempts.count >= 1 && attempts.count <= 3)
        #expect(attempts.allSatisfy { $0.outcome == .cancelled })
    }

    @Test func cancellingTheCallCancelsEveryHedge() async throws {
        let service = HedgeService([.hang])
        try await withHedgingChannel(service, Self.configuration(delay: .milliseconds(20))) { client in
            let call = Task { try await client.unaryCall(Grpc_Testing_SimpleRequest()) }
            while service.attempts.count < 3 { try await Task.sleep(for: .milliseconds(5)) }
            call.cancel()
            await #expect(throws: RPCError(.cancelled, "the call was cancelled")) { try await call.value }
        }
        let attempts = try await service.settled()
        #expect(attempts.count == 3)
        #expect(attempts.allSatisfy { $0.outcome == .cancelled })
    }

    @Test func throttlingStopsHedgesWhileCallsKeepFailing() async throws {
        // 4 tokens, hedges only above 2: the first call's first failure leaves 3 (its next hedge
        // goes), its second leaves 2 (no more); later calls send their first attempt only.
        let service = HedgeService([.fail(.unavailable)])
        let configuration = Self.configuration(attempts: 5, delay: .seconds(20), throttling: RetryThrottling(maxTokens: 4, tokenRatio: 0.1))
        try await withHedgingChannel(service, configuration) { client in
            for _ in 0..<3 {
                await #expect(throws: RPCError.self) { try await client.unaryCall(Grpc_Testing_SimpleRequest()) }
            }
        }
        #expect(service.attempts.count == 4)
    }

    @Test func thePushbackSetsTheTimeOfTheNextHedge() async throws {
        let service = HedgeService([.fail(.unavailable, trailers: ["grpc-retry-pushback-ms": "300"]), .answer()])
        let response = try await withHedgingChannel(service, Self.configuration(delay: .seconds(20))) { client in
            try await client.unaryCall(Grpc_Testing_SimpleRequest())
        }
        #expect(response.username == "server attempt 2")
        let attempts = service.attempts
        try #require(attempts.count == 2)
        #expect(attempts[0].at.duration(to: attempts[1].at) >= .milliseconds(300))
        #expect(attempts[0].at.duration(to: attempts[1].at) < .seconds(10))
    }

    @Test func aPushbackSayingNoStopsHedging() async throws {
        var trailers = Metadata()
        trailers.add("grpc-retry-pushback-ms", "-1")
        let service = HedgeService([.fail(.unavailable, trailers: trailers), .answer()])
        await #expect {
            // The delay is long enough that only a non-fatal failure could bring a hedge.
            try await withHedgingChannel(service, Self.configuration(delay: .seconds(20))) { client in
                try await client.unaryCall(Grpc_Testing_SimpleRequest())
            }
        } throws: { error in
            (error as? RPCError).map { $0.code == .unavailable && $0.message == "server attempt 1 failed" } ?? false
        }
        #expect(service.attempts.count == 1)
    }

    @Test func overRealSocketsTheHedgeGoesToTheOtherServerAndTheSlowStreamIsCancelled() async throws {
        // pick_first sends the first attempt to the slow server; the hedge avoids it and goes
        // to the fast one, whose answer cancels the slow server's stream. The hedge waits 3 s:
        // with 100 ms, a loaded run's slow server had not started the first attempt's handler
        // when the fast answer reset its stream, so it never saw the attempt; with 1 s it
        // happened once in about ten parallel runs after handlers moved onto the event loops,
        // which this process's servers, clients and other tests share (not investigated further).
        let slow = HedgeService(name: "slow", [.hang])
        let fast = HedgeService(name: "fast", [.answer()])
        let (response, elapsed) = try await withServer(services: [slow]) { _, slowPort in
            try await withServer(services: [fast]) { _, fastPort in
                var configuration = Self.configuration(attempts: 2, delay: .seconds(3))
                configuration.serviceConfig.loadBalancingPolicy = .pickFirst
                configuration.healthCheckService = nil
                let channel = try GRPCChannel(target: "ipv4:127.0.0.1:\(slowPort),127.0.0.1:\(fastPort)", configuration: configuration)
                defer { channel.close() }
                let client = Grpc_Testing_TestService.Client(channel: channel)
                // Both connections up first, so that pick_first has the slow one ready.
                while channel.endpoints.count < 2 { try await Task.sleep(for: .milliseconds(10)) }
                try await Task.sleep(for: .milliseconds(300))
                let result = try await Self.timed { try await client.unaryCall(Grpc_Testing_SimpleRequest()) }
                _ = try await slow.settled()
                return result
            }
        }
        #expect(response.username == "fast attempt 1")
        #expect(elapsed < .seconds(30))
        #expect(slow.attempts.map(\.outcome) == [.cancelled])
        #expect(slow.attempts.map(\.previousAttempts) == [nil])
        #expect(fast.attempts.map(\.previousAttempts) == ["1"])
    }
}

/// When a channel's attempts were opened.
final class OpeningRecorder: Sendable {
    private let box = NIOLockedValueBox<[ContinuousClock.Instant]>([])
    func record() { box.withLockedValue { $0.append(.now) } }
    var times: [ContinuousClock.Instant] { box.withLockedValue { $0 } }
}

/// A client transport that records when each stream is opened, then opens it on `base`.
struct RecordingTransport: ClientTransport {
    let base: any ClientTransport
    let recorder: OpeningRecorder

    func openStream(_ head: RequestHead, options: StreamOptions) async throws -> any ClientTransportStream {
        recorder.record()
        return try await base.openStream(head, options: options)
    }

    func close() { base.close() }
}
