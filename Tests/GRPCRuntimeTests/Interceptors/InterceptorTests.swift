import GeneratedFixtures
import GRPCRuntime
import GRPCTestSupport
import Logging
import NIOConcurrencyHelpers
import ProtoWire
import Testing

/// Records what it sees, in a log shared by several interceptors.
final class InterceptionLog: Sendable {
    private let entries = NIOLockedValueBox<[String]>([])
    func add(_ entry: String) { entries.withLockedValue { $0.append(entry) } }
    var all: [String] { entries.withLockedValue { $0 } }
}

struct RecordingServerInterceptor: ServerInterceptor {
    let name: String
    let log: InterceptionLog

    func intercept<Request, Response>(
        _ call: ServerCall<Request, Response>, next: @Sendable (ServerCall<Request, Response>) async throws -> Void
    ) async throws {
        log.add("\(name) in \(call.context.method.path) \(call.context.method.kind) deadline:\(call.context.deadline != nil)")
        do {
            try await next(call)
            log.add("\(name) out OK")
        } catch {
            log.add("\(name) out \(RPCError(ending: error).code)")
            throw error
        }
    }
}

struct RecordingClientInterceptor: ClientInterceptor {
    let name: String
    let log: InterceptionLog

    func intercept<Request, Response, Result: Sendable>(
        _ call: ClientCall<Request, Response, Result>, next: @Sendable (ClientCall<Request, Response, Result>) async throws -> Result
    ) async throws -> Result {
        log.add("\(name) in \(call.method.path) deadline:\(call.deadline != nil)")
        do {
            let result = try await next(call)
            log.add("\(name) out OK")
            return result
        } catch {
            log.add("\(name) out \(RPCError(ending: error).code)")
            throw error
        }
    }
}

/// Changes messages both ways: the query upper-cased on the way in, a suffix on every answer
/// on the way out, and a status turned into another.
struct RewritingServerInterceptor: ServerInterceptor {
    func intercept<Request, Response>(
        _ call: ServerCall<Request, Response>, next: @Sendable (ServerCall<Request, Response>) async throws -> Void
    ) async throws {
        var call = call
        call.requests = call.requests.map { request in
            guard var search = request as? SearchRequest else { return request }
            search.query = search.query.uppercased()
            return search as! Request
        }
        let responses = call.responses
        call.responses = ResponseWriter { response, compressed in
            guard var answer = response as? SearchResponses else { return try await responses.write(response, compressed: compressed) }
            answer.responses.append(SearchResponse(response: "rewritten"))
            try await responses.write(answer as! Response, compressed: compressed)
        }
        call.context.addResponseHeaders(["x-intercepted": "yes"])
        do {
            try await next(call)
        } catch let error as RPCError where error.code == .invalidArgument {
            throw RPCError(.failedPrecondition, "rewritten: \(error.message)")
        }
    }
}

@Suite struct InterceptorTests {
    @Test(arguments: TestTransport.allCases)
    func aBearerTokenIsAddedByTheClientAndCheckedByTheServer(_ transport: TestTransport) async throws {
        let probe = ProbeService()
        let server: [any ServerInterceptor] = [RequireBearerToken(accepted: ["s3cret"])] + GRPCServer.defaultInterceptors
        try await withChannel(transport, services: [probe], serverInterceptors: server) { _, channel in
            await #expect(throws: RPCError(.unauthenticated, "a valid bearer token is required")) {
                try await Search.Client(channel: channel).search(SearchRequest(query: "no token"))
            }
            #expect(probe.counts.withLockedValue { $0.started } == 0, "the handler ran without a token")
        }
        try await withChannel(
            transport, services: [probe], serverInterceptors: server, clientInterceptors: [BearerToken(token: "s3cret")]
        ) { _, channel in
            let response = try await Search.Client(channel: channel).search(SearchRequest(query: "with token"))
            #expect(response.responses.map(\.response) == ["with token"])
        }
        try await withChannel(
            transport, services: [probe], serverInterceptors: server, clientInterceptors: [BearerToken(token: "wrong")]
        ) { _, channel in
            await #expect(throws: RPCError.self) { try await Search.Client(channel: channel).search(SearchRequest(query: "bad token")) }
        }
    }

    @Test func interceptorsRunInOrderAroundTheCallAndSeeItsMethodDeadlineAndStatus() async throws {
        let log = InterceptionLog()
        let server: [any ServerInterceptor] = [RecordingServerInterceptor(name: "s1", log: log), RecordingServerInterceptor(name: "s2", log: log)]
        let client: [any ClientInterceptor] = [RecordingClientInterceptor(name: "c1", log: log), RecordingClientInterceptor(name: "c2", log: log)]
        try await withChannel(.inProcess, services: [ProbeService()], serverInterceptors: server, clientInterceptors: client) { _, channel in
            _ = try await Search.Client(channel: channel).search(SearchRequest(query: "ok"), options: CallOptions(timeout: .seconds(30)))
        }
        #expect(log.all == [
            "c1 in /Search/search deadline:true", "c2 in /Search/search deadline:true",
            "s1 in /Search/search unary deadline:true", "s2 in /Search/search unary deadline:true",
            "s2 out OK", "s1 out OK", "c2 out OK", "c1 out OK",
        ])
    }

    @Test func serverInterceptorsSeeFailuresCancellationsAndUnknownMethods() async throws {
        let log = InterceptionLog()
        try await withChannel(.inProcess, services: [ProbeService()], serverInterceptors: [RecordingServerInterceptor(name: "s", log: log)]) { _, channel in
            _ = try? await Search.Client(channel: channel).search(SearchRequest(query: "invalid"))
            _ = try? await Grpc_Testing_TestService.Client(channel: channel).emptyCall(Grpc_Testing_Empty())
            _ = try? await Search.Client(channel: channel).search(SearchRequest(query: "sleep"), options: CallOptions(timeout: .milliseconds(200)))
        }
        let outcomes = log.all.filter { $0.hasPrefix("s out") }
        // The client's deadline resets the stream at about the time the server's own passes
        // (which starts when the call arrives): the server sees whichever comes first.
        #expect(outcomes.prefix(2) == ["s out INVALID_ARGUMENT", "s out UNIMPLEMENTED"])
        #expect(outcomes.count == 3 && ["s out DEADLINE_EXCEEDED", "s out CANCELLED"].contains(outcomes[2]), "\(outcomes)")
        #expect(log.all.contains("s in /grpc.testing.TestService/EmptyCall bidirectionalStreaming deadline:false"))
    }

    @Test(arguments: TestTransport.allCases)
    func serverInterceptorsChangeRequestsResponsesHeadersAndStatus(_ transport: TestTransport) async throws {
        try await withChannel(transport, services: [ProbeService()], serverInterceptors: [RewritingServerInterceptor()]) { _, channel in
            let response = try await channel.unary(Search.Method.search, SearchRequest(query: "quiet"))
            #expect(response.message.responses.map(\.response) == ["QUIET", "rewritten"])
            #expect(response.headers.first("x-intercepted") == "yes")
            await #expect(throws: RPCError(.failedPrecondition, "rewritten: bad query")) {
                try await Search.Client(channel: channel).search(SearchRequest(query: "invalid"))
            }
        }
    }

    @Test func clientInterceptorsChangeRequestsAndResponsesAndShortCircuit() async throws {
        struct Rewriting: ClientInterceptor {
            func intercept<Request, Response, Result: Sendable>(
                _ call: ClientCall<Request, Response, Result>, next: @Sendable (ClientCall<Request, Response, Result>) async throws -> Result
            ) async throws -> Result {
                if call.metadata.first("x-refuse") != nil { throw RPCError(.permissionDenied, "refused locally") }
                var call = call
                call.mapRequests { request in
                    guard var search = request as? SearchRequest else { return request }
                    search.query += "!"
                    return search as! Request
                }
                call.mapResponses { response in
                    guard var answer = response as? SearchResponses else { return response }
                    answer.responses.insert(SearchResponse(response: "first"), at: 0)
                    return answer as! Response
                }
                return try await next(call)
            }
        }
        let probe = ProbeService()
        try await withChannel(.inProcess, services: [probe], clientInterceptors: [Rewriting()]) { _, channel in
            let client = Search.Client(channel: channel)
            let answer = try await client.search(SearchRequest(query: "hey"))
            #expect(answer.responses.map(\.response) == ["first", "hey!"])
            await #expect(throws: RPCError(.permissionDenied, "refused locally")) {
                try await client.search(SearchRequest(query: "x"), options: CallOptions(metadata: ["x-refuse": "1"]))
            }
            #expect(probe.counts.withLockedValue { $0.started } == 1, "a short-circuited call reached the server")
        }
    }
}
