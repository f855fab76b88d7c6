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
