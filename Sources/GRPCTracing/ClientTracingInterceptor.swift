#if Tracing
import GRPCRuntime
import Instrumentation
import Tracing

/// Traces every call a channel makes: a client span per call (named `package.Service/Method`,
/// with the RPC attributes of the OpenTelemetry conventions and the status code), a child of
/// the task's current span, whose context goes to the server in the request metadata as the
/// tracer propagates it (an OpenTelemetry tracer writes W3C `traceparent` and `tracestate`).
public struct ClientTracingInterceptor: ClientInterceptor {
    private let tracer: (any Tracer)?

    /// - Parameter tracer: the tracer to use; nil for the process-wide one (`InstrumentationSystem.tracer`).
    public init(tracer: (any Tracer)? = nil) {
        self.tracer = tracer
    }

    public func intercept<Request, Response, Result: Sendable>(
        _ call: ClientCall<Request, Response, Result>, next: @Sendable (ClientCall<Request, Response, Result>) async throws -> Result
    ) async throws -> Result {
        let tracer: any Tracer = self.tracer ?? InstrumentationSystem.tracer
        return try await Self.trace(call, next, with: tracer)
    }

    private static func trace<Request, Response, Result: Sendable, T: Tracer>(
        _ call: ClientCall<Request, Response, Result>, _ next: @Sendable (ClientCall<Request, Response, Result>) async throws -> Result,
        with tracer: T
    ) async throws -> Result {
        let span = tracer.startSpan(RPCSpanAttributes.spanName(call.method), context: InstrumentationContext.current ?? .topLevel, ofKind: .client)
        defer { span.end() }
        RPCSpanAttributes.setCall(call.method, on: span)
        var call = call
        tracer.inject(span.context, into: &call.metadata, using: MetadataInjector())
        do {
            let result = try await InstrumentationContext.withValue(span.context) { try await next(call) }
            RPCSpanAttributes.setOutcome(nil, on: span)
            return result
        } catch {
            RPCSpanAttributes.setOutcome(error, on: span)
            throw error
        }
    }
}
#endif
