import GeneratedFixtures
import GRPCRuntime
import GRPCTestSupport
import ProtoWire
import Testing

@Suite struct ClientAPITests {
    @Test(arguments: TestTransport.allCases)
    func aUnaryCallIsCancelledThroughItsHandle(_ transport: TestTransport) async throws {
        let probe = ProbeService()
        try await withChannel(transport, services: [probe]) { _, channel in
            let call = channel.startUnary(Search.Method.search, SearchRequest(query: "sleep"))
            #expect(await probe.eventually { $0.active == 1 })
            call.cancel()
            await #expect(throws: RPCError(.cancelled, "the call was cancelled")) { try await call.response }
            #expect(await probe.eventually { $0.cancelled == 1 }, "the server's handler was not cancelled")
        }
    }

    @Test func aHandleGivesTheResponseWithItsMetadata() async throws {
        try await withChannel(.inProcess, services: [MetadataEcho()]) { _, channel in
            let call = channel.startUnary(Search.Method.monitor, Google_Protobuf_Empty(), options: CallOptions(metadata: ["x-things": "3"]))
            let response = try await call.response
            #expect(response.message.nThings == 3)
            #expect(response.headers.first("x-echo") == "3")
        }
    }

    @Test func anInProcessChannelWaitsForItsServerToStart() async throws {
        let transport = InProcessTransport()
        let server = GRPCServer(transport: transport.server, services: [ProbeService()], logger: silentLogger)
        let channel = GRPCChannel(transport: transport.client)
        defer { channel.close() }
        // The call is made before the server listens, as a call to a server that is still starting.
        let early = Task { try await Search.Client(channel: channel).search(SearchRequest(query: "early")) }
        try await Task.sleep(for: .milliseconds(50))
        try await serving(server) {
            let answer = try await early.value
            #expect(answer.responses.first?.response == "early")
        }
        await #expect {
            try await Search.Client(channel: channel).search(SearchRequest(query: "late"))
        } throws: { ($0 as? RPCError)?.code == .unavailable }
    }
}
