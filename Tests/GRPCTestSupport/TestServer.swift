import GRPCRuntime
import Logging

/// A logger that drops everything: the default for test servers.
public let silentLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// Runs `body` against a `GRPCServer` on a free loopback port, then shuts the server down
/// gracefully and waits for it; if `body` throws, the server is cancelled instead.
public func withServer<R: Sendable>(
    services: [any GRPCService],
    interceptors: [any ServerInterceptor] = GRPCServer.defaultInterceptors,
    logger: Logger = silentLogger,
    configure: (inout GRPCServer.Configuration) -> Void = { _ in },
    _ body: @Sendable (GRPCServer, Int) async throws -> R
) async throws -> R {
    var configuration = GRPCServer.Configuration(host: "127.0.0.1", port: 0)
    configure(&configuration)
    let server = GRPCServer(configuration: configuration, services: services, interceptors: interceptors, logger: logger)
    return try await serving(server) { try await body(server, try await server.listeningAddress.port!) }
}

/// Runs `body` with a server on a free loopback port and a channel to it, closed afterwards.
public func withServerAndChannel<R: Sendable>(
    services: [any GRPCService], interceptors: [any ServerInterceptor] = GRPCServer.defaultInterceptors,
    logger: Logger = silentLogger,
    configure: (inout GRPCServer.Configuration) -> Void = { _ in },
    _ body: @Sendable (GRPCServer, GRPCChannel) async throws -> R
) async throws -> R {
    try await withServer(services: services, interceptors: interceptors, logger: logger, configure: configure) { server, port in
        let channel = GRPCChannel(host: "127.0.0.1", port: port)
        defer { channel.close() }
        return try await body(server, channel)
    }
}

/// The transports a test of call semantics runs over: the same behaviour is expected of both.
public enum TestTransport: String, CaseIterable, Sendable, CustomStringConvertible {
    case inProcess = "in-process"
    case http2 = "HTTP/2"

    public var description: String { rawValue }
}

/// Runs `body` with a server and a channel to it over `transport`, with the interceptors given
/// on each side; shuts both down afterwards.
public func withChannel<R: Sendable>(
    _ transport: TestTransport, services: [any GRPCService],
    serverInterceptors: [any ServerInterceptor] = GRPCServer.defaultInterceptors,
    clientInterceptors: [any ClientInterceptor] = [],
    logger: Logger = silentLogger,
    configure: (inout GRPCServer.Configuration) -> Void = { _ in },
    _ body: @Sendable (GRPCServer, GRPCChannel) async throws -> R
) async throws -> R {
    var configuration = GRPCServer.Configuration(host: "127.0.0.1", port: 0)
    configure(&configuration)
    switch transport {
    case .http2:
        let server = GRPCServer(configuration: configuration, services: services, interceptors: serverInterceptors, logger: logger)
        return try await serving(server) {
            let channel = GRPCChannel(host: "127.0.0.1", port: try await server.listeningAddress.port!, interceptors: clientInterceptors)
            defer { channel.close() }
            return try await body(server, channel)
        }
    case .inProcess:
        let pair = InProcessTransport()
        let server = GRPCServer(
            transport: pair.server, configuration: configuration, services: services, interceptors: serverInterceptors, logger: logger)
        return try await serving(server, inProcess: pair) {
            let channel = GRPCChannel(transport: pair.client, interceptors: clientInterceptors)
            defer { channel.close() }
            return try await body(server, channel)
        }
    }
}

/// Serves `server`, whose transport is `pair.server`, while `body` runs; `body` starts once the
/// server listens, as the HTTP/2 arm starts once the port is bound. Without that wait a call
/// races the server's start against the in-process client's start timeout, which a test process
/// busy on every core can lose.
public func serving<R: Sendable>(_ server: GRPCServer, inProcess pair: InProcessTransport, _ body: () async throws -> R) async throws -> R {
    try await serving(server) {
        await pair.server.waitUntilListening()
        return try await body()
    }
}

/// Serves `server` while `body` runs, then shuts it down gracefully and waits for it; if
/// `body` throws, the server is cancelled instead.
public func serving<R: Sendable>(_ server: GRPCServer, _ body: () async throws -> R) async throws -> R {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.serve() }
        do {
            let result = try await body()
            server.beginGracefulShutdown()
            try await group.waitForAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}
