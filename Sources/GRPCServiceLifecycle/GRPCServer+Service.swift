// Built only with the package's `ServiceLifecycle` trait, which brings swift-service-lifecycle: without it this
// module holds only a marker whose use says what to do.
#if ServiceLifecycle
import GRPCRuntime
import ServiceLifecycle

/// `GRPCServer` as a swift-service-lifecycle `Service`: run it in a `ServiceGroup`, and a
/// graceful shutdown of the group (SIGTERM, SIGINT, or another service ending) becomes the
/// server's graceful shutdown: GOAWAY, calls in flight finish, then `run()` returns.
extension GRPCServer: Service {
    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await serve()
        } onGracefulShutdown: {
            self.beginGracefulShutdown()
        }
    }
}
#else
/// Without the package's `ServiceLifecycle` trait `GRPCServer` is not a `Service`: enable it on the
/// dependency, `.package(url: ..., from: ..., traits: ["ServiceLifecycle"])`.
@available(*, unavailable, message: "GRPCServiceLifecycle needs the package's ServiceLifecycle trait: .package(url: ..., from: ..., traits: [\"ServiceLifecycle\"])")
public enum GRPCServiceLifecycleNeedsItsTrait {}
#endif
