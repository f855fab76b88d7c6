import Foundation
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

/// What only the HTTP/2 transport does on the server: streams per connection, GOAWAY and
/// draining on shutdown, the grace period.
@Suite struct HTTP2ServerTests {
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
            // The call is held in its handler until the shutdown has begun (a call that only
            // slept could end before a busy machine let the test see it running).
            defer { probe.release() }
            let inFlight = Task { try await client.search(SearchRequest(query: "held")) }
            #expect(await probe.eventually { $0.active == 1 })
            server.beginGracefulShutdown()
            probe.release()
            #expect(try await inFlight.value.responses.first?.response == "held")
            // serve() returns once the last call is done.
            try await group.waitForAll()
            await #expect(throws: RPCError.self) { try await client.search(SearchRequest(query: "late")) }
        }
    }
}

extension HTTP2ServerTests {
    /// Handlers start on the event loop that read their call, unless the configuration says
    /// otherwise.
    @Test(arguments: [true, false]) func handlersRunWhereTheConfigurationSays(onEventLoop: Bool) async throws {
        let probe = ProbeService()
        try await withServerAndChannel(services: [probe], configure: { $0.handlersRunOnEventLoop = onEventLoop }) { _, channel in
            let client = Search.Client(channel: channel)
            for _ in 0..<5 { _ = try await client.search(SearchRequest(query: "where")) }
        }
        let counts = probe.counts.withLockedValue { $0 }
        #expect(counts.completed == 5)
        #expect(counts.onEventLoop == (onEventLoop ? 5 : 0))
    }

    /// A client streaming to a handler that does not read is held back by flow control: the
    /// server stops reading the stream once the call has a few messages buffered, instead of
    /// taking all the client sends.
    @Test func aHandlerThatDoesNotReadHoldsTheClientBack() async throws {
        let probe = StreamProbe()
        probe.holdRequests.withLockedValue { $0 = true }
        let messages = 200
        let size = 64 * 1024
        // The request idle timeout is shorter than the hold: a client held back by the server
        // is not a stalled client, and its call must not be cut off.
        try await withServerAndChannel(services: [probe], configure: { $0.requestIdleTimeout = .milliseconds(1500) }) { _, channel in
            let client = Grpc_Testing_TestService.Client(channel: channel)
            let written = NIOLockedValueBox(0)
            let call = Task {
                try await client.streamingInputCall { writer in
                    for _ in 0..<messages {
                        try await writer.write(Grpc_Testing_StreamingInputCallRequest(payload: Grpc_Testing_Payload(body: Data(count: size))))
                        written.withLockedValue { $0 += 1 }
                    }
                }
            }
            #expect(await probe.eventually { $0.requestsRead.withLockedValue { $0 } == 1 })
            // Time for everything that can go out to go out, and longer than the idle timeout.
            try await Task.sleep(for: .seconds(4))
            // What the client could send: the stream's 1 MiB window, the call's 16 buffered
            // messages, and what the two ends hold in their buffers; 12.5 MiB were on offer.
            let sent = written.withLockedValue { $0 }
            #expect(sent < messages / 2, "the client wrote \(sent) of \(messages) messages while the handler read one")
            probe.holdRequests.withLockedValue { $0 = false }
            let response = try await call.value
            #expect(response.aggregatedPayloadSize == Int32(messages * size))
            #expect(probe.requestsRead.withLockedValue { $0 } == messages)
        }
    }

    /// The request idle timeout ends a call whose request stops coming, and not one whose
    /// request keeps coming for longer than the timeout, a message at a time.
    @Test func aRequestThatStopsIsCutOffAndOneThatKeepsComingIsNot() async throws {
        let probe = StreamProbe()
        try await withServerAndChannel(services: [probe], configure: { $0.requestIdleTimeout = .milliseconds(1500) }) { _, channel in
            let client = Grpc_Testing_TestService.Client(channel: channel)
            let message = Grpc_Testing_StreamingInputCallRequest(payload: Grpc_Testing_Payload(body: Data(count: 10)))
            // A message every 100 ms for 4 s: more than two idle timeouts in all (the gaps are
            // far below the timeout, so that a loaded machine's late wake-ups do not reach it).
            let moving = try await client.streamingInputCall { writer in
                for _ in 0..<40 {
                    try await writer.write(message)
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            #expect(moving.aggregatedPayloadSize == 400)
            // One message, then nothing: cut off about one idle timeout later.
            let started = ContinuousClock.now
            do {
                _ = try await client.streamingInputCall { writer in
                    try await writer.write(message)
                    try await Task.sleep(for: .seconds(10))
                }
                Issue.record("the stalled call was not cut off")
            } catch let error as RPCError {
                #expect(error.code == .cancelled, "\(error)")
                #expect(error.message.contains("no request data"), "\(error)")
            }
            let took = ContinuousClock.now - started
            #expect(took >= .milliseconds(1400) && took < .seconds(8), "cut off after \(took)")
        }
    }

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

/// What only the HTTP/2 transport does on the client.
@Suite struct HTTP2ClientTests {
    /// A call that does not read its responses holds the server back by flow control: the
    /// client stops reading the stream once a few frames wait unread, instead of taking all the
    /// server sends.
    @Test func aCallThatDoesNotReadHoldsTheServerBack() async throws {
        let probe = StreamProbe()
        let messages = 200
        let size: Int32 = 64 * 1024
        try await withServerAndChannel(services: [probe]) { _, channel in
            let client = Grpc_Testing_TestService.Client(channel: channel)
            let request = Grpc_Testing_StreamingOutputCallRequest(
                responseParameters: Array(repeating: Grpc_Testing_ResponseParameters(size: size), count: messages)
            )
            let firstRead = NIOLockedValueBox(false)
            let release = AsyncStream<Void>.makeStream()
            let call = Task {
                try await client.streamingOutputCall(request) { responses in
                    var total = 0
                    for try await response in responses {
                        if total == 0 {
                            firstRead.withLockedValue { $0 = true }
                            for await _ in release.stream { break }
                        }
                        total += response.payload?.body.count ?? 0
                    }
                    return total
                }
            }
            for _ in 0..<1000 where !firstRead.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            #expect(firstRead.withLockedValue { $0 })
            // Time for everything that can go out to go out.
            try await Task.sleep(for: .seconds(3))
            // What the server could write: the stream's 1 MiB window, the 16 frames the client
            // keeps unread, and what the two ends hold in their buffers; 12.5 MiB were on offer.
            let written = probe.responsesWritten.withLockedValue { $0 }
            #expect(written < messages / 2, "the server wrote \(written) of \(messages) responses while the client read one")
            release.continuation.yield()
            release.continuation.finish()
            #expect(try await call.value == messages * Int(size))
            #expect(probe.responsesWritten.withLockedValue { $0 } == messages)
        }
    }
}
