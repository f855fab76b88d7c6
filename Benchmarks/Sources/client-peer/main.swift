// Unary calls from grpc-swift-2's client (grpc-swift-nio-transport's HTTP/2 Posix transport,
// grpc-swift-protobuf's serializers) to a server: client-ours's counterpart, for the client row
// of the RPC benchmark (CPU per call of this process, all its threads, and calls per second).
// PeerRPC is generated without client stubs, so the call is made as the generated stub makes it:
// `GRPCClient.unary` with the method's descriptor and protobuf serializers.
//   client-peer --port N [--calls K] [--concurrency C]
// Prints one line: `calls K concurrency C cpu_per_call_us X rps Y`.
import ClientTiming
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import PeerMessages

let port = argument("--port", 50061)

try await withGRPCClient(
    transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
) { grpc in
    let method = MethodDescriptor(fullyQualifiedService: "Search", method: "search")
    @Sendable func search(_ request: SearchRequest) async throws -> SearchResponses {
        try await grpc.unary(
            request: ClientRequest(message: request), descriptor: method, serializer: ProtobufSerializer<SearchRequest>(),
            deserializer: ProtobufDeserializer<SearchResponses>(), options: .defaults
        ) { try $0.message }
    }
    let request = SearchRequest.with {
        $0.query = "berlin"
        $0.lat = 52.52
        $0.lng = 13.40
        $0.resultPerPage = 10
    }

    try await timeCalls { _ = try await search(request) }
}
