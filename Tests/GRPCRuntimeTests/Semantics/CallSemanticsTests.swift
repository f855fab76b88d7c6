import Foundation
import GeneratedFixtures
import GRPCRuntime
import GRPCTestSupport
import ProtoWire
import Testing

/// What gRPC means by a call, written once above the transports and so expected to hold the
/// same over each: the in-process transport and HTTP/2 over a real socket.
@Suite struct CallSemanticsTests {
    @Test(arguments: TestTransport.allCases)
    func unaryCallsAnswerWithHeadersAndTrailers(_ transport: TestTransport) async throws {
        try await withChannel(transport, services: [MetadataEcho()]) { _, channel in
            let response = try await channel.unary(
                Search.Method.monitor, Google_Protobuf_Empty(),
                options: CallOptions(metadata: ["x-things": "17", "x-blob-bin": .binary([0, 1, 0xFF])]))
            #expect(response.message.nThings == 17)
            #expect(response.headers.first("x-echo") == "17")
            #expect(response.trailers[binaryValues: "x-blob-bin"] == [[0, 1, 0xFF]])
        }
    }

    @Test(arguments: TestTransport.allCases)
    func statusErrorsKeepCodeMessageAndTrailersOthersBecomeUnknown(_ transport: TestTransport) async throws {
        try await withChannel(transport, services: [ProbeService()]) { _, channel in
            let client = Search.Client(channel: channel)
            do {
                _ = try await client.search(SearchRequest(query: "invalid"))
                Issue.record("expected an error")
            } catch let error as RPCError {
                #expect(error.code == .invalidArgument)
                #expect(error.message == "bad query")
                #expect(error.metadata.first("x-reason") == "testing")
            }
            await #expect(throws: RPCError(.unknown, "unknown error")) { try await client.search(SearchRequest(query: "boom")) }
        }
    }

    @Test(arguments: TestTransport.allCases)
    func deadlinesEndTheCallAndCancelTheHandler(_ transport: TestTransport) async throws {
        let probe = ProbeService()
        try await withChannel(transport, services: [probe]) { _, channel in
            let client = Search.Client(channel: channel)
            _ = try await client.search(SearchRequest(query: "warm-up"))
            let started = ContinuousClock.now
            let call = Task { try await client.search(SearchRequest(query: "sleep60000"), options: CallOptions(timeout: .seconds(2))) }
            // The deadline must find the handler running (a busy machine may take a moment to start it).
            #expect(await probe.eventually { $0.started == 2 })
            await #expect { try await call.value } throws: { ($0 as? RPCError)?.code == .deadlineExceeded }
            // The handler would answer after 60 s: ending in half of that, the deadline ended the
            // call, however late a busy machine fired it.
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(await probe.eventually { $0.cancelled == 1 }, "the handler's task was not cancelled")
        }
    }

    /// The deadline holds in every phase of a call: here the request never ends, so no handler
    /// has returned when it passes.
    @Test(arguments: TestTransport.allCases)
    func deadlinesEndCallsWhoseRequestsNeverEnd(_ transport: TestTransport) async throws {
        let probe = StreamProbe()
        try await withChannel(transport, services: [probe]) { _, channel in
            let client = Grpc_Testing_TestService.Client(channel: channel)
            _ = try await client.emptyCall(Grpc_Testing_Empty())
            let started = ContinuousClock.now
            let call = Task {
                try await client.streamingInputCall(options: CallOptions(timeout: .seconds(2))) { writer in
                    try await writer.write(Grpc_Testing_StreamingInputCallRequest())
                    try await Task.sleep(for: .seconds(60))
                }
            }
            #expect(await probe.eventually { $0.started.withLockedValue { $0 } == 1 })
            await #expect { try await call.value } throws: { ($0 as? RPCError)?.code == .deadlineExceeded }
            // The request would go on for 60 s: ending in half of that, the deadline ended it.
            #expect(ContinuousClock.now - started < .seconds(30))
            #expect(await probe.eventually { $0.cancelled.withLockedValue { $0 } == 1 })
        }
    }

    @Test(arguments: TestTransport.allCases)
    func cancellingTheCallingTaskCancelsTheHandler(_ transport: TestTransport) async throws {
        let probe = ProbeService()
        try await withChannel(transport, services: [probe]) { _, channel in
            let task = Task { try await Search.Client(channel: channel).search(SearchRequest(query: "sleep")) }
            #expect(await probe.eventually { $0.active == 1 })
            task.cancel()
            await #expect(throws: RPCError(.cancelled, "the call was cancelled")) { try await task.value }
            #expect(await probe.eventually { $0.cancelled == 1 }, "the handler was not cancelled")
        }
    }

    @Test(arguments: TestTransport.allCases)
    func oversizedRequestsAreRefusedAndTheServerGoesOn(_ transport: TestTransport) async throws {
        try await withChannel(transport, services: [ProbeService()], configure: { $0.maximumReceiveMessageSize = 1024 }) { _, channel in
            let client = Search.Client(channel: channel)
            await #expect {
                try await client.search(SearchRequest(query: String(repeating: "x", count: 2000)))
            } throws: { ($0 as? RPCError)?.code == .resourceExhausted }
            let small = try await client.search(SearchRequest(query: "small"))
            #expect(small.responses.first?.response == "small")
        }
    }

    @Test(arguments: TestTransport.allCases)
    func unknownMethodsAreUnimplemented(_ transport: TestTransport) async throws {
        try await withChannel(transport, services: [ProbeService()]) { _, channel in
            await #expect {
                try await Grpc_Testing_TestService.Client(channel: channel).emptyCall(Grpc_Testing_Empty())
            } throws: { (error: any Error) -> Bool in
                guard let error = error as? RPCError else { return false }
                return error.code == .unimplemented && error.message.contains("/grpc.testing.TestService/EmptyCall")
            }
        }
    }

    @Test(arguments: TestTransport.allCases)
    func unsupportedRequestEncodingsAreUnimplementedWithTheAcceptedOnes(_ transport: TestTransport) async throws {
        try await withChannel(transport, services: [ProbeService()], configure: { $0.compression = [.deflate] }) { _, channel in
            do {
                _ = try await Search.Client(channel: channel).search(SearchRequest(query: "q"), options: CallOptions(compression: .gzip))
                Issue.record("expected UNIMPLEMENTED")
            } catch let error as RPCError {
                #expect(error.code == .unimplemented)
                #expect(error.message == "message encoding gzip is not supported (accepted: deflate,identity)")
            }
        }
    }

    /// Headers a handler added go out even when it then fails before sending a message.
    @Test(arguments: TestTransport.allCases)
    func headersAddedBeforeAFailureAreKept(_ transport: TestTransport) async throws {
        try await withChannel(transport, services: [StreamProbe()]) { _, channel in
            let request = Grpc_Testing_StreamingOutputCallRequest(responseStatus: Grpc_Testing_EchoStatus(code: 9, message: "no"))
            let headers = try await channel.serverStreaming(Grpc_Testing_TestService.Method.streamingOutputCall, request) { responses in
                let headers = try await responses.responseHeaders()
                await #expect(throws: RPCError(.failedPrecondition, "no", metadata: ["x-trailer": "too"])) {
                    for try await _ in responses {}
                }
                return headers
            }
            #expect(headers.first("x-before-failure") == "kept")
        }
    }

    @Test(arguments: TestTransport.allCases)
    func streamsCarryEveryMessageInOrder(_ transport: TestTransport) async throws {
        try await withChannel(transport, services: [StreamProbe()]) { _, channel in
            let client = Grpc_Testing_TestService.Client(channel: channel)
            let sizes: [Int32] = [0, 1, 1000, 70_000, 3]
            let request = Grpc_Testing_StreamingOutputCallRequest(responseParameters: sizes.map { Grpc_Testing_ResponseParameters(size: $0) })
            let received = try await client.streamingOutputCall(request) { responses in
                var sizes: [Int32] = []
                for try await response in responses { sizes.append(Int32(response.payload?.body.count ?? -1)) }
                return sizes
            }
            #expect(received == sizes)

            let total = try await client.streamingInputCall { writer in
                for size in sizes { try await writer.write(Grpc_Testing_StreamingInputCallRequest(payload: Grpc_Testing_Payload(body: Data(count: Int(size))))) }
            }
            #expect(total.aggregatedPayloadSize == sizes.reduce(0, +))
        }
    }

    /// Ping-pong on one task: each request waits for the answer to the last.
    @Test(arguments: TestTransport.allCases)
    func bidirectionalCallsPlayPingPong(_ transport: TestTransport) async throws {
        try await withChannel(transport, services: [StreamProbe()]) { _, channel in
            let sizes: [Int32] = [5, 0, 300, 2]
            let answers = try await channel.bidirectionalCall(Grpc_Testing_TestService.Method.fullDuplexCall) { call in
                var answers: [Int32] = []
                for size in sizes {
                    try await call.send(Grpc_Testing_StreamingOutputCallRequest(responseParameters: [Grpc_Testing_ResponseParameters(size: size)]))
                    guard let answer = try await call.receive() else { break }
                    answers.append(Int32(answer.payload?.body.count ?? -1))
                }
                try await call.finishSending()
                let after = try await call.receive()
                #expect(after == nil, "the server ends the call after the half-close")
                return answers
            }
            #expect(answers == sizes)
        }
    }
}

/// Answers `Search.monitor` from the request metadata, echoing it in headers and trailers.
struct MetadataEcho: Search.Servicer {
    func search(request: SearchRequest, context: ServerContext) async throws -> SearchResponses { SearchResponses() }

    func monitor(request: Google_Protobuf_Empty, context: ServerContext) async throws -> MonitorResponse {
        let things = context.requestMetadata.first("x-things") ?? "0"
        context.addResponseHeaders(["x-echo": .string(things)])
        var trailers = Metadata()
        for blob in context.requestMetadata[binaryValues: "x-blob-bin"] { trailers.add("x-blob-bin", binary: blob) }
        context.addTrailers(trailers)
        return MonitorResponse(nThings: Int32(things) ?? 0)
    }
}
