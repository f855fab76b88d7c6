// Built with the package's Tracing trait (the test command enables every trait).
#if Tracing
import GeneratedFixtures
import GRPCRuntime
import GRPCTracing
import InMemoryTracing
import Instrumentation
import Testing
import TracingTestSupport

/// The client's trace context as grpcio sees it: interop_server.py answers a `traceparent` with
/// the trace id and parent span id it read (and the `tracestate`) as trailers.
@Suite("Swift client → Python server: trace context", .timeLimit(.minutes(2)), PythonServerTrait())
struct TracingInteropTests {
    @Test func grpcioSeesTheClientSpansW3CTraceContext() async throws {
        let server = try PythonServerTrait.current.get()
        let tracer = W3CInMemoryTracer()
        let channel = GRPCChannel(host: "127.0.0.1", port: server.port, interceptors: [ClientTracingInterceptor(tracer: tracer)])
        defer { channel.close() }
        var context = InstrumentationContext.topLevel
        context.traceState = "vendor=value"
        let response = try await InstrumentationContext.withValue(context) {
            try await channel.unary(Grpc_Testing_TestService.Method.emptyCall, Grpc_Testing_Empty(), options: CallOptions(timeout: .seconds(20)))
        }
        let span = try #require(tracer.finishedSpans.first)
        #expect(span.kind == .client)
        #expect(response.trailers.first("x-trace-error") == nil)
        #expect(response.trailers.first("x-trace-id") == span.spanContext.traceID)
        #expect(response.trailers.first("x-parent-span-id") == span.spanContext.spanID)
        #expect(response.trailers.first("x-tracestate") == "vendor=value")
        #expect(span.attributes["rpc.grpc.status_code"]?.toSpanAttribute() == 0)
    }
}
#endif
