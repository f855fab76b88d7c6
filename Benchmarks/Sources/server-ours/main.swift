// The Search service and its streaming variants on this project's GRPCRuntime, for the RPC
// benchmark. Answers every search with `result_per_page` fixed places (10 when 0); the
// grpc-swift-2 server in server-peer answers the same bytes.
//   server-ours [--port N]   prints "listening on N", serves until killed.
import GRPCRuntime
import Logging
import OursRPC
import ProtoWire

let names = (0..<1000).map { "place number \($0) in Berlin" }

func count(_ request: SearchRequest) -> Int { request.resultPerPage == 0 ? 10 : min(Int(request.resultPerPage), names.count) }

struct Searcher: Search.Servicer {
    /// The answers to the counts the benchmark asks for, built once; any other count is built per
    /// call. (A table of every count up to 1,000 held 500,500 responses, heap that the peak-RSS
    /// row measured instead of the server.)
    let answers = Dictionary(uniqueKeysWithValues: [10, 100].map { ($0, Self.answer($0)) })

    static func answer(_ count: Int) -> SearchResponses {
        SearchResponses(responses: names.prefix(count).map { SearchResponse(response: $0) })
    }

    func search(request: SearchRequest, context: ServerContext) async throws -> SearchResponses {
        let wanted = count(request)
        return answers[wanted] ?? Self.answer(wanted)
    }

    func monitor(request: Google_Protobuf_Empty, context: ServerContext) async throws -> MonitorResponse {
        MonitorResponse(nThings: Int32(names.count))
    }
}

struct Streamer: SearchStream.Servicer {
    let first = SearchResponse(response: names[0])

    func searchStream(request: SearchRequest, responses: ResponseWriter<SearchResponse>, context: ServerContext) async throws {
        for name in names.prefix(count(request)) { try await responses.write(SearchResponse(response: name)) }
    }

    func tally(requests: RequestStream<SearchRequest>, context: ServerContext) async throws -> MonitorResponse {
        var n: Int32 = 0
        for try await _ in requests { n += 1 }
        return MonitorResponse(nThings: n)
    }

    func answerEach(requests: RequestStream<SearchRequest>, responses: ResponseWriter<SearchResponse>, context: ServerContext) async throws {
        for try await _ in requests { try await responses.write(first) }
    }
}

var port = 50061
if let i = CommandLine.arguments.firstIndex(of: "--port"), i + 1 < CommandLine.arguments.count { port = Int(CommandLine.arguments[i + 1]) ?? port }

// No access log line per call: grpc-swift-2 writes none either.
var logger = Logger(label: "server-ours")
logger.logLevel = .warning
let server = GRPCServer(configuration: .init(host: "127.0.0.1", port: port), services: [Searcher(), Streamer()], logger: logger)
try await withThrowingDiscardingTaskGroup { group in
    group.addTask { try await server.serve() }
    let address = try await server.listeningAddress
    print("listening on \(address.port ?? port)")
}
