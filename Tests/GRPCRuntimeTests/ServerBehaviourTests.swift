import GeneratedFixtures
@testable import GRPCRuntime
import Logging
import MetricsTestKit
import Metrics
import NIOConcurrencyHelpers
import ProtoWire
import Testing
import GRPCTestSupport
import TestSupport

/// A Search service whose behaviour the query picks, recording what the server did to it.
final class ProbeService: Search.Servicer {
    struct Counts: Sendable {
        var started = 0
        var active = 0
        var maximumActive = 0
        var cancelled = 0
        var completed = 0
    }

    let counts = NIOLockedValueBox(Counts())

    struct Secret: Error { let password = "hunter2" }

    func search(request: SearchRequest, context: ServerContext) async throws -> SearchResponses {
        counts.withLockedValue {
            $0.started += 1
            $0.active += 1
            $0.maximumActive = max($0.maximumActive, $0.active)
        }
        defer { counts.withLockedValue { $0.active -= 1 } }
        switch request.query {
        case "boom":
            throw Secret()
        case "invalid":
            throw RPCError(.invalidArgument, "bad query", metadata: ["x-reason": "testing"])
        case let q where q.hasPrefix("sleep"):
            let millis = Int(q.dropFirst(5)) ?? 10_000
            do {
                try await Task.sleep(for: .milliseconds(millis))
            } catch {
                counts.withLockedValue { $0.cancelled += 1 }
                throw error
            }
        default:
            break
        }
        counts.withLockedValue { $0.completed += 1 }
        return SearchResponses(responses: [SearchResponse(response: request.query)])
    }

    func monitor(request: Google_Protobuf_Empty, context: ServerContext) async throws -> MonitorResponse {
        MonitorResponse(nThings: Int32(context.requestMetadata.first("x-things") ?? "0") ?? 0)
    }

    /// Waits up to ten seconds (the machine may be busy) for `condition` to hold.
    func eventually(_ condition: @Sendable (Counts) -> Bool) async -> Bool {
        for _ in 0..<1000 {
            if condition(counts.withLockedValue { $0 }) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}

@Suite struct ServerBehaviourTests {
    @Test func otherErrorsBecomeUnknownWithoutDetails() async throws {
        try await withServerAndChannel(services: [ProbeService()]) { _, channel in
            let client = Search.Client(channel: channel)
            await #expect(throws: RPCError(.unknown, "unknown error")) {
                try await client.search(SearchRequest(query: "boom"))
            }
        }
    }

    @Test func statusErrorsKeepCodeMessageAndTrailers() async throws {
        try await withServerAndChannel(services: [ProbeService()]) { _, channel in
            do {
                _ = try await Search.Client(channel: channel).search(SearchRequest(query: "invalid"))
                Issue.record("expected an error")
            } catch let error as RPCError {
                #expect(error.code == .invalidArgument)
                #expect(error.message == "bad query")
                #expect(error.metadata.first("x-reason") == "testing")
            }
        }
    }

    @Test func requestMetadataReachesTheHandler() async throws {
        try await withServerAndChannel(services: [ProbeService()]) { _, channel in
            let response = try await Search.Client(channel: channel).monitor(
                Google_Protobuf_Empty(), options: CallOptions(metadata: ["x-things": "17"]))
            #expect(response.nThings == 17)
        }
    }

    @Test func deadlineEndsTheCallAndCancelsTheHandler() async throws {
        let probe = ProbeService()
        try await withServerAndChannel(services: [probe]) { _, channel in
            let started = ContinuousClock.now
            let call = Task {
                try await Search.Client(channel: channel).search(SearchRequest(query: "sleep"), options: CallOptions(timeout: .seconds(2)))
            }
            // The deadline must find the handler running (a busy machine may take a moment to start it).
            #expect(await probe.eventually { $0.started == 1 })
            do {
                _ = try await call.value
                Issue.record("expected DEADLINE_EXCEEDED")
            } catch let error as RPCError {
                #expect(error.code == .deadlineExceeded)
            }
            #expect(ContinuousClock.now - started < .seconds(8))
            #expect(await probe.eventually { $0.cancelled == 1 }, "the handler's task was not cancelled")
        }
    }

    @Test func clientCancellationCancelsTheHandler() async throws {
        let probe = ProbeService()
        try await withServerAndChannel(services: [probe]) { _, channel in
            let task = Task {
                try await Search.Client(channel: channel).search(SearchRequest(query: "sleep"))
            }
            #expect(await probe.eventually { $0.active == 1 })
            task.cancel()
            await #expect(throws: RPCError(.cancelled, "the call was cancelled")) { try await task.value }
            #expect(await probe.eventually { $0.cancelled == 1 }, "RST_STREAM did not cancel the handler")
        }
    }

    @Test func oversizedRequestsAreRefusedAndTheServerGoesOn() async throws {
        try await withServerAndChannel(services: [ProbeService()], configure: { $0.maximumReceiveMessageSize = 1024 }) { _, channel in
            let client = Search.Client(channel: channel)
            do {
                _ = try await client.search(SearchRequest(query: String(repeating: "x", count: 2000)))
                Issue.record("expected RESOURCE_EXHAUSTED")
            } catch let error as RPCError {
                #expect(error.code == .resourceExhausted)
            }
            #expect(try await client.search(SearchRequest(query: "small")).responses.first?.response == "small")
        }
    }

    @Test func unknownServicesAndMethodsAreUnimplemented() async throws {
        try await withServerAndChannel(services: [ProbeService()]) { _, channel in
            do {
                _ = try await Grpc_Testing_TestService.Client(channel: channel).emptyCall(Grpc_Testing_Empty())
                Issue.record("expected UNIMPLEMENTED")
            } catch let error as RPCError {
                #expect(error.code == .unimplemented)
                #expect(error.message.contains("/grpc.testing.TestService/EmptyCall"))
            }
        }
    }

    @Test func concurrentStreamsPerConnectionAreBounded() async throws {
        let probe = ProbeService()
        try await withServerAndChannel(services: [probe], configure: { $0.maximumConcurrentStreams = 2 }) { _, channel in
            let client = Search.Client(channel: channel)
            // The first call sets up the connection, so the client knows the server's SETTINGS.
            _ = try await client.search(SearchRequest(query: "warm-up"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Long enough that the six overlap even on a loaded machine: the check that at
                // most two run is only worth something if two did run at once.
                for _ in 0..<6 {
                    group.addTask { _ = try await client.search(SearchRequest(query: "sleep500")) }
                }
                try await group.waitForAll()
            }
            let counts = probe.counts.withLockedValue { $0 }
            #expect(counts.completed == 7)
            #expect(counts.maximumActive == 2)
        }
    }

    @Test func gracefulShutdownFinishesCallsInFlight() async throws {
        let probe = ProbeService()
        let server = GRPCServer(configuration: GRPCServer.Configuration(), services: [probe])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            let port = try await server.listeningAddress.port!
            let channel = GRPCChannel(host: "127.0.0.1", port: port)
            defer { channel.close() }
            let client = Search.Client(channel: channel)
            let inFlight = Task { try await client.search(SearchRequest(query: "sleep300")) }
            #expect(await probe.eventually { $0.active == 1 })
            server.beginGracefulShutdown()
            #expect(try await inFlight.value.responses.first?.response == "sleep300")
            // serve() returns once the last call is done.
            try await group.waitForAll()
            await #expect(throws: RPCError.self) { try await client.search(SearchRequest(query: "late")) }
        }
    }
}

extension ServerBehaviourTests {
    /// A call that never ends (a health Watch) does not hold a graceful shutdown up beyond the
    /// grace period: its connection is closed and serve() returns.
    @Test func gracefulShutdownCutsOffCallsAfterTheGracePeriod() async throws {
        let health = HealthService()
        health.setStatus(.serving)
        var configuration = GRPCServer.Configuration()
        configuration.shutdownGracePeriod = .milliseconds(500)
        let server = GRPCServer(configuration: configuration, services: [health])
        let serving = Task { try await server.serve() }
        defer { serving.cancel() }
        let port = try await server.listeningAddress.port!
        let channel = GRPCChannel(host: "127.0.0.1", port: port)
        defer { channel.close() }
        let started = AsyncStream<Void>.makeStream()
        let watch = Task {
            try await Grpc_Health_V1_Health.Client(channel: channel).watch(Grpc_Health_V1_HealthCheckRequest()) { responses in
                for try await _ in responses { started.continuation.yield() }
            }
        }
        for await _ in started.stream { break }
        let begun = ContinuousClock.now
        server.beginGracefulShutdown()
        // serve() must return by itself; the race only keeps a regression from hanging the run.
        let returned = await withTaskGroup(of: Bool.self) { race in
            race.addTask { (try? await serving.value) != nil }
            race.addTask {
                try? await Task.sleep(for: .seconds(10))
                return false
            }
            defer { race.cancelAll() }
            return await race.next()!
        }
        let took = ContinuousClock.now - begun
        #expect(returned, "serve() had not returned \(took) after the shutdown began")
        #expect(took >= .milliseconds(400), "serve() returned before the grace period: \(took)")
        // The watch ends with an error, not as if the server had finished it.
        await #expect(throws: RPCError.self) { try await watch.value }
    }
}

@Suite struct HealthServiceTests {
    @Test func checkAndWatchFollowTheStatus() async throws {
        let health = HealthService()
        health.setStatus(.serving, forService: "Search")
        try await withServerAndChannel(services: [health]) { _, channel in
            let client = Grpc_Health_V1_Health.Client(channel: channel)
            #expect(try await client.check(Grpc_Health_V1_HealthCheckRequest(service: "Search")).status == .serving)
            await #expect(throws: RPCError.self) { try await client.check(Grpc_Health_V1_HealthCheckRequest(service: "Other")) }

            let seen = try await client.watch(Grpc_Health_V1_HealthCheckRequest(service: "Search")) { responses in
                var statuses: [HealthService.Status] = []
                for try await response in responses {
                    statuses.append(response.status)
                    if statuses.count == 1 { health.setStatus(.notServing, forService: "Search") }
                    if statuses.count == 2 { health.setStatus(.serving, forService: "Search") }
                    if statuses.count == 3 { break }
                }
                return statuses
            }
            #expect(seen == [.serving, .notServing, .serving])
        }
    }
}

/// Log records kept in memory.
final class CapturedLogs: @unchecked Sendable {
    private let lock = NIOLock()
    private var records: [(message: String, metadata: Logger.Metadata)] = []

    func append(_ message: String, _ metadata: Logger.Metadata) { lock.withLock { records.append((message, metadata)) } }
    var all: [(message: String, metadata: Logger.Metadata)] { lock.withLock { records } }

    struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            sink.append("\(event.message)", metadata.merging(event.metadata ?? [:]) { $1 })
        }
    }
}

/// The process-wide metrics backend for these tests (swift-metrics bootstraps once).
let testMetrics: TestMetrics = {
    let metrics = TestMetrics()
    MetricsSystem.bootstrap(metrics)
    return metrics
}()

@Suite struct ObservabilityTests {
    @Test func everyCallIsLoggedAndCounted() async throws {
        let metrics = testMetrics
        let logs = CapturedLogs()
        let logger = Logger(label: "test") { _ in CapturedLogs.Handler(sink: logs) }
        try await withServerAndChannel(services: [ProbeService()], logger: logger, configure: { $0.metricsPrefix = "observed" }) { _, channel in
            let client = Search.Client(channel: channel)
            _ = try await client.search(SearchRequest(query: "ok"))
            _ = try? await client.search(SearchRequest(query: "invalid"))
        }
        let path = Search.Method.search.path
        let requests = try metrics.expectCounter("observed_requests_total", [("method", path)])
        #expect(requests.totalValue == 2)
        let errors = try metrics.expectCounter("observed_errors_total", [("method", path), ("code", "INVALID_ARGUMENT")])
        #expect(errors.totalValue == 1)
        let latency = try metrics.expectTimer("observed_latency", [("method", path)])
        #expect(latency.values.count == 2)

        let finished = logs.all.filter { $0.message == "rpc finished" }
        #expect(finished.count == 2)
        #expect(finished.allSatisfy { $0.metadata["grpc.method"] == "\(path)" && $0.metadata["grpc.peer"] != nil && $0.metadata["grpc.duration_ms"] != nil })
        #expect(Set(finished.compactMap { $0.metadata["grpc.status"].map { "\($0)" } }) == ["OK", "INVALID_ARGUMENT"])
    }
}

@Suite struct ReconnectTests {
    /// Serves on `port` until `body` returns, then shuts down.
    func serving(port: Int, _ body: @Sendable (Int) async throws -> Void) async throws {
        var configuration = GRPCServer.Configuration(port: port)
        configuration.keepaliveInterval = nil
        let server = GRPCServer(configuration: configuration, services: [ProbeService()])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            let bound = try await server.listeningAddress.port!
            try await body(bound)
            server.beginGracefulShutdown()
            try await group.waitForAll()
        }
    }

    @Test func theChannelReconnectsAfterTheServerComesBack() async throws {
        var channelConfiguration = GRPCChannel.Configuration()
        channelConfiguration.backoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(200))
        let configuration = channelConfiguration
        let box = NIOLockedValueBox<GRPCChannel?>(nil)
        var port = 0
        try await serving(port: 0) { bound in
            let channel = GRPCChannel(host: "127.0.0.1", port: bound, configuration: configuration)
            box.withLockedValue { $0 = channel }
            let first = try await Search.Client(channel: channel).search(SearchRequest(query: "first"))
            #expect(first.responses.count == 1)
        }
        guard let channel = box.withLockedValue({ $0 }) else {
            Issue.record("no channel")
            return
        }
        defer { channel.close() }
        port = channel.port
        // The server is gone: calls fail fast with UNAVAILABLE instead of hanging.
        do {
            _ = try await Search.Client(channel: channel).search(SearchRequest(query: "nobody"))
            Issue.record("expected UNAVAILABLE")
        } catch let error as RPCError {
            #expect(error.code == .unavailable)
        }
        // A new server on the same port: the channel connects again by itself.
        try await serving(port: port) { _ in
            let response = try await Search.Client(channel: channel).search(
                SearchRequest(query: "again"), options: CallOptions(timeout: .seconds(5), waitForReady: true))
            #expect(response.responses.first?.response == "again")
        }
    }
}
