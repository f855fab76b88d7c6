#if Tracing
import GRPCRuntime
import Instrumentation

/// Writes a tracer's propagation fields (W3C `traceparent` and `tracestate` with an
/// OpenTelemetry tracer) into request metadata, replacing earlier values of the same key.
public struct MetadataInjector: Injector {
    public init() {}

    public func inject(_ value: String, forKey key: String, into carrier: inout Metadata) {
        carrier.removeAll(key)
        carrier.add(key, value)
    }
}

/// Reads a tracer's propagation fields from request metadata.
public struct MetadataExtractor: Extractor {
    public init() {}

    public func extract(key: String, from carrier: Metadata) -> String? {
        carrier.first(key)
    }
}
#endif
