import GeneratedFixtures
import GRPCRuntime
import GRPCTestSupport
import ProtoWire
import Testing
import TestSupport

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
