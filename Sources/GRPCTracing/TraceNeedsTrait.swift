// Built only with the package's `Tracing` trait, which brings swift-distributed-tracing: without
// it this module holds only a marker whose use says what to do.
#if !Tracing
@available(*, unavailable, message: "GRPCTracing needs the package's Tracing trait: .package(url: ..., from: ..., traits: [\"Tracing\"])")
public struct ClientTracingInterceptor {}

@available(*, unavailable, message: "GRPCTracing needs the package's Tracing trait: .package(url: ..., from: ..., traits: [\"Tracing\"])")
public struct ServerTracingInterceptor {}
#endif
