// Built with the package's Tracing trait (the test command enables every trait).
#if Tracing
import Foundation
import InMemoryTracing
import Instrumentation
import Tracing

/// The library's in-memory tracer, propagating its span contexts as W3C `traceparent` and
/// `tracestate`, as an OpenTelemetry tracer does: ids are W3C-shaped (32 and 16 hex digits).
public struct W3CInMemoryTracer: Tracer {
    public let base = InMemoryTracer(idGenerator: .random)

    public init() {}

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> InstrumentationContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> InMemorySpan {
        base.startSpan(operationName, context: context(), ofKind: kind, at: instant(), function: function, file: fileID, line: line)
    }

    public func forceFlush() { base.forceFlush() }

    public func inject<Carrier, Inject: Injector>(_ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject)
    where Carrier == Inject.Carrier {
        guard let span = context.inMemorySpanContext else { return }
        injector.inject("00-\(span.traceID)-\(span.spanID)-01", forKey: "traceparent", into: &carrier)
        if let state = context.traceState { injector.inject(state, forKey: "tracestate", into: &carrier) }
    }

    public func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract)
    where Carrier == Extract.Carrier {
        guard let parent = extractor.extract(key: "traceparent", from: carrier) else { return }
        let parts = parent.split(separator: "-")
        guard parts.count == 4, parts[0] == "00", parts[1].count == 32, parts[2].count == 16 else { return }
        context.inMemorySpanContext = InMemorySpanContext(traceID: String(parts[1]), spanID: String(parts[2]), parentSpanID: nil)
        context.traceState = extractor.extract(key: "tracestate", from: carrier)
    }

    public var finishedSpans: [FinishedInMemorySpan] { base.finishedSpans }
}

extension InMemoryTracer.IDGenerator {
    /// W3C-shaped random ids.
    public static var random: Self {
        Self(
            nextTraceID: { (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined() },
            nextSpanID: { (0..<8).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined() }
        )
    }
}

private enum TraceStateKey: InstrumentationContextKey {
    typealias Value = String
}

extension InstrumentationContext {
    /// The W3C `tracestate` that came with the trace, passed on unchanged.
    public var traceState: String? {
        get { self[TraceStateKey.self] }
        set { self[TraceStateKey.self] = newValue }
    }
}
#endif
