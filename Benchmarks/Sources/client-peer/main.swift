// Unary calls from grpc-swift-2's client (grpc-swift-nio-transport's HTTP/2 Posix transport,
// grpc-swift-protobuf's serializers) to a server: client-ours's counterpart, for the client row
// of the RPC benchmark (CPU per call of this process, all its threads, and calls per second).
// PeerRPC is generated without client stubs, so the call is made as the generated stub makes it:
// `GRPCClient.unary` with the method's descriptor and protobuf serializers.
//   client-peer --port N [--calls K] [--concurrency C]
// Prints one line: `calls K concurrency C cpu_per_call_us X rps Y`.
#if canImport(Glibc)
import Glibc
#endif
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import PeerMessages

func argument(_ name: String, _ fallback: Int) -> Int {
    guard let i = CommandLine.arguments.firstIndex(of: name), i + 1 < CommandLine.arguments.count else { return fallback }
    return Int(CommandLine.arguments[i + 1]) ?? fallback
}

func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

let port = argument("--port", 50061)
let calls = argument("--calls", 20000)
let concurrency = argument("--concurrency", 1)

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

    // Warm-up: the connection, and the first calls' allocations.
    for _ in 0..<200 { _ = try await search(request) }

    let perTask = calls / concurrency
    let cpu0 = cpuSeconds()
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                for _ in 0..<perTask { _ = try await search(request) }
            }
        }
        try await group.waitForAll()
    }
    let elapsed = ContinuousClock.now - start
    let cpu = cpuSeconds() - cpu0
    let done = perTask * concurrency
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("calls \(done) concurrency \(concurrency) cpu_per_call_us \((cpu / Double(done) * 1e7).rounded() / 10) rps \(Int(Double(done) / seconds))")
}
