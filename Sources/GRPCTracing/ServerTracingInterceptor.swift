#if Tracing
import GRPCRuntime
import Instrumentation
import Tracing

/// Traces every call a server serves: a server span per call (named `package.Service/Method`,
/// with the RPC attributes of the OpenTelemetry conventions, the peer and the status code),
/// continuing the trace the client propagated in the request metadata. The handler runs with
/// the span as its task's current context, so its own spans become children.
public struct ServerTracingInterceptor: ServerInterceptor {
    private let tracer: (any Tracer)?

    /// - Parameter tracer: the tracer to use; nil for the process-wide one (`InstrumentationSystem.tracer`).
    public init(tracer: (any Tracer)? = nil) {
        self.tracer = tracer
    }

    public func intercept<Request, Response>(
        _ call: ServerCall<Request, Response>, next: @Sendable (ServerCall<Request, Response>) async throws -> Void
    ) async throws {
        let tracer: any Tracer = self.tracer ?? InstrumentationSystem.tracer
        return try await Self.trace(call, next, with: tracer)
    }

    private static func trace<Request, Response, T: Tracer>(
        _ call: ServerCall<Request, Response>, _ next: @Sendable (ServerCall<Request, Response>) async throws -> Void, with tracer: T
    ) async throws {
        var parent = InstrumentationContext.current ?? .topLevel
        tracer.extract(call.requestMetadata, into: &parent, using: MetadataExtractor())
        let method = call.context.method
        let span = tracer.startSpan(RPCSpanAttributes.spanName(method), context: parent, ofKind: .server)
        defer { span.end() }
        RPCSpanAttributes.setCall(method, on: span)
        RPCSpanAttributes.setPeer(call.context.peer, on: span)
        do {
            try await InstrumentationContext.withValue(span.context) { try await next(call) }
            RPCSpanAttributes.setOutcome(nil, on: span)
        } catch {
            RPCSpanAttributes.setOutcome(error, on: span)
            throw error
        }
    }
}
#endif
