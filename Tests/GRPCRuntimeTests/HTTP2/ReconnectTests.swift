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

    @Test func aWaitForReadyCallEndsAtItsDeadlineWithoutAServer() async throws {
        var configuration = GRPCChannel.Configuration()
        configuration.backoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(200))
        let channel = GRPCChannel(host: "127.0.0.1", port: try freeLoopbackPort(), configuration: configuration)
        defer { channel.close() }
        let clock = ContinuousClock()
        let start = clock.now
        // A watchdog: without the deadline the call would wait for a server for good.
        let call = Task {
            try await Search.Client(channel: channel).search(
                SearchRequest(query: "nobody"), options: CallOptions(timeout: .milliseconds(500), waitForReady: true))
        }
        let watchdog = Task {
            try await Task.sleep(for: .seconds(20))
            call.cancel()
        }
        defer { watchdog.cancel() }
        do {
            _ = try await call.value
            Issue.record("the call went through")
        } catch let error as RPCError {
            #expect(error.code == .deadlineExceeded, "\(error)")
        }
        let waited = clock.now - start
        #expect(waited >= .milliseconds(500) && waited < .seconds(15), "ended after \(waited)")
    }

    @Test func theChannelReconnectsAfterTheServerComesBack() async throws {
        var channelConfiguration = GRPCChannel.Configuration()
        channelConfiguration.backoff = Backoff(initial: .milliseconds(50), maximum: .milliseconds(200))
        let configuration = channelConfiguration
        let box = NIOLockedValueBox<(GRPCChannel, Int)?>(nil)
        try await serving(port: 0) { bound in
            let channel = GRPCChannel(host: "127.0.0.1", port: bound, configuration: configuration)
            box.withLockedValue { $0 = (channel, bound) }
            let first = try await Search.Client(channel: channel).search(SearchRequest(query: "first"))
            #expect(first.responses.count == 1)
        }
        guard let (channel, port) = box.withLockedValue({ $0 }) else {
            Issue.record("no channel")
            return
        }
        defer { channel.close() }
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
