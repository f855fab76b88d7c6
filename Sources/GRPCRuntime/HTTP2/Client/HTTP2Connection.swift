import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP2
import NIOPosix

/// A new stream's channel and the handler its response is read from.
struct OpenedStream: Sendable {
    let channel: any Channel
    let inbound: ClientStreamInbound
}

typealias StreamMultiplexer = NIOHTTP2Handler.AsyncStreamMultiplexer<Void>

/// Keeps one HTTP/2 connection to an address for all calls: connects on first use,
/// reconnects when it drops (waiting out an exponential backoff after failures),
/// and moves new calls to a fresh connection when the server sends GOAWAY.
final class HTTP2Connection: Sendable {
    private enum State {
        case idle
        case connecting(EventLoopFuture<Connected>)
        case ready(Connected)
        /// The last attempt failed; the next starts at `retryAt`.
        case backingOff(retryAt: NIODeadline, error: any Error)
        case closed
    }

    struct Connected: Sendable {
        let channel: any Channel
        let multiplexer: StreamMultiplexer
        let goAway: GoAwayRecord
    }

    private struct Box: @unchecked Sendable {
        var state: State = .idle
        var failedAttempts = 0
        /// Connections that sent GOAWAY and still finish their calls; closed with the rest.
        var draining: [ObjectIdentifier: any Channel] = [:]
    }

    let host: String
    let port: Int
    let endpoint: Endpoint
    let configuration: Configuration
    let group: any EventLoopGroup
    private let box = NIOLockedValueBox(Box())

    /// How to connect: the transport security, how long a connection attempt may take, how
    /// long to wait between failed ones.
    struct Configuration: Sendable {
        var transportSecurity: (any ClientTransportSecurity)?
        var connectTimeout: Duration
        var backoff: Backoff
    }

    init(host: String, port: Int, configuration: Configuration, group: any EventLoopGroup) {
        self.endpoint = Endpoint(host: host, port: port)
        self.host = host
        self.port = port
        self.configuration = configuration
        self.group = group
    }

    /// A new HTTP/2 stream on the current connection, with the record of its connection's
    /// GOAWAY (for telling refused calls). With `waitForReady`, waits out failed connection
    /// attempts until `deadline`, then fails with DEADLINE_EXCEEDED.
    func openStream(waitForReady: Bool, deadline: ContinuousClock.Instant? = nil) async throws -> (OpenedStream, GoAwayRecord) {
        // A connection can go away between being handed out and used (GOAWAY, close):
        // then one fresh connection is tried before giving up.
        var attempts = 0
        while true {
            let connected = try await connection(waitForReady: waitForReady, deadline: deadline)
            // A connection the peer closed a moment ago may still be in the ready state until
            // the event loop reads the close; new streams on it would be lost.
            guard connected.channel.isActive else {
                forget(connected.channel)
                attempts += 1
                if attempts >= 2, !waitForReady { throw RPCError(.unavailable, "the connection to \(host):\(port) closed") }
                continue
            }
            do {
                let stream = try await connected.multiplexer.openStream { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let inbound = ClientStreamInbound(eventLoop: channel.eventLoop)
                        try channel.pipeline.syncOperations.addHandler(inbound)
                        return OpenedStream(channel: channel, inbound: inbound)
                    }
                }
                return (stream, connected.goAway)
            } catch {
                forget(connected.channel)
                attempts += 1
                if Task.isCancelled { throw CancellationError() }
                if attempts >= 2, !waitForReady {
                    throw RPCError(.unavailable, "cannot open a stream to \(host):\(port): \(error)")
                }
            }
        }
    }

    private enum Step {
        case use(Connected)
        case await(EventLoopFuture<Connected>)
        case connect(EventLoopPromise<Connected>)
        case wait(until: NIODeadline)
        case fail(any Error)
    }

    /// Where the connection stands, for load balancers.
    enum Status: Equatable {
        case idle, connecting, ready
        /// Failed; not worth trying before the backoff ends.
        case transientFailure
        case shutdown
    }

    var status: Status {
        box.withLockedValue { box in
            switch box.state {
            case .idle: .idle
            case .connecting: .connecting
            case .ready(let c): c.channel.isActive ? .ready : .transientFailure
            case .backingOff(let retryAt, _): NIODeadline.now() < retryAt ? .transientFailure : .idle
            case .closed: .shutdown
            }
        }
    }

    /// The channel of the current connection, if there is one.
    var readyChannel: (any Channel)? {
        box.withLockedValue { box in
            if case .ready(let c) = box.state, c.channel.isActive { return c.channel }
            return nil
        }
    }

    /// Connects now if idle, without failing: balancers keep their endpoints connected.
    func warmUp() async {
        _ = try? await connection(waitForReady: false, deadline: nil)
    }

    private func connection(waitForReady: Bool, deadline: ContinuousClock.Instant?) async throws -> Connected {
        while true {
            try Task.checkCancellation()
            let step: Step = box.withLockedValue { box in
                switch box.state {
                case .ready(let c):
                    return .use(c)
                case .connecting(let future):
                    return .await(future)
                case .closed:
                    return .fail(RPCError(.unavailable, "the channel is closed"))
                case .backingOff(let retryAt, let error):
                    if NIODeadline.now() < retryAt {
                        return waitForReady ? .wait(until: retryAt) : .fail(RPCError(.unavailable, "cannot connect to \(host):\(port): \(error)"))
                    }
                    fallthrough
                case .idle:
                    let promise = group.next().makePromise(of: Connected.self)
                    box.state = .connecting(promise.futureResult)
                    return .connect(promise)
                }
            }
            switch step {
            case .use(let c): return c
            case .connect(let promise):
                // This caller makes the attempt; others wait on the promise.
                await connect(fulfilling: promise)
                continue
            case .fail(let error): throw error
            case .wait(let retryAt):
                // Until the next attempt, or the call's deadline if that comes first.
                var wait = Duration.nanoseconds(max(0, (retryAt - NIODeadline.now()).nanoseconds))
                if let deadline {
                    let left = deadline - .now
                    guard left > .zero else {
                        throw RPCError(.deadlineExceeded, "deadline exceeded waiting for a connection to \(host):\(port)")
                    }
                    wait = min(wait, left)
                }
                try await Task.sleep(for: wait)
            case .await(let future):
                do {
                    return try await future.get()
                } catch {
                    if !waitForReady { throw RPCError(.unavailable, "cannot connect to \(host):\(port): \(error)") }
                }
            }
        }
    }

    /// Makes a connection attempt; its outcome moves the state on and completes `promise`.
    private func connect(fulfilling promise: EventLoopPromise<Connected>) async {
        let security = configuration.transportSecurity
        let host = self.host
        var h2 = NIOHTTP2Handler.Configuration()
        h2.connection.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: 100),
            HTTP2Setting(parameter: .initialWindowSize, value: 1 << 20),
            HTTP2Setting(parameter: .maxHeaderListSize, value: 16384),
        ]
        h2.stream.targetWindowSize = 1 << 20
        h2.connection.targetWindowSize = 1 << 22
        // Every stream on this connection is one the client opened, so a server's RST_STREAM
        // costs only what the client chose to start. NIO's limit on received resets (200 in 30 s,
        // a server's defence against rapid reset) would take a server that resets each stream
        // after answering it (grpcio and grpc-go do when the client has not finished sending,
        // RFC 9113 section 8.1) for an attacker and end the connection with ENHANCE_YOUR_CALM,
        // failing or stranding every call on it. Only a burst of 1,000 within a millisecond trips it now.
        h2.stream.streamResetFrameRateLimit.maximumCount = 1000
        h2.stream.streamResetFrameRateLimit.windowLength = .milliseconds(1)
        let settings = h2
        let result: Result<Connected, any Error>
        do {
            result = .success(try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(TimeAmount(configuration.connectTimeout))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try security?.configureClientChannel(channel, serverHostname: host)
                        let multiplexer = try channel.pipeline.syncOperations.configureAsyncHTTP2Pipeline(
                            mode: .client, configuration: settings
                        ) { stream in stream.eventLoop.makeSucceededVoidFuture() }
                        let record = GoAwayRecord()
                        try channel.pipeline.syncOperations.addHandler(GoAwayObserver(record: record) { [weak self] in self?.forget(channel) })
                        return Connected(channel: channel, multiplexer: multiplexer, goAway: record)
                    }
                })
        } catch {
            result = .failure(error)
        }
        do {
            switch result {
            case .success(let connected):
                let keep = self.box.withLockedValue { box -> Bool in
                    if case .closed = box.state { return false }
                    box.state = .ready(connected)
                    box.failedAttempts = 0
                    return true
                }
                if !keep { connected.channel.close(promise: nil) }
                connected.channel.closeFuture.whenComplete { _ in self.forget(connected.channel) }
            case .failure(let error):
                self.box.withLockedValue { box in
                    if case .closed = box.state { return }
                    box.failedAttempts += 1
                    let delay = self.configuration.backoff.delay(attempt: box.failedAttempts)
                    box.state = .backingOff(retryAt: .now() + TimeAmount(delay), error: error)
                }
            }
        }
        promise.completeWith(result)
    }

    /// Stops handing out `channel` for new calls (it closed, or sent GOAWAY).
    func forget(_ channel: any Channel) {
        box.withLockedValue { box in
            if case .ready(let c) = box.state, c.channel === channel { box.state = .idle }
            if channel.isActive { box.draining[ObjectIdentifier(channel)] = channel } else { box.draining[ObjectIdentifier(channel)] = nil }
        }
    }

    func close() {
        let channels: [any Channel] = box.withLockedValue { box in
            defer {
                box.state = .closed
                box.draining = [:]
            }
            var channels = Array(box.draining.values)
            if case .ready(let c) = box.state { channels.append(c.channel) }
            return channels
        }
        for channel in channels { channel.close(promise: nil) }
    }
}

/// The last stream id of a GOAWAY the server sent on a connection: streams above it were
/// never processed, so their calls can go elsewhere.
final class GoAwayRecord: Sendable {
    private let box = NIOLockedValueBox<HTTP2StreamID?>(nil)

    var lastStreamID: HTTP2StreamID? { box.withLockedValue { $0 } }

    func record(_ id: HTTP2StreamID) {
        box.withLockedValue { $0 = min($0 ?? id, id) }
    }
}

/// Tells the connection manager when the server sends GOAWAY, so new calls go elsewhere.
private final class GoAwayObserver: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTP2Frame
    let record: GoAwayRecord
    let onGoAway: @Sendable () -> Void

    init(record: GoAwayRecord, onGoAway: @escaping @Sendable () -> Void) {
        self.record = record
        self.onGoAway = onGoAway
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .goAway(let lastStreamID, _, _) = unwrapInboundIn(data).payload {
            record.record(lastStreamID)
            onGoAway()
        }
        context.fireChannelRead(data)
    }
}

/// Something set up on every client connection before HTTP/2, such as TLS.
public protocol ClientTransportSecurity: Sendable {
    func configureClientChannel(_ channel: any Channel, serverHostname: String) throws
}
