import Foundation
import GeneratedFixtures
import GRPCRuntime
import ProtoWire
import Testing

/// The Swift client's retries and hedged calls against a grpcio server that fails or holds the
/// first attempts of each call (Tests/Interop/retry_server.py), counted from the server's log of
/// attempts.
@Suite("Swift client retries → Python server", .timeLimit(.minutes(2)))
struct RetryInteropTests {
    struct LoggedAttempt: Equatable {
        var previous: String
        var requests: Int
        var at: Int
    }

    /// The attempts the server logged for `key`, in order.
    static func attempts(_ server: PythonServer, key: String) -> [LoggedAttempt] {
        server.stderrText().split(separator: "\n").compactMap { line in
            guard line.hasPrefix("ATTEMPT key=\(key) ") else { return nil }
            var fields: [String: String] = [:]
            for field in line.split(separator: " ").dropFirst() {
                let parts = field.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
            }
            return LoggedAttempt(previous: fields["previous"] ?? "?", requests: Int(fields["requests"] ?? "") ?? -1, at: Int(fields["at"] ?? "") ?? -1)
        }
    }

    /// The attempts of `key` the server logged as cancelled by the client, by number.
    static func cancelled(_ server: PythonServer, key: String) -> [Int] {
        server.stderrText().split(separator: "\n").compactMap { line in
            guard line.hasPrefix("CANCELLED key=\(key) n=") else { return nil }
            return Int(line.split(separator: "=").last ?? "")
        }
    }

    /// CLOCK_MONOTONIC in whole milliseconds, the clock of the server's `at=` (Python's
    /// `time.monotonic()`), rounded down as Python's `int()` rounds it.
    static func monotonicMillis() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1000 + now.tv_nsec / 1_000_000
    }

    static func options(key: String, failFirst: Int, pushback: String? = nil, slowFirst: Int = 0, slowMillis: Int = 0) -> CallOptions {
        var metadata: Metadata = ["x-retry-key": .string(key), "x-fail-first": .string(String(failFirst))]
        if let pushback { metadata.add("x-pushback-ms", pushback) }
        if slowFirst > 0 {
            metadata.add("x-slow-first", String(slowFirst))
            metadata.add("x-slow-ms", String(slowMillis))
        }
        return CallOptions(metadata: metadata)
    }

    /// Runs `body` against a fresh retry_server.py through a channel with `serviceConfig`, then
    /// stops the server and returns it, for its log (the caller removes its files).
    static func withRetryServer<R>(
        serviceConfig json: String, _ body: (PythonServer, Grpc_Testing_TestService.Client) async throws -> R
    ) async throws -> (PythonServer, R) {
        let server = try await PythonServer.start(script: "retry_server.py")
        var configuration = GRPCChannel.Configuration()
        let channel: GRPCChannel
        let result: R
        do {
            configuration.serviceConfig = try ServiceConfig(json: json)
            channel = GRPCChannel(host: "127.0.0.1", port: server.port, configuration: configuration)
        } catch {
            _ = await server.stop()
            throw error
        }
        do {
            result = try await body(server, Grpc_Testing_TestService.Client(channel: channel))
        } catch {
            channel.close()
            _ = await server.stop()
            throw error
        }
        channel.close()
        _ = await server.stop()
        return (server, result)
    }

    @Test func hedgedAttemptsAgainstAGrpcioServer() async throws {
        let (server, (elapsed, sentAt)) = try await Self.withRetryServer(serviceConfig: """
            {"methodConfig": [
              {"name": [{"service": "grpc.testing.TestService", "method": "UnaryCall"}],
               "hedgingPolicy": {"maxAttempts": 2, "hedgingDelay": "0.2s", "nonFatalStatusCodes": ["UNAVAILABLE"]}},
              {"name": [{"service": "grpc.testing.TestService", "method": "CacheableUnaryCall"}],
               "hedgingPolicy": {"maxAttempts": 3, "hedgingDelay": "20s", "nonFatalStatusCodes": ["UNAVAILABLE"]}}]}
            """) { server, client in
            // The first attempt is held 20 s; the hedge 0.2 s later answers.
            let started = ContinuousClock.now
            let sentAt = Self.monotonicMillis()
            let hedged = try await client.unaryCall(
                Grpc_Testing_SimpleRequest(), options: Self.options(key: "hedged", failFirst: 0, slowFirst: 1, slowMillis: 20_000)
            )
            let elapsed = ContinuousClock.now - started
            #expect(hedged.username == "attempt 2")

            // With 20 s between hedges, only a non-fatal failure brings the next one; every
            // hedge failing ends the call.
            let shortcutStarted = ContinuousClock.now
            let shortcut = try await client.cacheableUnaryCall(Grpc_Testing_SimpleRequest(), options: Self.options(key: "shortcut", failFirst: 1))
            #expect(shortcut.username == "attempt 2")
            #expect(ContinuousClock.now - shortcutStarted < .seconds(10))
            await #expect(throws: RPCError.self) {
                try await client.cacheableUnaryCall(Grpc_Testing_SimpleRequest(), options: Self.options(key: "exhausted", failFirst: 10))
            }
            // The held attempt notices the cancellation within 10 ms; give it a moment to log.
            let waitEnd = ContinuousClock.now + .seconds(10)
            while Self.cancelled(server, key: "hedged").isEmpty, ContinuousClock.now < waitEnd {
                try await Task.sleep(for: .milliseconds(20))
            }
            return (elapsed, sentAt)
        }
        defer { server.removeFiles() }

        #expect(elapsed < .seconds(10))
        let hedged = Self.attempts(server, key: "hedged")
        #expect(hedged.map(\.previous) == ["-", "1"])
        // The server logs each attempt when its worker thread takes it up, on the clock this test
        // reads before the call (CLOCK_MONOTONIC, in ms): the hedge cannot be logged before the
        // client sent it, 200 ms after the call began, and the server's scheduling only makes
        // it later (comparing with the first attempt's line instead would let a late first line
        // shrink the gap). Sent on the timer, not after the first attempt's 20 s hold.
        if hedged.count == 2 {
            #expect(hedged[1].at - sentAt >= 200, "hedge logged \(hedged[1].at - sentAt) ms after the call began")
            #expect(hedged[1].at - sentAt < 10_000, "hedge logged \(hedged[1].at - sentAt) ms after the call began")
        }
        #expect(Self.cancelled(server, key: "hedged") == [1])
        #expect(Self.attempts(server, key: "shortcut").map(\.previous) == ["-", "1"])
        #expect(Self.attempts(server, key: "exhausted").map(\.previous) == ["-", "1", "2"])
    }

    @Test func attemptsFailedByAGrpcioServerAreTriedAgain() async throws {
        let (server, _) = try await Self.withRetryServer(serviceConfig: """
            {"methodConfig": [{"name": [{"service": "grpc.testing.TestService"}],
              "retryPolicy": {"maxAttempts": 4, "initialBackoff": "0.01s", "maxBackoff": "0.05s", "backoffMultiplier": 2,
                              "retryableStatusCodes": ["UNAVAILABLE"]}}]}
            """) { _, client in
            let unary = try await client.unaryCall(Grpc_Testing_SimpleRequest(), options: Self.options(key: "unary", failFirst: 2))
            #expect(unary.username == "attempt 3")

            let streamed = try await client.streamingInputCall(options: Self.options(key: "streaming", failFirst: 1)) { writer in
                for size in [5, 6, 7] { try await writer.write(.init(payload: Grpc_Testing_Payload(body: Data(count: size)))) }
            }
            #expect(streamed.aggregatedPayloadSize == 18)

            let started = ContinuousClock.now
            _ = try await client.unaryCall(Grpc_Testing_SimpleRequest(), options: Self.options(key: "pushback", failFirst: 1, pushback: "300"))
            #expect(ContinuousClock.now - started >= .milliseconds(300))

            await #expect(throws: RPCError.self) {
                try await client.unaryCall(Grpc_Testing_SimpleRequest(), options: Self.options(key: "exhausted", failFirst: 10))
            }
            await #expect(throws: RPCError.self) {
                try await client.unaryCall(Grpc_Testing_SimpleRequest(), options: Self.options(key: "refused", failFirst: 1, pushback: "-1"))
            }
        }
        defer { server.removeFiles() }

        #expect(Self.attempts(server, key: "unary").map(\.previous) == ["-", "1", "2"])
        #expect(Self.attempts(server, key: "streaming").map(\.requests) == [3, 3])
        #expect(Self.attempts(server, key: "streaming").map(\.previous) == ["-", "1"])
        let pushback = Self.attempts(server, key: "pushback")
        #expect(pushback.count == 2)
        if pushback.count == 2 { #expect(pushback[1].at - pushback[0].at >= 300) }
        #expect(Self.attempts(server, key: "exhausted").count == 4)
        #expect(Self.attempts(server, key: "refused").count == 1)
    }
}
