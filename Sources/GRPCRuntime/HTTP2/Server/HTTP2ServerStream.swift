import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHPACK
import NIOHTTP2
import ProtoWire

/// One HTTP/2 stream of a server connection as one gRPC call, handled where the stream's frames
/// arrive (the last handler of its stream channel, on the connection's event loop): checks that
/// the request is gRPC at all (POST, `application/grpc`), hands its head to the gRPC layer,
/// deframes DATA into request messages as it comes, and writes the response the gRPC layer sends
/// as HEADERS, DATA and trailers. No task and no thread hop between the frames and the call.
///
/// Reading stops while the call holds as many unread messages as it buffers (`receive` returned
/// false), so that a client streaming to a slow handler is held back by HTTP/2 flow control.
final class HTTP2ServerStream: ChannelDuplexHandler, ServerTransportStream, @unchecked Sendable {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    /// How long a stream whose response has ended may wait for the client to finish its request
    /// before it is reset.
    static let requestGracePeriod = TimeAmount.seconds(10)

    /// How many messages may be on their way to the event loop before a write waits for the
    /// loop to catch up: a handler producing faster than the loop writes must not queue without end.
    static let maximumUnconfirmedWrites = 16

    /// Messages written on the event loop in one pass share a DATA frame up to this many bytes.
    static let coalescingLimit = 16 * 1024

    private enum RequestState {
        /// Before the request's HEADERS.
        case head
        /// The request's messages go to `call`.
        case reading(any ServerCallInbound, MessageDeframer)
        /// The client half-closed: the stream is read on for a reset or its close.
        case ended(any ServerCallInbound)
        /// Nothing more goes to a call: it was aborted, or there was none (not a gRPC request).
        case done
    }

    let channel: any Channel
    let peer: String
    let logger: Logger
    let preferredExecutor: (any TaskExecutor)?
    private let acceptor: any ServerCallAcceptor

    // On the event loop only.
    private var context: ChannelHandlerContext?
    private var request = RequestState.head
    /// The call asked for no more messages for now; a `read` that came meanwhile waits here.
    private var readingPaused = false
    private var readHeld = false
    private var inactive = false
    /// A flush of deferred writes is queued on the event loop.
    private var flushQueued = false
    /// Messages written on the event loop since the last flush, framed back to back: they go out
    /// as one DATA frame before any other frame of the stream, or with the deferred flush.
    /// swift-nio-http2 and the connection's handlers cost about as much per frame as the rest of
    /// a small message's way out.
    private var pendingData: ByteBuffer?

    private let lock = NIOLock()
    // Guarded by `lock`.
    private var pendingHeaders: HPACKHeaders?
    private var headersSent = false
    private var ended = false
    private var requestOpen = true
    private var compressor: MessageCompressor?
    /// Messages handed to the event loop since the last wait for one to be written.
    private var unconfirmedWrites = 0

    init(channel: any Channel, peer: String, logger: Logger, acceptor: any ServerCallAcceptor, executor: (any TaskExecutor)?) {
        self.channel = channel
        self.peer = peer
        self.logger = logger
        self.acceptor = acceptor
        self.preferredExecutor = executor
    }

    // MARK: Request, on the event loop

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch request {
        case .head:
            guard case .headers(let headers) = frame else { return }
            guard let (call, head) = accept(headers) else {
                request = .done
                return
            }
            if headers.endStream {
                request = .ended(call)
                requestEnded(call)
            } else {
                let encoding = head.encoding.flatMap(CompressionAlgorithm.init(name:))
                request = .reading(call, MessageDeframer(maximumMessageSize: call.maximumMessageSize, encoding: encoding))
            }
        case .reading(let call, var deframer):
            // Out of `request` while it changes, so that the deframer's buffer is not copied.
            request = .done
            do {
                switch frame {
                case .data(let data):
                    if case .byteBuffer(let bytes) = data.data { deframer.append(bytes) }
                    while let (payload, compressed) = try deframer.nextWithFlag() {
                        if !call.receive(ReceivedMessage(bytes: payload, compressed: compressed)) { holdReads(context) }
                    }
                    if data.endStream {
                        guard deframer.isEmpty else { throw RPCError(.internal, "request ended inside a message") }
                        request = .ended(call)
                        requestEnded(call)
                        return
                    }
                case .headers(let trailers) where trailers.endStream:
                    request = .ended(call)
                    requestEnded(call)
                    return
                default:
                    break
                }
                if inactive {
                    // Closed while the call took the messages (it ended the stream itself).
                    call.abort(nil)
                } else {
                    request = .reading(call, deframer)
                }
            } catch {
                // The status is on its way; the stream closes once the client is done, or is reset.
                call.abort(error as? RPCError ?? RPCError(.internal, "\(error)"))
            }
        case .ended, .done:
            // After the request ends the stream is still read: a reset from the client ends the
            // call and cancels its handler (channelInactive).
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // Closed: after the call, or under it (a reset, or the connection went).
        inactive = true
        switch request {
        case .reading(let call, _), .ended(let call):
            request = .done
            call.abort(nil)
        case .head, .done:
            request = .done
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A reset or a stream error: the stream closes next, which ends the call.
        logger.debug("stream error: \(error)")
    }

    /// Holds the stream's reads while the call has enough buffered.
    func read(context: ChannelHandlerContext) {
        if readingPaused {
            readHeld = true
        } else {
            context.read()
        }
    }

    func resumeReading() {
        let loop = channel.eventLoop
        if loop.inEventLoop {
            resumeOnLoop()
        } else {
            loop.execute { self.resumeOnLoop() }
        }
    }

    private func holdReads(_ context: ChannelHandlerContext) {
        guard !readingPaused else { return }
        readingPaused = true
        context.triggerUserOutboundEvent(RequestGuardHandler.RequestReads.held, promise: nil)
    }

    private func resumeOnLoop() {
        guard readingPaused, let context else { return }
        readingPaused = false
        context.triggerUserOutboundEvent(RequestGuardHandler.RequestReads.resumed, promise: nil)
        guard readHeld else { return }
        readHeld = false
        context.read()
    }

    /// The call for a request's HEADERS, or nil after answering a request that is not gRPC.
    private func accept(_ request: HTTP2Frame.FramePayload.Headers) -> (any ServerCallInbound, RequestHead)? {
        let headers = request.headers
        guard headers.first(name: ":method") == "POST" else {
            respond(httpStatus: "405")
            return nil
        }
        guard let contentType = headers.first(name: "content-type"), GRPCHeader.isGRPCContentType(contentType) else {
            respond(httpStatus: "415")
            return nil
        }
        let head = RequestHead(requestHeaders: headers)
        return (acceptor.accept(head, on: self), head)
    }

    private func respond(httpStatus: String) {
        var headers = HPACKHeaders()
        headers.add(name: ":status", value: httpStatus)
        lock.withLock { ended = true }
        channel.writeAndFlush(HTTP2Frame.FramePayload.headers(.init(headers: headers, endStream: true)), promise: nil)
    }

    /// Notes that the client finished its request, and tells the call.
    private func requestEnded(_ call: any ServerCallInbound) {
        lock.withLock { requestOpen = false }
        call.receiveEnd()
    }

    // MARK: Response, from any thread

    func sendHeaders(_ metadata: Metadata, encoding: CompressionAlgorithm?) {
        var headers = HPACKHeaders()
        headers.add(name: ":status", value: "200")
        headers.add(name: "content-type", value: GRPCHeader.contentType)
        if let encoding, encoding != .identity {
            headers.add(name: GRPCHeader.encoding, value: encoding.name)
        }
        metadata.write(to: &headers)
        lock.withLock {
            guard !headersSent, !ended else { return }
            headersSent = true
            pendingHeaders = headers
            if let encoding, encoding != .identity { compressor = MessageCompressor(algorithm: encoding) }
        }
    }

    func sendMessage<Message: ProtoMessage>(_ message: Message, compress: Bool) async throws {
        let (headers, data, confirm) = try lock.withLock { () throws -> (HPACKHeaders?, ByteBuffer, Bool) in
            if ended { throw RPCError(.cancelled, "the call has ended") }
            let headers = takeHeaders()
            let data = try frame(message, compress: compress)
            unconfirmedWrites += 1
            guard unconfirmedWrites >= Self.maximumUnconfirmedWrites else { return (headers, data, false) }
            unconfirmedWrites = 0
            return (headers, data, true)
        }
        if !confirm, channel.eventLoop.inEventLoop, channel.isWritable {
            coalesce(data, after: headers)
            return
        }
        var frames: [HTTP2Frame.FramePayload] = []
        frames.reserveCapacity(2)
        if let headers { frames.append(.headers(.init(headers: headers))) }
        frames.append(.data(.init(data: .byteBuffer(data))))
        try await write(frames, confirm: confirm, deferFlush: true)
    }

    func sendMessage<Message: ProtoMessage>(_ message: Message, compress: Bool, thenStatus status: Status, trailers: Metadata) async throws {
        var frames: [HTTP2Frame.FramePayload] = []
        let scheduleReset: Bool = try lock.withLock {
            if ended { throw RPCError(.cancelled, "the call has ended") }
            frames.reserveCapacity(3)
            if let headers = takeHeaders() { frames.append(.headers(.init(headers: headers))) }
            frames.append(.data(.init(data: .byteBuffer(try frame(message, compress: compress)))))
            frames.append(trailersFrame(status, trailers: trailers, only: false))
            ended = true
            return requestOpen
        }
        try await write(frames)
        if scheduleReset { resetUnlessClosed() }
    }

    func sendStatus(_ status: Status, trailers: Metadata) {
        var frames: [HTTP2Frame.FramePayload] = []
        let scheduleReset: Bool? = lock.withLock {
            if ended { return nil }
            ended = true
            if let headers = takeHeaders() { frames.append(.headers(.init(headers: headers))) }
            frames.append(trailersFrame(status, trailers: trailers, only: !headersSent))
            return requestOpen
        }
        guard let scheduleReset else { return }
        writeNow(frames)
        if scheduleReset { resetUnlessClosed() }
    }

    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> CallTimer {
        let scheduled = channel.eventLoop.scheduleTask(deadline: NIODeadline(deadline), action)
        return CallTimer { scheduled.cancel() }
    }

    /// The pending response headers, taken; call with the lock held.
    private func takeHeaders() -> HPACKHeaders? {
        defer { pendingHeaders = nil }
        return pendingHeaders
    }

    /// One message framed; call with the lock held (the compressor is the stream's).
    private func frame<Message: ProtoMessage>(_ message: Message, compress: Bool) throws(RPCError) -> ByteBuffer {
        try MessageFramer.frame(message, compressor: &compressor, compress: compress, allocator: channel.allocator)
    }

    private func trailersFrame(_ status: Status, trailers: Metadata, only: Bool) -> HTTP2Frame.FramePayload {
        var headers = HPACKHeaders()
        if only {
            // Trailers-only: the status travels in the only header block.
            headers.add(name: ":status", value: "200")
            headers.add(name: "content-type", value: GRPCHeader.contentType)
        }
        status.write(to: &headers)
        trailers.write(to: &headers)
        return .headers(.init(headers: headers, endStream: true))
    }

    /// Writes and flushes `frames` in one trip to the event loop; waits while the stream cannot
    /// take more (flow control), or, with `confirm`, until the loop has written them.
    ///
    /// With `deferFlush`, a write made on the event loop (a handler running there) is flushed
    /// once the loop has run what is queued, together with the messages written meanwhile:
    /// swift-nio-http2 walks its flow-control buffers on every flush, which cost a streaming
    /// handler more than the rest of the message.
    private func write(_ frames: [HTTP2Frame.FramePayload], confirm: Bool = false, deferFlush: Bool = false) async throws {
        if channel.isWritable, !confirm {
            writeNow(frames, deferFlush: deferFlush)
            return
        }
        let promise = channel.eventLoop.makePromise(of: Void.self)
        writeNow(frames, promise: promise, deferFlush: deferFlush)
        try await promise.futureResult.get()
    }

    private func writeNow(_ frames: [HTTP2Frame.FramePayload], promise: EventLoopPromise<Void>? = nil, deferFlush: Bool = false) {
        let channel = self.channel
        guard channel.eventLoop.inEventLoop else {
            channel.eventLoop.execute {
                self.writePending()
                Self.write(frames, to: channel, promise: promise)
            }
            return
        }
        writePending()
        Self.write(frames, to: channel, promise: promise, flush: !deferFlush)
        if deferFlush { queueFlush() }
    }

    /// A message written on the event loop, added to the pending DATA frame (written at once
    /// when that is over `coalescingLimit`); `headers`, the response headers, go first.
    private func coalesce(_ message: ByteBuffer, after headers: HPACKHeaders?) {
        if let headers {
            writePending()
            channel.write(HTTP2Frame.FramePayload.headers(.init(headers: headers)), promise: nil)
        }
        var data = message
        if var pending = pendingData {
            // Taken out first, so that the append does not copy what is pending.
            pendingData = nil
            pending.writeImmutableBuffer(message)
            data = pending
        }
        if data.readableBytes >= Self.coalescingLimit {
            channel.write(HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(data))), promise: nil)
        } else {
            pendingData = data
        }
        queueFlush()
    }

    /// Writes the pending DATA frame, if any; on the event loop.
    private func writePending() {
        guard let pending = pendingData else { return }
        pendingData = nil
        channel.write(HTTP2Frame.FramePayload.data(.init(data: .byteBuffer(pending))), promise: nil)
    }

    /// Queues a flush of what the event loop's current pass writes, once.
    private func queueFlush() {
        guard !flushQueued else { return }
        flushQueued = true
        channel.eventLoop.execute {
            self.flushQueued = false
            self.writePending()
            self.channel.flush()
        }
    }

    private static func write(_ frames: [HTTP2Frame.FramePayload], to channel: any Channel, promise: EventLoopPromise<Void>?, flush: Bool = true) {
        for (index, frame) in frames.enumerated() {
            channel.write(frame, promise: index == frames.count - 1 ? promise : nil)
        }
        if flush { channel.flush() }
    }

    /// The response is complete but the client is still sending: it gets a while to finish,
    /// then the stream is reset. Closing at once would drop responses still waiting for flow control.
    private func resetUnlessClosed() {
        let channel = self.channel
        let reset = channel.eventLoop.scheduleTask(in: Self.requestGracePeriod) { channel.close(promise: nil) }
        channel.closeFuture.whenComplete { _ in reset.cancel() }
    }
}

/// An event loop as a task executor: a call's handler that prefers it starts on the loop that
/// reads its stream, so that handing the call over and writing its response take no thread hop.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
