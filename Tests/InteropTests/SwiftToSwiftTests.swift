import GeneratedFixtures
import GRPCRuntime
import ProtoWire
import Testing

/// Runs `body` against a Swift server on a free loopback port, then shuts the server down.
func withServer<R: Sendable>(
    services: [any GRPCService], configure: (inout GRPCServer.Configuration) -> Void = { _ in },
    _ body: @Sendable (GRPCServer, Int) async throws -> R
) async throws -> R {
    var configuration = GRPCServer.Configuration(host: "127.0.0.1", port: 0)
    configure(&configuration)
    let server = GRPCServer(configuration: configuration, services: services)
    return try await withThrowingTaskGroup(of: R?.self) { group in
        group.addTask {
            try await server.serve()
            return nil
        }
        let port = try await server.listeningAddress.port!
        let result = try await body(server, port)
        server.beginGracefulShutdown()
        while let next = try await group.next() { if next != nil { return next! } }
        return result
    }
}

@Suite struct SwiftToSwiftTests {
    @Test func unarySearchAndMonitor() async throws {
        try await withServer(services: [TestSearchService()]) { _, port in
            let channel = GRPCChannel(host: "127.0.0.1", port: port)
            defer { channel.close() }
            let client = Search.Client(channel: channel)
            let responses = try await client.search(SearchRequest(query: "q", lat: 1, lng: 2, resultPerPage: 2))
            #expect(responses.responses.map(\.response) == ["q@1.0,2.0#0", "q@1.0,2.0#1"])
            #expect(try await client.monitor(Google_Protobuf_Empty()).nThings == 42)
            await #expect(throws: RPCError(.invalidArgument, "negative page")) {
                try await client.search(SearchRequest(pageNumber: -1))
            }
        }
    }
}
