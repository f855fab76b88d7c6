import NIOCore
import NIOHPACK
import NIOHTTP2

/// Guards one server stream's request: counts the bytes of its incomplete messages against the
/// connection's and the server's buffer budgets, ends a call without a deadline whose request
/// makes no progress for the request idle timeout, and refuses a `grpc-timeout` it cannot read.
/// Each way the call ends with a status (`resourceExhausted`, `cancelled`, `internal`) and the
/// stream is reset, so the client stops sending.
///
/// Sits in the stream's channel in front of the call, and sees the response go out too, so that
/// the status it sends is well formed (trailers-only or trailers) and comes only once.
final class RequestGuardHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias InboundOut = HTTP2Frame.FramePayload
    typealias OutboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    private let idleTimeout: Duration?
    private let connectionBudget: ByteBudget
    private let serverBudget: ByteBudget
    private var context: ChannelHandlerContext?
    /// Whether the request idle timeout applies: the request is open and the call has no deadline.
    private var idleWatched = false
    /// When the request last made progress (its headers, or request bytes).
    private var lastProgress = NIODeadline.distantPast
    /// Set at the end of a read pass in which the request stayed open (a request that comes
    /// whole in one pass, as most unary ones do, never sets one), and then only re-armed when it
    /// fires before the idle timeout has passed since `lastProgress`.
    private var idleTimer: Scheduled<Void>?
    /// The idle timeout is not running while the call holds the stream's reads.
    private var idleSuspended = false
    private var headersSeen = false
    private var requestOpen = false
    private var responseStarted = false
    private var responseEnded = false
    /// Bytes drawn from the budgets: those of the request message not yet complete.
    private var reserved = 0
    /// The length prefix of the next message, while incomplete.
    private var prefix: [UInt8] = []
    /// Bytes of the current message's payload not yet received.
    private var messageLeft = 0

    init(idleTimeout: Duration?, connectionBudget: ByteBudget, serverBudget: ByteBudget) {
        self.idleTimeout = idleTimeout
        self.connectionBudget = connectionBudget
        self.serverBudget = serverBudget
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    // MARK: Request

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .headers(let headers) where !headersSeen:
            headersSeen = true
            requestOpen = !headers.endStream
            let timeout = headers.headers.first(name: GRPCHeader.timeout)
            if let timeout, GRPCTimeout.parse(timeout) == nil {
                // As grpc-go does: a deadline the server cannot read is not silently dropped.
                // The call never starts: its head is not passed on.
                end(Status(.internal, "invalid grpc-timeout value '\(timeout.prefix(32))'"))
                return
            }
            // A call with a deadline is ended by it; only calls without one need this.
            if requestOpen, timeout == nil, idleTimeout != nil {
                idleWatched = true
                lastProgress = .now()
            }
        case .headers(let trailers) where trailers.endStream:
            requestEnded()
        case .data(let body):
            if responseEnded {
                // The call is over; the bytes are dropped as they come.
                break
            }
            if case .byteBuffer(let bytes) = body.data, bytes.readableBytes > 0 {
                guard account(bytes) else {
                    end(Status(.resourceExhausted, "the server is buffering too many request bytes"))
                    return
                }
                if idleWatched { lastProgress = .now() }
            }
            if body.endStream { requestEnded() }
        default:
            break
        }
        context.fireChannelRead(data)
    }

    /// Draws `bytes` from the budgets, then gives back those of every message they complete.
    private func account(_ bytes: ByteBuffer) -> Bool {
        let count = bytes.readableBytes
        guard connectionBudget.reserve(count) else { return false }
        guard serverBudget.reserve(count) else {
            connectionBudget.release(count)
            return false
        }
        reserved += count
        var index = bytes.readerIndex
        let end = bytes.writerIndex
        while index < end {
            if messageLeft > 0 {
                let take = min(messageLeft, end - index)
                messageLeft -= take
                index += take
            } else if prefix.isEmpty, end - index >= 5 {
                // A whole prefix in this buffer (the common case): its length read at once.
                messageLeft = Int(bytes.getInteger(at: index + 1, as: UInt32.self)!)
                index += 5
            } else {
                prefix.append(bytes.getInteger(at: index, as: UInt8.self)!)
                index += 1
                guard prefix.count == 5 else { continue }
                messageLeft = Int(prefix[1]) << 24 | Int(prefix[2]) << 16 | Int(prefix[3]) << 8 | Int(prefix[4])
                prefix.removeAll(keepingCapacity: true)
            }
            if messageLeft == 0 && prefix.isEmpty {
                // A message is complete and on its way to the call: its bytes are the call's now.
                let completed = reserved - (end - index)
                release(completed)
            }
        }
        return true
    }

    private func release(_ count: Int) {
        guard count > 0 else { return }
        reserved -= count
        connectionBudget.release(count)
        serverBudget.release(count)
    }

    private func requestEnded() {
        requestOpen = false
        idleWatched = false
        idleTimer?.cancel()
        idleTimer = nil
        idleSuspended = false
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if idleWatched, idleTimer == nil, !idleSuspended { armIdleTimer() }
        context.fireChannelReadComplete()
    }

    /// The call has stopped reading the stream (`HTTP2ServerStream` holds its reads while the
    /// call has enough unread requests), or reads again. While reads are held the client waits
    /// for the server, not the other way round, so the idle timeout does not run.
    enum RequestReads {
        case held
        case resumed
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let reads = event as? RequestReads else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch reads {
        case .held:
            if idleWatched {
                idleTimer?.cancel()
                idleTimer = nil
                idleSuspended = true
            }
        case .resumed:
            if idleSuspended {
                idleSuspended = false
                // Held back by the server, the client made no progress of its own to count.
                lastProgress = .now()
                armIdleTimer()
            }
        }
        promise?.succeed()
    }

    /// Sets the timer for the idle timeout after `lastProgress`; when it fires, the call ends if
    /// the request made no progress since, and the timer is set again for the rest otherwise.
    private func armIdleTimer() {
        idleTimer?.cancel()
        guard let idleTimeout, let context else { return }
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(deadline: lastProgress + TimeAmount(idleTimeout)) {
            let guardHandler = handler.value
            guardHandler.idleTimer = nil
            guard guardHandler.idleWatched, !guardHandler.idleSuspended else { return }
            if NIODeadline.now() >= guardHandler.lastProgress + TimeAmount(idleTimeout) {
                guardHandler.end(Status(.cancelled, "no request data for \(idleTimeout)"))
            } else {
                guardHandler.armIdleTimer()
            }
        }
    }

    private func stop() {
        idleWatched = false
        idleTimer?.cancel()
        idleTimer = nil
        release(reserved)
    }

    // MARK: Response

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if responseEnded {
            promise?.fail(RPCError(.cancelled, "the call has ended"))
            return
        }
        if case .headers(let headers) = unwrapOutboundIn(data) {
            responseStarted = true
            if headers.endStream { responseEnded = true }
        }
        if responseEnded { stop() }
        context.write(data, promise: promise)
    }

    /// Ends the call with `status`, and resets the stream once the status is written.
    private func end(_ status: Status) {
        guard let context else { return }
        stop()
        requestOpen = false
        let channel = context.channel
        guard !responseEnded else {
            channel.close(promise: nil)
            return
        }
        var headers = HPACKHeaders()
        if !responseStarted {
            headers.add(name: ":status", value: "200")
            headers.add(name: "content-type", value: GRPCHeader.contentType)
        }
        status.write(to: &headers)
        responseEnded = true
        context.writeAndFlush(wrapOutboundOut(.headers(.init(headers: headers, endStream: true)))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
