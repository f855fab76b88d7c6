// Built with the package's Tracing trait (the test command enables every trait).
#if Tracing
import Foundation
import GeneratedFixtures
import GRPCRuntime
import GRPCTestSupport
import GRPCTracing
import InMemoryTracing
import Instrumentation
import ProtoWire
import Testing
import Tracing
import TracingTestSupport

/// Records the trace id the server's handler runs under, and makes a child span of its own.
struct TracedSearch: Search.Servicer {
    let tracer: W3CInMemoryTracer

    func search(request: SearchRequest, context: ServerContext) async throws -> SearchResponses {
        if request.query == "fail" { throw RPCError(.notFound, "nothing") }
        let trace = tracer.base.startSpan("lookup", context: InstrumentationContext.current ?? .topLevel, ofKind: .internal)
        defer { trace.end() }
        return SearchResponses(responses: [SearchResponse(response: trace.spanContext.traceID)])
    }

    func monitor(request: Google_Protobuf_Empty, context: ServerContext) async throws -> MonitorResponse { MonitorResponse() }
}

@Suite struct TracingTests {
    @Test(arguments: TestTransport.allCases)
    func aCallIsOneTraceFromClientSpanToServerSpanToTheHandlersSpans(_ transport: TestTransport) async throws {
        let tracer = W3CInMemoryTracer()
        try await withChannel(
            transport, services: [TracedSearch(tracer: tracer)], serverInterceptors: [ServerTracingInterceptor(tracer: tracer)],
            clientInterceptors: [ClientTracingInterceptor(tracer: tracer)]
        ) { _, channel in
            let answer = try await Search.Client(channel: channel).search(SearchRequest(query: "q"))
            await #expect(throws: RPCError.self) { try await Search.Client(channel: channel).search(SearchRequest(query: "fail")) }

            let spans = tracer.finishedSpans
            let client = spans.filter { $0.kind == .client }
            let server = spans.filter { $0.kind == .server }
            let handler = spans.filter { $0.operationName == "lookup" }
            try #require(client.count == 2 && server.count == 2 && handler.count == 1)
            #expect(client[0].operationName == "Search/search" && server[0].operationName == "Search/search")
            // One trace: the server continues the client's, the handler's span is the server's child.
            #expect(server[0].spanContext.traceID == client[0].spanContext.traceID)
            #expect(server[0].spanContext.parentSpanID == client[0].spanContext.spanID)
            #expect(handler[0].spanContext.parentSpanID == server[0].spanContext.spanID)
            #expect(answer.responses.first?.response == client[0].spanContext.traceID)
            for span in [client[0], server[0]] {
                #expect(span.attributes["rpc.system"]?.toSpanAttribute() == "grpc")
                #expect(span.attributes["rpc.service"]?.toSpanAttribute() == "Search")
                #expect(span.attributes["rpc.method"]?.toSpanAttribute() == "search")
                #expect(span.attributes["rpc.grpc.status_code"]?.toSpanAttribute() == 0)
            }
            #expect(client[1].attributes["rpc.grpc.status_code"]?.toSpanAttribute() == .int64(Int64(RPCError.Code.notFound.rawValue)))
            #expect(server[1].attributes["rpc.grpc.status_code"]?.toSpanAttribute() == .int64(Int64(RPCError.Code.notFound.rawValue)))
            #expect(client[1].status?.code == .error && server[1].status?.code == .error)
            if transport == .http2 {
                #expect(server[0].attributes["network.peer.address"]?.toSpanAttribute() == "127.0.0.1")
            }
        }
    }

    @Test func theClientSendsW3CTraceContextInMetadata() async throws {
        let tracer = W3CInMemoryTracer()
        try await withChannel(.inProcess, services: [MetadataCapture()], clientInterceptors: [ClientTracingInterceptor(tracer: tracer)]) { _, channel in
            let seen = try await Search.Client(channel: channel).search(SearchRequest())
            let span = try #require(tracer.finishedSpans.first)
            #expect(seen.responses.map(\.response) == ["00-\(span.spanContext.traceID)-\(span.spanContext.spanID)-01"])
        }
    }
}

/// Answers with the `traceparent` it received.
struct MetadataCapture: Search.Servicer {
    func search(request: SearchRequest, context: ServerContext) async throws -> SearchResponses {
        SearchResponses(responses: context.requestMetadata[stringValues: "traceparent"].map { SearchResponse(response: $0) })
    }

    func monitor(request: Google_Protobuf_Empty, context: ServerContext) async throws -> MonitorResponse { MonitorResponse() }
}
#endif
