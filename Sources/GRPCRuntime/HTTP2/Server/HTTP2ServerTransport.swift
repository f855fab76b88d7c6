import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP2
import NIOPosix

/// gRPC over HTTP/2 over TCP (or TLS), on swift-nio-http2: binds, accepts connections, and
/// reads each stream as a call for the gRPC layer.
final class HTTP2ServerTransport: ServerTransport {
    /// What the transport needs to know: where to listen, and the connection's settings.
    struct Configuration: Sendable {
        var host: String
        var port: Int
        var maximumConcurrentStreams: Int
        var keepaliveInterval: Duration?
        var keepaliveTimeout: Duration
        var transportSecurity: (any ServerTransportSecurity)?
        var limits: ConnectionLimits
        /// Whether calls' handlers start on the event loop of their connection.
        var handlersOnEventLoop: Bool
    }

    let configuration: Configuration
    let logger: Logger
    let group: any EventLoopGroup
    private let listening: EventLoopPromise<SocketAddress>
    private let state = NIOLockedValueBox(State())
    private let connectionCount: ConnectionCounter
    private let serverBudget: ByteBudget
    private let freedMemory = FreedMemoryReturner()

    private struct State: Sendable {
        var serverChannel: (any Channel)?
        var connections: [ObjectIdentifier: HTTP2ServerConnection] = [:]
        var shuttingDown = false
    }

    init(configuration: Configuration, logger: Logger, eventLoopGroup: any EventLoopGroup) {
        self.configuration = configuration
        self.logger = logger
        self.group = eventLoopGroup
        self.listening = eventLoopGroup.next().makePromise(of: SocketAddress.self)
        self.connectionCount = ConnectionCounter(limit: configuration.limits.maximumConnections)
        self.serverBudget = ByteBudget(limit: configuration.limits.serverBufferBudget)
    }

    /// The address bound, once `listen` has bound it.
    var listeningAddress: SocketAddress {
        get async throws { try await listening.futureResult.get() }
    }

    func listen(_ acceptor: any ServerCallAcceptor) async throws {
        let bound: NIOAsyncChannel<HTTP2ServerConnection.Accepted, Never>
        do {
            bound = try await bind(acceptor)
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

        do {
            try await withThrowingDiscardingTaskGroup { tasks in
                try await bound.executeThenClose { accepted in
                    for try await connection in accepted {
                        tasks.addTask { await self.serve(connection) }
                    }
                }
            }
        } catch is CancellationError {
            // Cut off: every connection closed with its task.
        }
        // Cancelled before the listener closed: close whatever is left.
        for connection in state.withLockedValue({ Array($0.connections.values) }) {
            connection.accepted.channel.close(promise: nil)
        }
    }

    private func bind(_ acceptor: any ServerCallAcceptor) async throws -> NIOAsyncChannel<HTTP2ServerConnection.Accepted, Never> {
        let h2 = http2Configuration
        let security = configuration.transportSecurity
        let keepalive = configuration.keepaliveInterval.map { ($0, configuration.keepaliveTimeout) }
        let limits = configuration.limits
        let advertisedStreams = configuration.maximumConcurrentStreams
        let connections = connectionCount
        let serverBudget = self.serverBudget
        let logger = self.logger
        let handlersOnEventLoop = configuration.handlersOnEventLoop
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let admitted = connections.opened()
                    channel.closeFuture.whenComplete { _ in connections.closed() }
                    try security?.configureServerChannel(channel)
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(FlushCoalescingHandler())
                    try pipeline.addHandler(ConnectionErrorCloser())
                    try pipeline.addHandler(ResetFloodGuard())
                    try pipeline.addHandler(AdvertisedStreamLimitHandler(advertised: advertisedStreams))
                    let lifetime = ConnectionLifetimeHandler(limits: limits, refused: !admitted)
                    let loopBoundLifetime = NIOLoopBound(lifetime, eventLoop: channel.eventLoop)
                    let delegate = StreamCountingDelegate(lifetime: loopBoundLifetime)
                    let connectionBudget = ByteBudget(limit: limits.connectionBufferBudget)
                    let admission = StreamAdmission(limit: advertisedStreams)
                    let peer = HTTP2ServerConnection.describe(channel.remoteAddress)
                    let executor = handlersOnEventLoop ? EventLoopTaskExecutor(channel.eventLoop) : nil
                    _ = try pipeline.configureHTTP2Pipeline(
                        mode: .server, connectionConfiguration: h2.connection, streamConfiguration: h2.stream,
                        streamDelegate: delegate
                    ) { stream in
                        stream.eventLoop.makeCompletedFuture {
                            // A refused stream is answered with RST_STREAM and costs no call.
                            guard try admission.decide(stream) else { return }
                            let handlers = stream.pipeline.syncOperations
                            try handlers.addHandler(RequestGuardHandler(
                                idleTimeout: limits.requestIdleTimeout, connectionBudget: connectionBudget, serverBudget: serverBudget))
                            try handlers.addHandler(HTTP2ServerStream(
                                channel: stream, peer: peer, logger: logger, acceptor: acceptor, executor: executor))
                        }
                    }
                    if let (interval, timeout) = keepalive {
                        try pipeline.addHandler(KeepaliveHandler(interval: interval, timeout: timeout))
                    }
                    try pipeline.addHandler(lifetime)
                    return HTTP2ServerConnection.Accepted(channel: channel, lifetime: loopBoundLifetime)
                }
            }
    }

    private func serve(_ accepted: HTTP2ServerConnection.Accepted) async {
        let connection = HTTP2ServerConnection(accepted: accepted)
        let id = ObjectIdentifier(connection)
        let draining = state.withLockedValue { state in
            state.connections[id] = connection
            return state.shuttingDown
        }
        if draining { connection.beginDraining() }
        await connection.run()
        _ = state.withLockedValue { $0.connections.removeValue(forKey: id) }
        freedMemory.connectionClosed(on: connection.accepted.channel.eventLoop)
    }

    /// Stops accepting connections; each connection gets a GOAWAY and closes once its streams end.
    func beginGracefulShutdown() {
        let (channel, connections) = state.withLockedValue { state in
            state.shuttingDown = true
            return (state.serverChannel, Array(state.connections.values))
        }
        channel?.close(promise: nil)
        for connection in connections { connection.beginDraining() }
    }

    /// The stream limit swift-nio-http2 enforces on a connection that was told `advertised`.
    static func enforcedStreamLimit(advertised: Int) -> Int { max(2 * advertised, advertised + 100) }

    private var http2Configuration: NIOHTTP2Handler.Configuration {
        var h2 = NIOHTTP2Handler.Configuration()
        h2.connection.initialSettings = [
            // The client is told `maximumConcurrentStreams` (AdvertisedStreamLimitHandler);
            // swift-nio-http2 enforces this higher limit as a connection error, and the streams
            // in between are refused one by one.
            HTTP2Setting(parameter: .maxConcurrentStreams, value: Self.enforcedStreamLimit(advertised: configuration.maximumConcurrentStreams)),
            HTTP2Setting(parameter: .maxHeaderListSize, value: 16384),
            HTTP2Setting(parameter: .initialWindowSize, value: 1 << 20),
        ]
        h2.connection.maximumRecentlyResetStreams = 64
        // ResetFloodGuard ends a reset flood first, sparing the calls opened before it, and lets
        // a client cancel as many calls as it completes (never more than its burst at once); this
        // connection error, which ends every call, stays as a second line at 1,000 resets a
        // second, counted over 100 ms because swift-nio-http2 keeps a slot per reset it counts.
        h2.stream.streamResetFrameRateLimit.maximumCount = 100
        h2.stream.streamResetFrameRateLimit.windowLength = .milliseconds(100)
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
