import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A gRPC server: takes calls from a transport (HTTP/2 on a host and port, or in process),
/// routes them to services through its interceptors, and runs until shut down.
///
/// ```swift
/// let server = GRPCServer(configuration: .init(port: 50051), services: [MySearch()])
/// try await withThrowingDiscardingTaskGroup { group in
///     group.addTask { try await server.serve() }
///     print(try await server.listeningAddress)
/// }
/// ```
public final class GRPCServer: Sendable {
    public struct Configuration: Sendable {
        /// The address to listen on (HTTP/2 transport).
        public var host: String
        /// 0 picks a free port; `listeningAddress` tells which (HTTP/2 transport).
        public var port: Int
        /// Larger requests end the call with `resourceExhausted`.
        public var maximumReceiveMessageSize = 4 * 1024 * 1024
        /// Streams a client may have open at once on one connection (SETTINGS_MAX_CONCURRENT_STREAMS).
        public var maximumConcurrentStreams = 100
        /// Pings the client after this long without a ping, and closes the connection if
        /// the ack does not come within `keepaliveTimeout`. Nil turns keepalive off.
        public var keepaliveInterval: Duration? = .seconds(7200)
        public var keepaliveTimeout: Duration = .seconds(20)
        /// Message encodings the server accepts and may respond with, besides identity.
        public var compression: [CompressionAlgorithm] = [.gzip, .deflate]
        /// TLS, or anything else that must sit in front of HTTP/2 on each accepted connection.
        public var transportSecurity: (any ServerTransportSecurity)?
        /// How long a graceful shutdown waits for calls in flight. Calls still running then
        /// (a health Watch, a stream the client never ends) are cut off with their connections,
        /// so that shutdown always ends. Nil waits without limit.
        public var shutdownGracePeriod: Duration? = .seconds(30)
        /// Whether each call's handler starts on the event loop that reads its connection
        /// (HTTP/2 transport): the request reaches the handler and the response the socket with
        /// no thread hop. A handler's code runs there until it first suspends, so a handler that
        /// blocks its thread (synchronous file or network access, long computations) holds up
        /// every connection on that loop: set this to false, and handlers run on Swift's global
        /// concurrent executor instead.
        public var handlersRunOnEventLoop = true

        // Connection and request limits (HTTP/2 transport). Each bounds what a client that
        // connects and then stalls can hold: descriptors, memory, or stream slots.

        /// How long a new connection has to send the HTTP/2 preface and its first SETTINGS
        /// (including the TLS handshake, with TLS) before it is closed. Nil waits without limit.
        public var prefaceTimeout: Duration? = .seconds(10)
        /// How long a connection may stay without an open stream: then it gets GOAWAY and is
        /// closed. Nil keeps idle connections open.
        public var idleTimeout: Duration? = .seconds(300)
        /// How long a connection is served before it gets GOAWAY (the client reconnects, which
        /// spreads clients over servers again); calls still open then get
        /// `maximumConnectionAgeGrace` to finish before the connection is closed. Nil: no limit.
        public var maximumConnectionAge: Duration?
        /// How long calls in flight on a connection past `maximumConnectionAge` may take to finish.
        public var maximumConnectionAgeGrace: Duration = .seconds(30)
        /// How long a call without a deadline may go without receiving request data while its
        /// request is still open: then it ends with `cancelled`. Calls with a deadline are ended
        /// by their deadline instead. Nil waits without limit (long-lived client streams that
        /// are quiet for longer should set a deadline, or raise this).
        public var requestIdleTimeout: Duration? = .seconds(120)
        /// Connections served at once: further ones get GOAWAY and are closed at once, and the
        /// connections already open are not disturbed. Nil: no limit (the process's descriptor
        /// limit still applies).
        public var maximumConnections: Int? = 1000
        /// Bytes of incomplete request messages one connection may have buffered across its
        /// streams; the call whose data would go beyond it ends with `resourceExhausted`.
        /// Keep it at least `maximumReceiveMessageSize`.
        public var connectionBufferBudget = 16 * 1024 * 1024
        /// Bytes of incomplete request messages all connections together may have buffered;
        /// the call whose data would go beyond it ends with `resourceExhausted`.
        public var serverBufferBudget = 128 * 1024 * 1024

        public init(host: String = "127.0.0.1", port: Int = 0) {
            self.host = host
            self.port = port
        }
    }

    /// The interceptors a server has unless told otherwise: one log line per call at `info`
    /// (`ServerCallLog`) and request, error and latency metrics (`ServerMetrics`).
    public static var defaultInterceptors: [any ServerInterceptor] { [ServerCallLog(), ServerMetrics()] }

    public let configuration: Configuration
    let transport: any ServerTransport
    let dispatcher: ServerCallDispatcher
    let logger: Logger
    private let shutdown = ShutdownSignal()

    /// A server on HTTP/2: listens on `configuration.host` and `.port`.
    /// - Parameters:
    ///   - configuration: where to listen, and the server's limits and timeouts.
    ///   - services: the services to answer, each routed by its methods' paths.
    ///   - interceptors: run around every call, the first outermost; the defaults log and
    ///     measure each call, `[]` turns that off.
    ///   - logger: where the server logs (and, through the default interceptor, each call).
    ///   - eventLoopGroup: the threads the connections run on.
    public convenience init(
        configuration: Configuration, services: [any GRPCService], interceptors: [any ServerInterceptor] = GRPCServer.defaultInterceptors,
        logger: Logger = Logger(label: "grpc.server"), eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        let http2 = HTTP2ServerTransport.Configuration(
            host: configuration.host, port: configuration.port, maximumConcurrentStreams: configuration.maximumConcurrentStreams,
            keepaliveInterval: configuration.keepaliveInterval, keepaliveTimeout: configuration.keepaliveTimeout,
            transportSecurity: configuration.transportSecurity,
            limits: ConnectionLimits(
                prefaceTimeout: configuration.prefaceTimeout, idleTimeout: configuration.idleTimeout,
                maximumAge: configuration.maximumConnectionAge, maximumAgeGrace: configuration.maximumConnectionAgeGrace,
                requestIdleTimeout: configuration.requestIdleTimeout, maximumConnections: configuration.maximumConnections,
                connectionBufferBudget: configuration.connectionBufferBudget, serverBufferBudget: configuration.serverBufferBudget
            ),
            handlersOnEventLoop: configuration.handlersRunOnEventLoop
        )
        let transport = HTTP2ServerTransport(configuration: http2, logger: logger, eventLoopGroup: eventLoopGroup)
        self.init(transport: transport, configuration: configuration, services: services, interceptors: interceptors, logger: logger)
    }

    /// A server on any transport, such as `InProcessTransport().server`. Of `configuration` only
    /// the gRPC settings count (message size, compression, grace period); the transport has its own.
    public init(
        transport: any ServerTransport, configuration: Configuration = Configuration(), services: [any GRPCService],
        interceptors: [any ServerInterceptor] = GRPCServer.defaultInterceptors, logger: Logger = Logger(label: "grpc.server")
    ) {
        self.configuration = configuration
        self.transport = transport
        self.logger = logger
        self.dispatcher = ServerCallDispatcher(
            router: Router(services: services), interceptors: interceptors, configuration: configuration, logger: logger)
    }

    /// The address the server is bound to, once `serve()` has bound it (HTTP/2 transport only).
    public var listeningAddress: SocketAddress {
        get async throws {
            guard let http2 = transport as? HTTP2ServerTransport else {
                throw RPCError(.failedPrecondition, "the server's transport has no socket address")
            }
            return try await http2.listeningAddress
        }
    }

    /// Serves until `beginGracefulShutdown()` and the last in-flight call ends, or until the
    /// task running it is cancelled (which closes every connection at once).
    public func serve() async throws {
        let grace = configuration.shutdownGracePeriod
        try await withTaskCancellationHandler {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await self.transport.listen(self.dispatcher)
                    return true
                }
                if let grace {
                    // The end of the grace period cuts off what is still running.
                    group.addTask {
                        await self.shutdown.wait()
                        try? await Task.sleep(for: grace)
                        return Task.isCancelled
                    }
                }
                while let listenEnded = try await group.next() {
                    if listenEnded { break }
                    logger.warning("shutdown grace period over, closing connections with calls in flight")
                    group.cancelAll()
                }
                group.cancelAll()
            }
        } onCancel: {
            self.beginGracefulShutdown()
        }
        await dispatcher.waitForRunningCalls()
        logger.info("stopped")
    }

    /// Stops accepting connections and calls: calls in flight finish (up to the grace period),
    /// and `serve()` returns once the last one has.
    public func beginGracefulShutdown() {
        transport.beginGracefulShutdown()
        shutdown.signal()
    }
}

/// A one-time signal that tasks can wait for.
final class ShutdownSignal: Sendable {
    private let state = NIOLockedValueBox((signalled: false, waiters: [CheckedContinuation<Void, Never>]()))

    func signal() {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.signalled = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLockedValue { state in
                    if state.signalled || Task.isCancelled { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            // Waking every waiter on cancellation is harmless: each rechecks what it waits for.
            self.signalWaitersOnly()
        }
    }

    private func signalWaitersOnly() {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
