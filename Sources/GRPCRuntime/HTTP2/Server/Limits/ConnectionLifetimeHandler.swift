import NIOCore
import NIOHTTP2

/// Ends connections that hold a server's resources without using them: one that does not send
/// the HTTP/2 preface and first SETTINGS in time, one left without an open stream for the idle
/// timeout, one past its maximum age (after a grace period for its calls), and one beyond the
/// server's connection limit. Each gets a GOAWAY naming the last stream it opened, so that
/// nothing it started is lost, and is closed once that is written.
///
/// Closing sends a FIN and reads on until the client closes its side, or
/// `ConnectionErrorCloser.writeTimeout` passes (a connection over the limit is closed at once,
/// so that a flood of them holds no descriptors). A client may be sending a call it started
/// before the GOAWAY arrived (the GOAWAY tells it that call was not taken, so that it retries
/// it elsewhere); a socket closed while it sends answers with a TCP reset, and the client's
/// next write fails with a broken pipe before it has read the GOAWAY.
///
/// Sits after the HTTP/2 handler, where the connection's own frames pass; learns of streams
/// opening and closing from `StreamCountingDelegate`.
final class ConnectionLifetimeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame
    typealias InboundOut = HTTP2Frame
    typealias OutboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    private let limits: ConnectionLimits
    /// One connection too many: it gets GOAWAY and is closed as soon as it is active.
    private let refused: Bool
    private var context: ChannelHandlerContext?
    private var started = false
    private var prefaceTimer: Scheduled<Void>?
    private var idleTimer: Scheduled<Void>?
    private var ageTimer: Scheduled<Void>?
    private var graceTimer: Scheduled<Void>?
    private var openStreams = 0
    private var lastStream = HTTP2StreamID(0)
    private var goingAway = false
    /// Why the connection is going away, repeated in the GOAWAY sent when its last stream ends.
    private var goingAwayReason = ""

    init(limits: ConnectionLimits, refused: Bool) {
        self.limits = limits
        self.refused = refused
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if prefaceTimer != nil, case .settings(.settings) = unwrapInboundIn(data).payload {
            // swift-nio-http2 has checked the preface; this is the client's first SETTINGS.
            prefaceTimer?.cancel()
            prefaceTimer = nil
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ResetFloodGuard.ResetFlood {
            resetFlood()
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    // MARK: Streams (from StreamCountingDelegate, on the event loop)

    func streamOpened(_ id: HTTP2StreamID) {
        openStreams += 1
        lastStream = max(lastStream, id)
        idleTimer?.cancel()
        idleTimer = nil
    }

    func streamClosed() {
        openStreams -= 1
        guard openStreams == 0 else { return }
        if goingAway {
            // The last stream's final frames may still be on their way out: a second GOAWAY,
            // written after them, closes the connection once it is written.
            goAway(.noError, reason: goingAwayReason, thenClose: true)
        } else {
            scheduleIdleTimer()
        }
    }

    // MARK: Timers

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        if refused {
            goAway(.noError, reason: "too many connections", thenClose: true)
            return
        }
        prefaceTimer = schedule(limits.prefaceTimeout) { handler in
            handler.context?.close(promise: nil)
        }
        ageTimer = schedule(limits.maximumAge) { handler in handler.maximumAgeReached() }
        scheduleIdleTimer()
    }

    private func scheduleIdleTimer() {
        idleTimer?.cancel()
        idleTimer = schedule(limits.idleTimeout) { handler in
            handler.goAway(.noError, reason: "idle", thenClose: true)
        }
    }

    private func maximumAgeReached() {
        idleTimer?.cancel()
        goAway(.noError, reason: "maximum connection age", thenClose: openStreams == 0)
        graceTimer = schedule(limits.maximumAgeGrace) { handler in handler.context?.close(promise: nil) }
    }

    /// The server is shutting down: the client learns which streams will still be served, and
    /// the connection closes once they have ended.
    func drain() {
        guard !goingAway else { return }
        idleTimer?.cancel()
        idleTimer = nil
        goAway(.noError, reason: "server shutting down", thenClose: openStreams == 0)
    }

    /// The client reset too many streams (ResetFloodGuard has stopped reading): the streams it
    /// opened before are still served, for the grace period at most.
    private func resetFlood() {
        idleTimer?.cancel()
        goAway(.noError, reason: "too many reset streams", thenClose: openStreams == 0)
        graceTimer?.cancel()
        graceTimer = schedule(Self.resetFloodGrace) { handler in handler.context?.close(promise: nil) }
    }

    /// How long calls opened before a reset flood may take to finish.
    static let resetFloodGrace = Duration.seconds(5)

    private func schedule(_ delay: Duration?, _ action: @escaping @Sendable (ConnectionLifetimeHandler) -> Void) -> Scheduled<Void>? {
        guard let delay, let context else { return nil }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        return context.eventLoop.scheduleTask(in: TimeAmount(delay)) { action(handler.value) }
    }

    private func cancelTimers() {
        for timer in [prefaceTimer, idleTimer, ageTimer, graceTimer] { timer?.cancel() }
        prefaceTimer = nil
        idleTimer = nil
        ageTimer = nil
        graceTimer = nil
    }

    /// Sends GOAWAY naming the last stream opened; new streams are refused from then on.
    private func goAway(_ code: HTTP2ErrorCode, reason: String, thenClose: Bool) {
        guard let context else { return }
        goingAway = true
        goingAwayReason = reason
        var opaque = context.channel.allocator.buffer(capacity: reason.utf8.count)
        opaque.writeString(reason)
        let frame = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: lastStream, errorCode: code, opaqueData: opaque))
        let written = context.writeAndFlush(wrapOutboundOut(frame))
        guard thenClose else { return }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        // A peer that does not read, or does not close, must not keep the connection.
        context.eventLoop.scheduleTask(in: ConnectionErrorCloser.writeTimeout) { bound.value.close(promise: nil) }
        if refused {
            written.whenComplete { _ in bound.value.close(promise: nil) }
        } else {
            // Only the sending side is closed (see the type's documentation); the reading side
            // follows when the client closes its own.
            written.whenComplete { _ in
                bound.value.close(mode: .output).whenFailure { _ in bound.value.close(promise: nil) }
            }
        }
    }
}

/// swift-nio-http2's stream delegate for a server connection: tells the connection's lifetime
/// handler of each stream opening and closing, on the event loop.
final class StreamCountingDelegate: NIOHTTP2StreamDelegate {
    private let lifetime: NIOLoopBound<ConnectionLifetimeHandler>

    init(lifetime: NIOLoopBound<ConnectionLifetimeHandler>) {
        self.lifetime = lifetime
    }

    func streamCreated(_ id: HTTP2StreamID, channel: any Channel) {
        lifetime.value.streamOpened(id)
    }

    func streamClosed(_ id: HTTP2StreamID, channel: any Channel) {
        lifetime.value.streamClosed()
    }
}
