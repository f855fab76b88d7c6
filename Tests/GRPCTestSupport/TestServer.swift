import GRPCRuntime
import Logging

/// Runs `body` against a `GRPCServer` on a free loopback port, then shuts the server down
/// gracefully and waits for it; if `body` throws, the server is cancelled instead.
public func withServer<R: Sendable>(
    services: [any GRPCService],
    logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
    configure: (inout GRPCServer.Configuration) -> Void = { _ in },
    _ body: @Sendable (GRPCServer, Int) async throws -> R
) async throws -> R {
    var configuration = GRPCServer.Configuration(host: "127.0.0.1", port: 0)
    configure(&configuration)
    let server = GRPCServer(configuration: configuration, services: services, logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.serve() }
        let port = try await server.listeningAddress.port!
        do {
            let result = try await body(server, port)
            server.beginGracefulShutdown()
            try await group.waitForAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

/// Runs `body` with a server on a free loopback port and a channel to it, closed afterwards.
public func withServerAndChannel<R: Sendable>(
    services: [any GRPCService], logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
    configure: (inout GRPCServer.Configuration) -> Void = { _ in },
    _ body: @Sendable (GRPCServer, GRPCChannel) async throws -> R
) async throws -> R {
    try await withServer(services: services, logger: logger, configure: configure) { server, port in
        let channel = GRPCChannel(host: "127.0.0.1", port: port)
        defer { channel.close() }
        return try await body(server, channel)
    }
}
