import GRPCRuntime
import GRPCTestSupport
import NIOConcurrencyHelpers
import ProtoWire
import GeneratedFixtures
import Testing
import TestSupport

/// Counts the calls it answers.
final class CountingSearch: Search.Servicer {
    let calls = NIOLockedValueBox(0)

    /// A query "sleep N" takes N milliseconds.
    func search(request: SearchRequest, context: ServerContext) async throws -> SearchResponses {
        if request.query.hasPrefix("sleep "), let millis = Int(request.query.dropFirst(6)) { try await Task.sleep(for: .milliseconds(millis)) }
        return SearchResponses()
    }

    func monitor(request: Google_Protobuf_Empty, context: ServerContext) async throws -> MonitorResponse {
        calls.withLockedValue { $0 += 1 }
        return MonitorResponse()
    }

    var count: Int { calls.withLockedValue { $0 } }
}

/// A health service whose Watch answers only after `delay`, with `status`, or (`status` nil)
/// fails at once with PERMISSION_DENIED, as one that rejects the client would.
final class ScriptedHealth: Grpc_Health_V1_Health.Servicer {
    let delay: Duration
    let status: Grpc_Health_V1_HealthCheckResponse.ServingStatus?
    /// When the first Watch arrived: the client's connection is up from then on.
    let watched = NIOLockedValueBox<ContinuousClock.Instant?>(nil)

    init(delay: Duration = .zero, status: Grpc_Health_V1_HealthCheckResponse.ServingStatus?) {
        self.delay = delay
        self.status = status
    }

    func check(request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext) async throws -> Grpc_Health_V1_HealthCheckResponse {
        throw RPCError(.unimplemented, "Watch only")
    }

    func watch(
        request: Grpc_Health_V1_HealthCheckRequest, responses: ResponseWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        watched.withLockedValue { $0 = $0 ?? .now }
        guard let status else { throw RPCError(.permissionDenied, "no") }
        try await Task.sleep(for: delay)
        try await responses.write(Grpc_Health_V1_HealthCheckResponse(status: status))
        try await Task.sleep(for: .seconds(3600))
    }
}

/// The balancer against in-process servers: health and transparent retries.
@Suite struct BalancerTests {
    @Test func notServingEndpointsGetNoCalls() async throws {
        let (a, b) = (CountingSearch(), CountingSearch())
        let (healthA, healthB) = (HealthService(), HealthService())
        healthA.setStatus(.serving)
        healthB.setStatus(.serving)
        try await withServer(services: [a, healthA]) { _, portA in
            try await withServer(services: [b, healthB]) { _, portB in
                let channel = try GRPCChannel(target: "ipv4:127.0.0.1:\(portA),127.0.0.1:\(portB)", configuration: testChannelConfiguration())
                defer { channel.close() }
                let client = Search.Client(channel: channel)
                // Both connections up (on a slow machine, such as under the thread sanitizer, the
                // second may come up after the first calls): round-robin reaches both.
                #expect(await eventually(.seconds(5)) {
                    _ = try? await client.monitor(Google_Protobuf_Empty())
                    return a.count > 0 && b.count > 0
                }, "round-robin: \(a.count) and \(b.count)")

                healthB.setStatus(.notServing)
                // The Watch stream brings the change over: once ten calls in a row miss b, it has.
                #expect(await eventually(.seconds(5)) {
                    let before = b.count
                    for _ in 0..<10 { _ = try? await client.monitor(Google_Protobuf_Empty()) }
                    return b.count == before
                })
                let (a0, b0) = (a.count, b.count)
                for _ in 0..<20 { _ = try await client.monitor(Google_Protobuf_Empty()) }
                #expect(a.count - a0 == 20 && b.count == b0, "a NOT_SERVING endpoint got calls")

                healthB.setStatus(.serving)
                #expect(await eventually(.seconds(5)) {
                    _ = try? await client.monitor(Google_Protobuf_Empty())
                    return b.count > b0
                })
            }
        }
    }

    @Test func anEndpointGetsNoCallsBeforeItsFirstHealthAnswer() async throws {
        // b is connected at once, but says NOT_SERVING only after 10 s: calls made while it is
        // connected and its answer has not come must not reach it (it is not ready until then).
        let (a, b) = (CountingSearch(), CountingSearch())
        let healthA = HealthService()
        healthA.setStatus(.serving)
        let healthB = ScriptedHealth(delay: .seconds(10), status: .notServing)
        try await withServer(services: [a, healthA]) { _, portA in
            try await withServer(services: [b, healthB]) { _, portB in
                let channel = try GRPCChannel(target: "ipv4:127.0.0.1:\(portA),127.0.0.1:\(portB)", configuration: testChannelConfiguration())
                defer { channel.close() }
                let client = Search.Client(channel: channel)
                var calls = 0
                var callsWhileUnknown = 0
                while callsWhileUnknown < 20 {
                    _ = try await client.monitor(Google_Protobuf_Empty())
                    calls += 1
                    guard let watched = healthB.watched.withLockedValue({ $0 }) else { continue }
                    // The answer is due 10 s after the Watch: stop well before.
                    if ContinuousClock.now - watched > .seconds(8) { break }
                    callsWhileUnknown += 1
                }
                #expect(callsWhileUnknown == 20 && a.count == calls && b.count == 0,
                        "\(calls) calls, \(callsWhileUnknown) while b was connected and unknown: \(a.count) on a, \(b.count) on b")
            }
        }
    }

    @Test func aCallWaitsForTheOnlyEndpointsFirstHealthAnswer() async throws {
        let search = CountingSearch()
        try await withServer(services: [search, ScriptedHealth(delay: .milliseconds(300), status: .serving)]) { _, port in
            let channel = try GRPCChannel(target: "ipv4:127.0.0.1:\(port)", configuration: testChannelConfiguration())
            defer { channel.close() }
            let clock = ContinuousClock()
            let start = clock.now
            _ = try await Search.Client(channel: channel).monitor(Google_Protobuf_Empty())
            let waited = clock.now - start
            #expect(search.count == 1 && waited >= .milliseconds(300), "answered after \(waited)")
        }
    }

    @Test func aCallsDeadlineBoundsItsWaitForAnEndpoint() async throws {
        let search = CountingSearch()
        try await withServer(services: [search, ScriptedHealth(delay: .seconds(3600), status: .serving)]) { _, port in
            let channel = try GRPCChannel(target: "ipv4:127.0.0.1:\(port)", configuration: testChannelConfiguration())
            defer { channel.close() }
            // The endpoint's health never answers: only the deadline ends the wait.
            let clock = ContinuousClock()
            let start = clock.now
            do {
                _ = try await Search.Client(channel: channel).monitor(Google_Protobuf_Empty(), options: CallOptions(timeout: .milliseconds(300)))
                Issue.record("the call went through")
            } catch let error as RPCError {
                #expect(error.code == .deadlineExceeded, "\(error)")
            }
            let waited = clock.now - start
            #expect(search.count == 0 && waited < .seconds(15), "gave up after \(waited)")
        }
    }

    @Test func aHealthServiceThatRejectsTheWatchDoesNotTakeTheEndpointOut() async throws {
        let search = CountingSearch()
        try await withServer(services: [search, ScriptedHealth(status: nil)]) { _, port in
            let channel = try GRPCChannel(target: "ipv4:127.0.0.1:\(port)", configuration: testChannelConfiguration())
            defer { channel.close() }
            let client = Search.Client(channel: channel)
            // Without the fix each call waits for an answer that never comes, and fails with
            // UNAVAILABLE after the channel's connect timeout (20 s).
            for _ in 0..<5 { _ = try await client.monitor(Google_Protobuf_Empty()) }
            #expect(search.count == 5)
        }
    }

    @Test func callsAvoidEndpointsThatRefuseConnectionsWithoutFailing() async throws {
        let live = CountingSearch()
        let dead = try freeLoopbackPort()
        try await withServer(services: [live]) { _, port in
            let channel = try GRPCChannel(target: "ipv4:127.0.0.1:\(dead),127.0.0.1:\(port)", configuration: testChannelConfiguration())
            defer { channel.close() }
            let client = Search.Client(channel: channel)
            for _ in 0..<30 { _ = try await client.monitor(Google_Protobuf_Empty()) }
            #expect(live.count == 30)
        }
    }

    @Test func pickFirstSendsEverythingToTheFirstEndpoint() async throws {
        let (a, b) = (CountingSearch(), CountingSearch())
        try await withServer(services: [a]) { _, portA in
            try await withServer(services: [b]) { _, portB in
                var configuration = testChannelConfiguration()
                configuration.loadBalancingPolicy = .pickFirst
                let channel = try GRPCChannel(target: "ipv4:127.0.0.1:\(portA),127.0.0.1:\(portB)", configuration: configuration)
                defer { channel.close() }
                let client = Search.Client(channel: channel)
                for _ in 0..<20 { _ = try await client.monitor(Google_Protobuf_Empty()) }
                #expect(a.count == 20 && b.count == 0)
            }
        }
    }

    @Test func noEndpointIsAClearUnavailable() async throws {
        let channel = try GRPCChannel(target: "ipv4:127.0.0.1:\(try freeLoopbackPort())", configuration: testChannelConfiguration())
        defer { channel.close() }
        await #expect {
            _ = try await Search.Client(channel: channel).monitor(Google_Protobuf_Empty())
        } throws: { error in
            (error as? RPCError)?.code == .unavailable
        }
    }
}
