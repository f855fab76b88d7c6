import Foundation
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

    // MARK: Generated clients

    @Test func aGeneratedUnaryMethodHandsOverTheResponseWithItsMetadata() async throws {
        try await withChannel(.inProcess, services: [MetadataEcho()]) { _, channel in
            let client = Search.Client(channel: channel)
            var options = CallOptions(metadata: ["x-things": "3"])
            options.metadata.add("x-blob-bin", binary: [1, 2, 3])
            let (things, echo, blobs) = try await client.monitor(Google_Protobuf_Empty(), options: options) { response in
                (response.message.nThings, response.headers.first("x-echo"), response.trailers[binaryValues: "x-blob-bin"])
            }
            #expect(things == 3)
            #expect(echo == "3")
            #expect(blobs == [[1, 2, 3]])
            #expect(try await client.monitor(Google_Protobuf_Empty(), options: options).nThings == 3)
        }
    }

    @Test(arguments: TestTransport.allCases)
    func aGeneratedUnaryMethodStartsACallThatItsHandleCancels(_ transport: TestTransport) async throws {
        let probe = ProbeService()
        try await withChannel(transport, services: [probe]) { _, channel in
            let client = Search.Client(channel: channel)
            let call = client.startSearch(SearchRequest(query: "sleep"))
            #expect(await probe.eventually { $0.active == 1 })
            call.cancel()
            await #expect(throws: RPCError(.cancelled, "the call was cancelled")) { try await call.response }
            #expect(await probe.eventually { $0.cancelled == 1 }, "the server's handler was not cancelled")
            let finished = client.startSearch(SearchRequest(query: "done"))
            let answer = try await finished.response
            #expect(answer.message.responses.first?.response == "done")
        }
    }

    @Test func aGeneratedClientStreamingMethodHandsOverTheResponseWithItsMetadata() async throws {
        try await withChannel(.inProcess, services: [StreamProbe()]) { _, channel in
            let client = Grpc_Testing_TestService.Client(channel: channel)
            let total = try await client.streamingInputCall { writer in
                try await writer.write(Grpc_Testing_StreamingInputCallRequest(payload: Grpc_Testing_Payload(body: Data(count: 5))))
                try await writer.write(Grpc_Testing_StreamingInputCallRequest(payload: Grpc_Testing_Payload(body: Data(count: 2))))
            } onResponse: { response in
                response.message.aggregatedPayloadSize
            }
            #expect(total == 7)
        }
    }

    /// The ping-pong example of GRPCRuntime's documentation (Calls.md), run as written there;
    /// `theDocumentationShowsThePingPongThisTestRuns` keeps the two the same.
    @Test(arguments: TestTransport.allCases)
    func pingPongThroughAGeneratedClient(_ transport: TestTransport) async throws {
        try await withChannel(transport, services: [StreamProbe()]) { _, channel in
            // Calls.md ping-pong: begin
            let client = Grpc_Testing_TestService.Client(channel: channel)
            let sizes = try await client.fullDuplexCall { call in
                var sizes: [Int] = []
                for size: Int32 in [3, 1, 4] {
                    // Each request asks for one response of `size` bytes; the next one waits for it.
                    try await call.send(.init(responseParameters: [.init(size: size)]))
                    guard let answer = try await call.receive() else { break }   // nil: the server ended OK
                    sizes.append(answer.payload?.body.count ?? 0)
                }
                return sizes                // returning half-closes and ends the call
            }
            // Calls.md ping-pong: end
            #expect(sizes == [3, 1, 4])
        }
    }

    @Test func theDocumentationShowsThePingPongThisTestRuns() throws {
        let here = URL(fileURLWithPath: #filePath)
        let root = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let test = try String(contentsOf: here, encoding: .utf8)
        let calls = try String(contentsOf: root.appendingPathComponent("Sources/GRPCRuntime/GRPCRuntime.docc/Calls.md"), encoding: .utf8)
        let begin = try #require(test.range(of: "// Calls.md ping-pong: begin\n"))
        let end = try #require(test.range(of: "            // Calls.md ping-pong: end", range: begin.upperBound..<test.endIndex))
        // The test's lines, less their indentation, are the documentation's.
        let lines = test[begin.upperBound..<end.lowerBound].split(separator: "\n").map { $0.dropFirst(12) }
        #expect(lines.count > 5)
        #expect(calls.contains(lines.joined(separator: "\n")), "Calls.md's ping-pong example differs from this test's")
    }
}
