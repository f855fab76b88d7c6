import Foundation
import GeneratedFixtures
import GRPCRuntime
import ProtoWire

/// Names and values the interop spec fixes.
enum Interop {
    static let echoInitialKey = "x-grpc-test-echo-initial"
    static let echoInitialValue = "test_initial_metadata_value"
    static let echoTrailingKey = "x-grpc-test-echo-trailing-bin"
    static let echoTrailingValue: [UInt8] = [0xAB, 0xAB, 0xAB]
    static let specialStatusMessage = "\t\ntest with whitespace\r\nand Unicode BMP \u{263A} and non-BMP \u{1F608}\t\n"

    /// A COMPRESSABLE payload of `size` zero bytes.
    static func zeros(_ size: Int32) -> Grpc_Testing_Payload {
        Grpc_Testing_Payload(type: .compressable, body: Data(count: Int(size)))
    }
}

/// `grpc.testing.TestService` as the interop spec describes it, answering like the Python
/// peer (Tests/Interop/interop_server.py) so both servers can be held to the same cases.
struct InteropTestService: Grpc_Testing_TestService.Servicer {
    /// The Echo Metadata feature: `x-grpc-test-echo-initial` back as a response header,
    /// `x-grpc-test-echo-trailing-bin` back as a trailer.
    private func echoMetadata(_ context: ServerContext) {
        let initial = context.requestMetadata[stringValues: Interop.echoInitialKey]
        if !initial.isEmpty {
            var headers = Metadata()
            for value in initial { headers.add(Interop.echoInitialKey, value) }
            context.addResponseHeaders(headers)
        }
        let trailing = context.requestMetadata[binaryValues: Interop.echoTrailingKey]
        if !trailing.isEmpty {
            var trailers = Metadata()
            for value in trailing { trailers.add(Interop.echoTrailingKey, binary: value) }
            context.addTrailers(trailers)
        }
    }

    /// The Echo Status feature: a non-zero `response_status` ends the call with it.
    private func echoStatus(_ status: Grpc_Testing_EchoStatus?) throws {
        guard let status, status.code != 0 else { return }
        throw RPCError(RPCError.Code(rawValue: Int(status.code)), status.message)
    }

    private func checkResponseType(_ type: Grpc_Testing_PayloadType) throws {
        guard type == .compressable else {
            throw RPCError(.invalidArgument, "unsupported response_type \(type.rawValue)")
        }
    }

    func emptyCall(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        echoMetadata(context)
        return Grpc_Testing_Empty()
    }

    func unaryCall(request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        echoMetadata(context)
        // The CompressedRequest feature: the request must have arrived as the client claims.
        if let expected = request.expectCompressed, expected.value != context.requestCompressed {
            throw RPCError(.invalidArgument, "expected a \(expected.value ? "compressed" : "uncompressed") request")
        }
        try echoStatus(request.responseStatus)
        try checkResponseType(request.responseType)
        if let compressed = request.responseCompressed {
            context.compressResponses(with: compressed.value ? .gzip : .identity)
        }
        var response = Grpc_Testing_SimpleResponse(payload: Interop.zeros(request.responseSize))
        if request.fillServerId {
            response.serverId = "swift-grpc-toolkit-interop-server"
            response.hostname = ProcessInfo.processInfo.hostName
        }
        return response
    }

    func cacheableUnaryCall(request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        context.addResponseHeaders(["cache-control": "max-age=60, public"])
        let now = UInt64(Date().timeIntervalSince1970 * 1e9)
        return Grpc_Testing_SimpleResponse(payload: Grpc_Testing_Payload(type: .compressable, body: Data("\(now)".utf8)))
    }

    /// Writes the responses one StreamingOutputCallRequest asks for.
    private func respond(
        to request: Grpc_Testing_StreamingOutputCallRequest,
        with responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>
    ) async throws {
        try checkResponseType(request.responseType)
        for parameters in request.responseParameters {
            if parameters.intervalUs > 0 {
                try await Task.sleep(for: .microseconds(Int(parameters.intervalUs)))
            }
            try await responses.write(
                Grpc_Testing_StreamingOutputCallResponse(payload: Interop.zeros(parameters.size)),
                compressed: parameters.compressed?.value ?? false
            )
        }
    }

    private func prepareCompression(_ context: ServerContext, for requests: [Grpc_Testing_StreamingOutputCallRequest]) {
        if requests.contains(where: { $0.responseParameters.contains { $0.compressed?.value == true } }) {
            context.compressResponses(with: .gzip)
        }
    }

    func streamingOutputCall(
        request: Grpc_Testing_StreamingOutputCallRequest,
        responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        echoMetadata(context)
        try echoStatus(request.responseStatus)
        prepareCompression(context, for: [request])
        try await respond(to: request, with: responses)
    }

    func streamingInputCall(
        requests: RequestStream<Grpc_Testing_StreamingInputCallRequest>, context: ServerContext
    ) async throws -> Grpc_Testing_StreamingInputCallResponse {
        echoMetadata(context)
        var total = 0
        for try await request in requests {
            // The CompressedRequest feature, per message, as the Python peer checks it.
            if request.expectCompressed?.value == true, !context.requestCompressed {
                throw RPCError(.invalidArgument, "expected a compressed request message, got an uncompressed one")
            }
            total += request.payload?.body.count ?? 0
        }
        return Grpc_Testing_StreamingInputCallResponse(aggregatedPayloadSize: Int32(total))
    }

    func fullDuplexCall(
        requests: RequestStream<Grpc_Testing_StreamingOutputCallRequest>,
        responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        echoMetadata(context)
        var compressionSet = false
        for try await request in requests {
            try echoStatus(request.responseStatus)
            if !compressionSet, request.responseParameters.contains(where: { $0.compressed?.value == true }) {
                context.compressResponses(with: .gzip)
                compressionSet = true
            }
            try await respond(to: request, with: responses)
        }
    }

    func halfDuplexCall(
        requests: RequestStream<Grpc_Testing_StreamingOutputCallRequest>,
        responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        echoMetadata(context)
        var all: [Grpc_Testing_StreamingOutputCallRequest] = []
        for try await request in requests { all.append(request) }
        for request in all { try echoStatus(request.responseStatus) }
        prepareCompression(context, for: all)
        for request in all { try await respond(to: request, with: responses) }
    }

    func unimplementedCall(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        throw RPCError(.unimplemented, "UnimplementedCall is not implemented, on purpose")
    }
}
