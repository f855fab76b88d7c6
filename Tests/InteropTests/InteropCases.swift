import Foundation
import GeneratedFixtures
import GRPCRuntime
import ProtoWire
import Testing

/// The interop cases, named as the gRPC interop spec and Tests/Interop/interop_client.py name them.
enum InteropCase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case emptyUnary = "empty_unary"
    case largeUnary = "large_unary"
    case clientStreaming = "client_streaming"
    case serverStreaming = "server_streaming"
    case pingPong = "ping_pong"
    case emptyStream = "empty_stream"
    case customMetadata = "custom_metadata"
    case statusCodeAndMessage = "status_code_and_message"
    case specialStatusMessage = "special_status_message"
    case unimplementedMethod = "unimplemented_method"
    case unimplementedService = "unimplemented_service"
    case cancelAfterBegin = "cancel_after_begin"
    case cancelAfterFirstResponse = "cancel_after_first_response"
    case timeoutOnSleepingServer = "timeout_on_sleeping_server"
    case clientCompressedUnary = "client_compressed_unary"
    case serverCompressedUnary = "server_compressed_unary"
    /// Extra (in the spec, not in the brief's list): request messages compressed per message.
    /// grpcio's client cannot do it, so interop_client.py does not have it.
    case clientCompressedStreaming = "client_compressed_streaming"
    /// Extra (in the spec, not in the brief's list): responses compressed per message.
    case serverCompressedStreaming = "server_compressed_streaming"
    /// The seed's Search service.
    case search
    case monitor
    /// Extra: `grpc.health.v1.Health/Check("")` is SERVING.
    case health

    var testDescription: String { rawValue }

    /// Whether Tests/Interop/interop_client.py implements the case.
    var pythonClientHasIt: Bool { self != .clientCompressedStreaming }
}

/// A case disagreeing with the spec: what was expected and what happened.
struct InteropFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs the interop cases with the Swift client against a server on `host:port`.
struct InteropClient: Sendable {
    let host: String
    let port: Int
    /// The deadline of every call, so a silent server fails a case instead of hanging it.
    var rpcTimeout: Duration = .seconds(20)

    private var options: CallOptions { CallOptions(timeout: rpcTimeout) }

    func run(_ testCase: InteropCase) async throws {
        let channel = GRPCChannel(host: host, port: port)
        defer { channel.close() }
        do {
            switch testCase {
            case .emptyUnary: try await emptyUnary(channel)
            case .largeUnary: try await largeUnary(channel)
            case .clientStreaming: try await clientStreaming(channel)
            case .serverStreaming: try await serverStreaming(channel)
            case .pingPong: try await pingPong(channel)
            case .emptyStream: try await emptyStream(channel)
            case .customMetadata: try await customMetadata(channel)
            case .statusCodeAndMessage: try await statusCodeAndMessage(channel)
            case .specialStatusMessage: try await specialStatusMessage(channel)
            case .unimplementedMethod: try await unimplementedMethod(channel)
            case .unimplementedService: try await unimplementedService(channel)
            case .cancelAfterBegin: try await cancelAfterBegin(channel)
            case .cancelAfterFirstResponse: try await cancelAfterFirstResponse(channel)
            case .timeoutOnSleepingServer: try await timeoutOnSleepingServer(channel)
            case .clientCompressedUnary: try await clientCompressedUnary(channel)
            case .serverCompressedUnary: try await serverCompressedUnary(channel)
            case .clientCompressedStreaming: try await clientCompressedStreaming(channel)
            case .serverCompressedStreaming: try await serverCompressedStreaming(channel)
            case .search: try await search(channel)
            case .monitor: try await monitor(channel)
            case .health: try await health(channel)
            }
        } catch let error as RPCError {
            throw InteropFailure("unexpected RPC failure \(error.code): \(String(reflecting: error.message))")
        }
    }

    // MARK: Checks

    private func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw InteropFailure(message()) }
    }

    private func expectZeros(_ payload: Grpc_Testing_Payload?, _ size: Int, _ what: String = "response payload") throws {
        guard let payload else { throw InteropFailure("\(what) is missing, expected \(size) zero bytes") }
        try expect(payload.body.count == size, "\(what) is \(payload.body.count) bytes, expected \(size)")
        try expect(payload.body.allSatisfy { $0 == 0 }, "\(what) is not all zeros")
    }

    /// Runs `body`, which must fail with `code` (and `message`, if given).
    private func expectStatus(
        _ code: RPCError.Code, _ message: String? = nil, _ what: String,
        _ body: () async throws -> Void
    ) async throws {
        do {
            try await body()
        } catch let error as RPCError {
            try expect(error.code == code, "\(what) ended with \(error.code) (\(String(reflecting: error.message))), expected \(code)")
            if let message {
                try expect(
                    error.message == message,
                    "\(what) status message is \(String(reflecting: error.message)), expected \(String(reflecting: message))"
                )
            }
            return
        } catch let error as InteropFailure {
            throw error
        } catch {
            throw InteropFailure("\(what) failed with \(type(of: error)) \(error), expected status \(code)")
        }
        throw InteropFailure("\(what) succeeded, expected status \(code)")
    }

    private static func largeUnaryRequest() -> Grpc_Testing_SimpleRequest {
        Grpc_Testing_SimpleRequest(responseType: .compressable, responseSize: 314159, payload: Interop.zeros(271828))
    }

    // MARK: Cases

    private func emptyUnary(_ channel: GRPCChannel) async throws {
        let response = try await Grpc_Testing_TestService.Client(channel: channel).emptyCall(Grpc_Testing_Empty(), options: options)
        try expect(response == Grpc_Testing_Empty(), "response is \(response), expected an empty grpc.testing.Empty")
    }

    private func largeUnary(_ channel: GRPCChannel) async throws {
        let response = try await Grpc_Testing_TestService.Client(channel: channel).unaryCall(Self.largeUnaryRequest(), options: options)
        try expectZeros(response.payload, 314159)
    }

    private func clientStreaming(_ channel: GRPCChannel) async throws {
        let sizes: [Int32] = [27182, 8, 1828, 45904]
        let response = try await Grpc_Testing_TestService.Client(channel: channel).streamingInputCall(options: options) { writer in
            for size in sizes {
                try await writer.write(Grpc_Testing_StreamingInputCallRequest(payload: Interop.zeros(size)))
            }
        }
        try expect(
            response.aggregatedPayloadSize == 74922,
            "aggregated_payload_size is \(response.aggregatedPayloadSize), expected 74922"
        )
    }

    private func serverStreaming(_ channel: GRPCChannel) async throws {
        let sizes: [Int32] = [31415, 9, 2653, 58979]
        let request = Grpc_Testing_StreamingOutputCallRequest(
            responseType: .compressable, responseParameters: sizes.map { Grpc_Testing_ResponseParameters(size: $0) }
        )
        let responses = try await Grpc_Testing_TestService.Client(channel: channel).streamingOutputCall(request, options: options) { stream in
            var all: [Grpc_Testing_StreamingOutputCallResponse] = []
            for try await response in stream { all.append(response) }
            return all
        }
        try expect(responses.count == 4, "got \(responses.count) responses, expected 4")
        for (i, (response, size)) in zip(responses, sizes).enumerated() {
            try expectZeros(response.payload, Int(size), "response \(i) payload")
        }
    }

    private func pingPong(_ channel: GRPCChannel) async throws {
        let pairs: [(response: Int32, request: Int32)] = [(31415, 27182), (9, 8), (2653, 1828), (58979, 45904)]
        // Each response lets the next request go: the requests wait for this signal.
        let (received, signal) = AsyncStream<Void>.makeStream()
        let responses = try await Grpc_Testing_TestService.Client(channel: channel).fullDuplexCall(options: options) { writer in
            var responded = received.makeAsyncIterator()
            for pair in pairs {
                try await writer.write(Grpc_Testing_StreamingOutputCallRequest(
                    responseType: .compressable, responseParameters: [Grpc_Testing_ResponseParameters(size: pair.response)],
                    payload: Interop.zeros(pair.request)
                ))
                // The stream ended early: half-close, the size check below reports it.
                guard await responded.next() != nil else { return }
            }
        } responses: { stream in
            defer { signal.finish() }
            var all: [Grpc_Testing_StreamingOutputCallResponse] = []
            for try await response in stream {
                all.append(response)
                signal.yield()
            }
            return all
        }
        try expect(responses.count == 4, "got \(responses.count) responses, expected 4 (one per request, then none after half-close)")
        for (i, (response, pair)) in zip(responses, pairs).enumerated() {
            try expectZeros(response.payload, Int(pair.response), "response \(i) payload")
        }
    }

    private func emptyStream(_ channel: GRPCChannel) async throws {
        let count = try await Grpc_Testing_TestService.Client(channel: channel).fullDuplexCall(options: options) { _ in
        } responses: { stream in
            var count = 0
            for try await _ in stream { count += 1 }
            return count
        }
        try expect(count == 0, "got \(count) responses, expected none")
    }

    private func expectEchoedMetadata(headers: Metadata, trailers: Metadata, _ what: String) throws {
        let initial = headers[stringValues: Interop.echoInitialKey]
        try expect(
            initial == [Interop.echoInitialValue],
            "\(what): response header \(Interop.echoInitialKey) is \(initial), expected [\"\(Interop.echoInitialValue)\"]"
                + " (all headers: \(Array(headers)))"
        )
        let trailing = trailers[binaryValues: Interop.echoTrailingKey]
        try expect(
            trailing == [Interop.echoTrailingValue],
            "\(what): trailer \(Interop.echoTrailingKey) is \(trailing), expected [\(Interop.echoTrailingValue)]"
                + " (all trailers: \(Array(trailers)))"
        )
    }

    private func customMetadata(_ channel: GRPCChannel) async throws {
        var options = self.options
        options.metadata.add(Interop.echoInitialKey, Interop.echoInitialValue)
        options.metadata.add(Interop.echoTrailingKey, binary: Interop.echoTrailingValue)

        let unary = try await channel.unary(Grpc_Testing_TestService.Method.unaryCall, Self.largeUnaryRequest(), options: options)
        try expectZeros(unary.message.payload, 314159, "UnaryCall response payload")
        try expectEchoedMetadata(headers: unary.headers, trailers: unary.trailers, "UnaryCall")

        let request = Grpc_Testing_StreamingOutputCallRequest(
            responseType: .compressable, responseParameters: [Grpc_Testing_ResponseParameters(size: 314159)],
            payload: Interop.zeros(271828)
        )
        let (responses, headers, trailers) = try await channel.bidirectionalStreaming(
            Grpc_Testing_TestService.Method.fullDuplexCall, options: options
        ) { writer in
            try await writer.write(request)
        } responses: { stream in
            var all: [Grpc_Testing_StreamingOutputCallResponse] = []
            for try await response in stream { all.append(response) }
            return (all, try await stream.responseHeaders(), stream.trailers)
        }
        try expect(responses.count == 1, "FullDuplexCall: got \(responses.count) responses, expected 1")
        try expectZeros(responses[0].payload, 314159, "FullDuplexCall response payload")
        try expectEchoedMetadata(headers: headers, trailers: trailers, "FullDuplexCall")
    }

    private func checkEchoStatus(_ channel: GRPCChannel, message: String) async throws {
        let client = Grpc_Testing_TestService.Client(channel: channel)
        let status = Grpc_Testing_EchoStatus(code: 2, message: message)
        try await expectStatus(.unknown, message, "UnaryCall") {
            _ = try await client.unaryCall(Grpc_Testing_SimpleRequest(responseStatus: status), options: options)
        }
    }

    private func statusCodeAndMessage(_ channel: GRPCChannel) async throws {
        let message = "test status message"
        try await checkEchoStatus(channel, message: message)
        let request = Grpc_Testing_StreamingOutputCallRequest(responseStatus: Grpc_Testing_EchoStatus(code: 2, message: message))
        try await expectStatus(.unknown, message, "FullDuplexCall") {
            _ = try await Grpc_Testing_TestService.Client(channel: channel).fullDuplexCall(options: options) { writer in
                try await writer.write(request)
            } responses: { stream in
                var count = 0
                for try await _ in stream { count += 1 }
                return count
            }
        }
    }

    private func specialStatusMessage(_ channel: GRPCChannel) async throws {
        try await checkEchoStatus(channel, message: Interop.specialStatusMessage)
    }

    private func unimplementedMethod(_ channel: GRPCChannel) async throws {
        try await expectStatus(.unimplemented, nil, "grpc.testing.TestService/UnimplementedCall") {
            _ = try await Grpc_Testing_TestService.Client(channel: channel).unimplementedCall(Grpc_Testing_Empty(), options: options)
        }
    }

    private func unimplementedService(_ channel: GRPCChannel) async throws {
        try await expectStatus(.unimplemented, nil, "grpc.testing.UnimplementedService/UnimplementedCall") {
            _ = try await Grpc_Testing_UnimplementedService.Client(channel: channel).unimplementedCall(Grpc_Testing_Empty(), options: options)
        }
    }

    private func cancelAfterBegin(_ channel: GRPCChannel) async throws {
        let client = Grpc_Testing_TestService.Client(channel: channel)
        let options = self.options
        let (begun, begin) = AsyncStream<Void>.makeStream()
        let call = Task {
            try await client.streamingInputCall(options: options) { _ in
                // The request headers are out; no message is sent before the cancellation.
                begin.yield()
                try await Task.sleep(for: .seconds(60))
            }
        }
        var iterator = begun.makeAsyncIterator()
        _ = await iterator.next()
        call.cancel()
        try await expectStatus(.cancelled, nil, "StreamingInputCall cancelled after it began") {
            _ = try await call.value
        }
    }

    private func cancelAfterFirstResponse(_ channel: GRPCChannel) async throws {
        let client = Grpc_Testing_TestService.Client(channel: channel)
        let options = self.options
        let request = Grpc_Testing_StreamingOutputCallRequest(
            responseType: .compressable, responseParameters: [Grpc_Testing_ResponseParameters(size: 31415)],
            payload: Interop.zeros(27182)
        )
        let (firstResponses, first) = AsyncStream<Grpc_Testing_StreamingOutputCallResponse>.makeStream()
        let call = Task {
            try await client.fullDuplexCall(options: options) { writer in
                try await writer.write(request)
                try await Task.sleep(for: .seconds(60))  // the stream stays open
            } responses: { stream in
                defer { first.finish() }
                var count = 0
                for try await response in stream {
                    count += 1
                    first.yield(response)
                }
                return count
            }
        }
        var iterator = firstResponses.makeAsyncIterator()
        guard let response = await iterator.next() else {
            let outcome = await call.result
            throw InteropFailure("the call ended before its first response: \(outcome)")
        }
        call.cancel()
        try expectZeros(response.payload, 31415, "first response payload")
        try await expectStatus(.cancelled, nil, "FullDuplexCall cancelled after the first response") {
            _ = try await call.value
        }
    }

    private func timeoutOnSleepingServer(_ channel: GRPCChannel) async throws {
        let client = Grpc_Testing_TestService.Client(channel: channel)
        // Connect first, so the 1 ms deadline is spent on the call, not on connecting.
        _ = try await client.emptyCall(Grpc_Testing_Empty(), options: options)
        let request = Grpc_Testing_StreamingOutputCallRequest(payload: Interop.zeros(27182))
        try await expectStatus(.deadlineExceeded, nil, "FullDuplexCall with a 1 ms deadline") {
            _ = try await client.fullDuplexCall(options: CallOptions(timeout: .milliseconds(1))) { writer in
                try await writer.write(request)
                try await Task.sleep(for: .seconds(60))  // the stream stays open
            } responses: { stream in
                var count = 0
                for try await _ in stream { count += 1 }
                return count
            }
        }
    }

    private func clientCompressedUnary(_ channel: GRPCChannel) async throws {
        let client = Grpc_Testing_TestService.Client(channel: channel)
        var compressed = options
        compressed.compression = .gzip
        var probe = Self.largeUnaryRequest()
        probe.expectCompressed = Grpc_Testing_BoolValue(value: true)
        try await expectStatus(.invalidArgument, nil, "probe (uncompressed request with expect_compressed=true)") {
            _ = try await client.unaryCall(probe, options: options)
        }
        let response = try await client.unaryCall(probe, options: compressed)
        try expectZeros(response.payload, 314159, "response to the compressed request")

        var plain = Self.largeUnaryRequest()
        plain.expectCompressed = Grpc_Testing_BoolValue(value: false)
        let plainResponse = try await client.unaryCall(plain, options: options)
        try expectZeros(plainResponse.payload, 314159, "response to the uncompressed request")
    }

    private func serverCompressedUnary(_ channel: GRPCChannel) async throws {
        let client = Grpc_Testing_TestService.Client(channel: channel)
        for compressed in [true, false] {
            var request = Self.largeUnaryRequest()
            request.responseCompressed = Grpc_Testing_BoolValue(value: compressed)
            let response = try await client.unaryCall(request, options: options)
            try expectZeros(response.payload, 314159, "response payload (response_compressed=\(compressed))")
        }
    }

    private func clientCompressedStreaming(_ channel: GRPCChannel) async throws {
        let client = Grpc_Testing_TestService.Client(channel: channel)
        let options = self.options
        @Sendable func request(_ size: Int32, expectCompressed: Bool) -> Grpc_Testing_StreamingInputCallRequest {
            Grpc_Testing_StreamingInputCallRequest(payload: Interop.zeros(size), expectCompressed: Grpc_Testing_BoolValue(value: expectCompressed))
        }
        try await expectStatus(.invalidArgument, nil, "probe (uncompressed message with expect_compressed=true)") {
            _ = try await client.streamingInputCall(options: options) { writer in
                try await writer.write(request(27182, expectCompressed: true))
            }
        }
        var compressed = options
        compressed.compression = .gzip
        let response = try await client.streamingInputCall(options: compressed) { writer in
            try await writer.write(request(27182, expectCompressed: true))
            try await writer.write(request(45904, expectCompressed: false), compressed: false)
        }
        try expect(
            response.aggregatedPayloadSize == 73086,
            "aggregated_payload_size is \(response.aggregatedPayloadSize), expected 73086"
        )
    }

    private func serverCompressedStreaming(_ channel: GRPCChannel) async throws {
        let request = Grpc_Testing_StreamingOutputCallRequest(responseType: .compressable, responseParameters: [
            Grpc_Testing_ResponseParameters(size: 31415, compressed: Grpc_Testing_BoolValue(value: true)),
            Grpc_Testing_ResponseParameters(size: 92653, compressed: Grpc_Testing_BoolValue(value: false)),
        ])
        let responses = try await Grpc_Testing_TestService.Client(channel: channel).streamingOutputCall(request, options: options) { stream in
            var all: [Grpc_Testing_StreamingOutputCallResponse] = []
            for try await response in stream { all.append(response) }
            return all
        }
        try expect(responses.count == 2, "got \(responses.count) responses, expected 2")
        try expectZeros(responses[0].payload, 31415, "response 0 payload")
        try expectZeros(responses[1].payload, 92653, "response 1 payload")
    }

    private func search(_ channel: GRPCChannel) async throws {
        let client = Search.Client(channel: channel)
        func texts(_ query: String, _ lat: String, _ lng: String, _ count: Int) -> [String] {
            (0..<count).map { "\(query)@\(lat),\(lng)#\($0)" }
        }
        // Coordinates exactly representable as Float, printed the same in Swift and Python.
        let checks: [(SearchRequest, [String])] = [
            (SearchRequest(query: "interop", lat: 52.5, lng: 13.25, pageNumber: 0, resultPerPage: 2), texts("interop", "52.5", "13.25", 2)),
            (SearchRequest(query: "sydney", lat: -33.875, lng: 151.25, pageNumber: 1), texts("sydney", "-33.875", "151.25", 3)),
            (SearchRequest(), texts("", "0.0", "0.0", 3)),
        ]
        for (request, expected) in checks {
            let got = try await client.search(request, options: options).responses.map(\.response)
            try expect(got == expected, "search(\(request)) answered \(got), expected \(expected)")
        }
        try await expectStatus(.invalidArgument, "negative page", "search(page_number: -1)") {
            _ = try await client.search(SearchRequest(query: "x", pageNumber: -1), options: options)
        }
    }

    private func monitor(_ channel: GRPCChannel) async throws {
        let response = try await Search.Client(channel: channel).monitor(Google_Protobuf_Empty(), options: options)
        try expect(response.nThings == 42, "n_things is \(response.nThings), expected 42")
    }

    private func health(_ channel: GRPCChannel) async throws {
        let response = try await Grpc_Health_V1_Health.Client(channel: channel).check(
            Grpc_Health_V1_HealthCheckRequest(service: ""), options: options
        )
        try expect(response.status == .serving, "overall health is \(response.status), expected SERVING")
    }
}
