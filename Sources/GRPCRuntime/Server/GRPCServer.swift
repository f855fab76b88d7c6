import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP2
import NIOPosix

/// A gRPC server: listens on a host and port, routes calls to services, and runs until shut down.
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
        public var host: String
        /// 0 picks a free port; `listeningAddress` tells which.
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
        /// The prefix of metric labels: `<prefix>_requests_total`, `_errors_total`, `_latency`.
        public var metricsPrefix = "grpc_server"
        /// How long a graceful shutdown waits for calls in flight. Calls still running then
        /// (a health Watch, a stream the client never ends) are cut off with their connections,
        /// so that shutdown always ends. Nil waits without limit.
        public var shutdownGracePeriod: Duration? = .seconds(30)

        public init(host: String = "127.0.0.1", port: Int = 0) {
            self.host = host
            self.port = port
        }

        var acceptEncodingHeader: String {
            (compression.map(\.name) + ["identity"]).joined(separator: ",")
        }
    }

    public let configuration: Configuration
    let router: Router
    let logger: Logger
    let group: any EventLoopGroup
    private let listening: EventLoopPromise<SocketAddress>
    private let state = NIOLockedValueBox(State())

    private struct State: Sendable {
        var serverChannel: (any Channel)?
        var connections: [ObjectIdentifier: ServerConnection] = [:]
        var shuttingDown = false
        var cutOff: Scheduled<Void>?
    }

    public init(
        configuration: Configuration, services: [any GRPCService],
        logger: Logger = Logger(label: "grpc.server"), eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.router = Router(services: services, metricsPrefix: configuration.metricsPrefix)
        self.logger = logger
        self.group = eventLoopGroup
        self.listening = eventLoopGroup.next().makePromise(of: SocketAddress.self)
    }

    /// The address the server is bound to, once `serve()` has bound it.
    public var listeningAddress: SocketAddress {
        get async throws { try await listening.futureResult.get() }
    }

    /// Binds and serves until `beginGracefulShutdown()` and the last in-flight call ends,
    /// or until the task running it is cancelled.
    public func serve() async throws {
        let h2 = http2Configuration
        let security = configuration.transportSecurity
        let keepalive = configuration.keepaliveInterval.map { ($0, configuration.keepaliveTimeout) }
        let bound: NIOAsyncChannel<ServerConnection.Accepted, Never>
        do {
            bound = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .bind(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try security?.configureServerChannel(channel)
                        try channel.pipeline.syncOperations.addHandler(FlushCoalescingHandler())
                        let pending = PendingStreams()
                        channel.closeFuture.whenComplete { _ in pending.connectionClosed() }
                        let multiplexer = try channel.pipeline.syncOperations.configureAsyncHTTP2Pipeline(
                            mode: .server, streamDelegate: pending, configuration: h2
                        ) { stream in
                            stream.eventLoop.makeCompletedFuture {
                                let wrapped = try NIOAsyncChannel<HTTP2Frame.FramePayload, HTTP2Frame.FramePayload>(wrappingChannelSynchronously: stream)
                                pending.add(wrapped)
                                return wrapped
                            }
                        }
                        if let (interval, timeout) = keepalive {
                            try channel.pipeline.syncOperations.addHandler(KeepaliveHandler(interval: interval, timeout: timeout))
                        }
                        return ServerConnection.Accepted(channel: channel, multiplexer: multiplexer, pending: pending)
                    }
                }
        } catch {
            listening.fail(error)
            throw error
        }
        listening.succeed(bound.channel.localAddress!)
        let alreadyShuttingDown = state.withLockedValue { state in
            state.serverChannel = bound.channel
            return state.shuttingDown
        }
        if alreadyShuttingDown { bound.channel.close(promise: nil) }
        logger.info("listening", metadata: ["address": "\(bound.channel.localAddress!)"])

        try await withTaskCancellationHandler {
            try await withThrowingDiscardingTaskGroup { tasks in
                try await bound.executeThenClose { accepted in
                    for try await connection in accepted {
                        tasks.addTask { await self.serve(connection) }
                    }
                }
            }
        } onCancel: {
            self.beginGracefulShutdown()
        }
        state.withLockedValue { $0.cutOff }?.cancel()
        logger.info("stopped")
    }

    private func serve(_ accepted: ServerConnection.Accepted) async {
        let connection = ServerConnection(accepted: accepted)
        let id = ObjectIdentifier(connection)
        let draining = state.withLockedValue { state in
            state.connections[id] = connection
            return state.shuttingDown
        }
        if draining { connection.beginDraining() }
        await connection.run(router: router, configuration: configuration, logger: logger)
        _ = state.withLockedValue { $0.connections.removeValue(forKey: id) }
    }

    /// Stops accepting connections and calls: each connection gets a GOAWAY, calls in
    /// flight finish, and `serve()` returns once the last one has.
    public func beginGracefulShutdown() {
        let (channel, connections, first) = state.withLockedValue { state in
            defer { state.shuttingDown = true }
            return (state.serverChannel, Array(state.connections.values), !state.shuttingDown)
        }
        channel?.close(promise: nil)
        for connection in connections { connection.beginDraining() }
        if first, let grace = configuration.shutdownGracePeriod {
            let cutOff = group.next().scheduleTask(in: TimeAmount(grace)) { self.cutOffRemainingCalls() }
            state.withLockedValue { $0.cutOff = cutOff }
        }
    }

    /// The end of the grace period: closes every connection still open, which ends its calls.
    private func cutOffRemainingCalls() {
        let connections = state.withLockedValue { Array($0.connections.values) }
        if !connections.isEmpty {
            logger.warning("shutdown grace period over, closing connections with calls in flight", metadata: ["connections": "\(connections.count)"])
        }
        for connection in connections { connection.accepted.channel.close(promise: nil) }
    }

    private var http2Configuration: NIOHTTP2Handler.Configuration {
        var h2 = NIOHTTP2Handler.Configuration()
        h2.connection.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: configuration.maximumConcurrentStreams),
            HTTP2Setting(parameter: .maxHeaderListSize, value: 16384),
            HTTP2Setting(parameter: .initialWindowSize, value: 1 << 20),
        ]
        h2.connection.maximumRecentlyResetStreams = 64
        // Open the connection window wide at once, so large messages are not held to 64 KiB a round trip.
        h2.connection.targetWindowSize = 1 << 22
        h2.stream.targetWindowSize = 1 << 20
        return h2
    }
}

/// Something set up on every accepted connection before HTTP/2, such as TLS.
public protocol ServerTransportSecurity: Sendable {
    func configureServerChannel(_ channel: any Channel) throws
}

/// Turns the flushes asked for within one event-loop tick into one: each call's response is
/// written by its own stream channel, and each of those flushed the connection on its own (one
/// `writev` per response, a quarter of the server's CPU under 64 concurrent calls). The flush
/// runs as the loop's next task, after every write queued before it.
final class FlushCoalescingHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    private var flushPending = false

    func flush(context: ChannelHandlerContext) {
        if flushPending { return }
        flushPending = true
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let (handler, context) = loopBound.value
            handler.flushPending = false
            context.flush()
        }
    }
}
