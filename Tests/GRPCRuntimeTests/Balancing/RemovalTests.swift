import GRPCRuntime
import GRPCTestSupport
import NIOConcurrencyHelpers
import ProtoWire
import GeneratedFixtures
import Testing
import TestSupport

/// A resolver the test drives.
struct ManualResolver: NameResolver {
    let stream: AsyncStream<Result<[Endpoint], any Error>>
    let continuation: AsyncStream<Result<[Endpoint], any Error>>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream()
    }

    func updates(trigger: ResolutionTrigger) -> AsyncStream<Result<[Endpoint], any Error>> { stream }
}

struct ManualFactory: NameResolverFactory {
    let resolver: ManualResolver
    var scheme: String { "manual" }
    func makeResolver(for target: ResolverTarget, configuration: GRPCChannel.Configuration) throws -> any NameResolver { resolver }
}

@Suite struct RemovalTests {
    /// An endpoint that leaves the list lets go of its server: its health watch ends, so the
    /// server's graceful shutdown is not held up by this client.
    @Test func removedEndpointsReleaseTheirServer() async throws {
        let search = CountingSearch()
        let health = HealthService()
        health.setStatus(.serving)
        let resolver = ManualResolver()
        let channel = try GRPCChannel(target: "manual:///x", configuration: testChannelConfiguration(), resolvers: .standard.registering(ManualFactory(resolver: resolver)))
        defer { channel.close() }
        let client = Search.Client(channel: channel)
        let bodyEnded = NIOLockedValueBox(ContinuousClock.now)
        try await withServer(services: [search, health]) { server, port in
            resolver.continuation.yield(.success([Endpoint(host: "127.0.0.1", port: port)]))
            for _ in 0..<5 { _ = try await client.monitor(Google_Protobuf_Empty()) }
            try await Task.sleep(for: .milliseconds(200))
            // A call in flight keeps the connection open past the removal.
            async let slow = client.search(SearchRequest(query: "sleep 500"))
            try await Task.sleep(for: .milliseconds(100))
            resolver.continuation.yield(.success([]))
            try await Task.sleep(for: .milliseconds(100))
            _ = try await slow
            bodyEnded.withLockedValue { $0 = .now }
        }
        // A health watch left open would hold the drain until the server's 10 s reset.
        let shutdown = ContinuousClock.now - bodyEnded.withLockedValue { $0 }
        #expect(shutdown < .seconds(5), "the server's shutdown waited \(shutdown) for the client")
    }

    /// A server that shuts down gracefully while still in the list: its GOAWAY ends the
    /// client's health watch on it, so the drain completes.
    @Test func goAwayEndsTheHealthWatch() async throws {
        let search = CountingSearch()
        let health = HealthService()
        health.setStatus(.serving)
        let resolver = ManualResolver()
        let channel = try GRPCChannel(target: "manual:///x", configuration: testChannelConfiguration(), resolvers: .standard.registering(ManualFactory(resolver: resolver)))
        defer { channel.close() }
        let client = Search.Client(channel: channel)
        for _ in 0..<5 {
            let bodyEnded = NIOLockedValueBox(ContinuousClock.now)
            try await withServer(services: [search, health]) { server, port in
                resolver.continuation.yield(.success([Endpoint(host: "127.0.0.1", port: port)]))
                _ = await eventually { channel.endpoints == [Endpoint(host: "127.0.0.1", port: port)] }
                for _ in 0..<5 { _ = try await client.monitor(Google_Protobuf_Empty()) }
                bodyEnded.withLockedValue { $0 = .now }
            }
            let shutdown = ContinuousClock.now - bodyEnded.withLockedValue { $0 }
            #expect(shutdown < .seconds(5), "the server's shutdown waited \(shutdown) for the client")
        }
    }
}
