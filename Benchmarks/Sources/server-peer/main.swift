// The Search service and its streaming variants on grpc-swift-2 with grpc-swift-nio-transport's
// HTTP/2 Posix transport, for the RPC benchmark: the same answers as server-ours.
//   server-peer [--port N]   prints "listening on N", serves until killed.
import GRPCCore
import GRPCNIOTransportHTTP2
import PeerRPC
import SwiftProtobuf

let names = (0..<1000).map { "place number \($0) in Berlin" }

func count(_ request: SearchRequest) -> Int { request.resultPerPage == 0 ? 10 : min(Int(request.resultPerPage), names.count) }

struct Searcher: Search.SimpleServiceProtocol {
    /// As in server-ours: the answers to the counts the benchmark asks for, built once.
    let answers = Dictionary(uniqueKeysWithValues: [10, 100].map { ($0, Self.answer($0)) })

    static func answer(_ count: Int) -> SearchResponses {
        SearchResponses.with { $0.responses = names.prefix(count).map { name in SearchResponse.with { $0.response = name } } }
    }

    func search(request: SearchRequest, context: ServerContext) async throws -> SearchResponses {
        let wanted = count(request)
        return answers[wanted] ?? Self.answer(wanted)
    }

    func monitor(request: Google_Protobuf_Empty, context: ServerContext) async throws -> MonitorResponse {
        MonitorResponse.with { $0.nThings = Int32(names.count) }
    }
}

struct Streamer: SearchStream.SimpleServiceProtocol {
    let first = SearchResponse.with { $0.response = names[0] }

    func searchStream(request: SearchRequest, response: RPCWriter<SearchResponse>, context: ServerContext) async throws {
        for name in names.prefix(count(request)) { try await response.write(SearchResponse.with { $0.response = name }) }
    }

    func tally(request: RPCAsyncSequence<SearchRequest, any Error>, context: ServerContext) async throws -> MonitorResponse {
        var n: Int32 = 0
        for try await _ in request { n += 1 }
        return MonitorResponse.with { $0.nThings = n }
    }

    func answerEach(
        request: RPCAsyncSequence<SearchRequest, any Error>, response: RPCWriter<SearchResponse>, context: ServerContext
    ) async throws {
        for try await _ in request { try await response.write(first) }
    }
}

var port = 50062
if let i = CommandLine.arguments.firstIndex(of: "--port"), i + 1 < CommandLine.arguments.count { port = Int(CommandLine.arguments[i + 1]) ?? port }

let server = GRPCServer(
    transport: .http2NIOPosix(address: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext),
    services: [Searcher(), Streamer()])
try await withThrowingDiscardingTaskGroup { group in
    group.addTask { try await server.serve() }
    if let address = try await server.listeningAddress?.ipv4 { print("listening on \(address.port)") }
}
