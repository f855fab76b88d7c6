import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHPACK
import NIOHTTP2
import ProtoWire

/// One HTTP/2 stream of a server connection as one gRPC call: checks that the request is gRPC
/// at all (POST, `application/grpc`), hands its head to the gRPC layer, deframes DATA into
/// request messages, and writes the response the gRPC layer sends as HEADERS, DATA and trailers.
final class HTTP2ServerStream: ServerTransportStream, @unchecked Sendable {
    typealias Frames = NIOAsyncChannel<HTTP2Frame.FramePayload, HTTP2Frame.FramePayload>

    /// How long a stream whose response has ended may wait for the client to finish its request
    /// before it is reset.
    static let requestGracePeriod = TimeAmount.seconds(10)

    let frames: Frames
    let peer: String
    let logger: Logger
    private var channel: any Channel { frames.channel }

    private let lock = NIOLock()
    // Guarded by `lock`.
    private var pendingHeaders: HPACKHeaders?
    private var headersSent = false
    private var ended = false
    private var requestOpen = true
    private var compressor: MessageCompressor?
    /// Messages handed to the event loop since the last wait for one to be written.
    private var unconfirmedWrites = 0

    /// How many messages may be on their way to the event loop before a write waits for the
    /// loop to catch up: a handler producing faster than the loop writes must not queue without end.
    static let maximumUnconfirmedWrites = 16

    init(frames: Frames, peer: String, logger: Logger) {
        self.frames = frames
        self.peer = peer
        self.logger = logger
    }

    var preferredExecutor: (any TaskExecutor)? { nil }

    // MARK: Request

    /// Reads the stream until it closes, feeding the call.
    func run(_ acceptor: any ServerCallAcceptor) async {
        do {
            try await frames.executeThenClose { inbound, _ in
                var iterator = inbound.makeAsyncIterator()
                guard let first = try await iterator.next(), case .headers(let request) = first else { return }
                // Reset by the client while its HEADERS waited here: nothing to answer.
                guard channel.isActive else { return }
                guard let (call, head) = accept(request, acceptor) else { return }
                let encoding = head.encoding.flatMap(CompressionAlgorithm.init(name:))
                await read(&iterator, into: call, encoding: encoding, endedInHeaders: request.endStream)
            }
        } catch {
            logger.debug("stream closed: \(error)")
        }
    }

    /// The call for a request's HEADERS, or nil after answering a request that is not gRPC.
    private func accept(_ request: HTTP2Frame.FramePayload.Headers, _ acceptor: any ServerCallAcceptor) -> (any ServerCallInbound, RequestHead)? {
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

    private func read(
        _ iterator: inout NIOAsyncChannelInboundStream<HTTP2Frame.FramePayload>.AsyncIterator, into call: any ServerCallInbound,
        encoding: CompressionAlgorithm?, endedInHeaders: Bool
    ) async {
        var deframer = MessageDeframer(maximumMessageSize: call.maximumMessageSize, encoding: encoding)
        var open = !endedInHeaders
        if !open { requestEnded(call) }
        do {
            // After the request ends the stream is still read: a reset (RST_STREAM) from the
            // client ends the call and cancels its handler; the stream closing ends the loop.
            while let frame = try await iterator.next() {
                guard open else { continue }
                switch frame {
                case .data(let data):
                    if case .byteBuffer(let bytes) = data.data { deframer.append(bytes) }
                    while let (payload, compressed) = try deframer.nextWithFlag() {
                        call.receive(ReceivedMessage(bytes: payload, compressed: compressed))
                    }
                    if data.endStream {
                        guard deframer.isEmpty else { throw RPCError(.internal, "request ended inside a message") }
                        open = false
                        requestEnded(call)
                    }
                case .headers(let trailers) where trailers.endStream:
                    open = false
                    requestEnded(call)
                default:
                    break
                }
            }
            // Closed: after the call, or under it (the connection went).
            call.abort(nil)
        } catch let error as RPCError {
            call.abort(error)
            // The status is on its way; the stream closes once the client is done, or is reset.
            while (try? await iterator.next()) != nil {}
        } catch {
            // Reset by the client, or the connection closed.
            call.abort(nil)
        }
    }

    /// Notes that the client finished its request, and tells the call.
    private func requestEnded(_ call: any ServerCallInbound) {
        lock.withLock { requestOpen = false }
        call.receiveEnd()
    }

    // MARK: Response

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
        var frames: [HTTP2Frame.FramePayload] = []
        let confirm: Bool = try lock.withLock {
            if ended { throw RPCError(.cancelled, "the call has ended") }
            frames.reserveCapacity(2)
            if let headers = takeHeaders() { frames.append(.headers(.init(headers: headers))) }
            frames.append(.data(.init(data: .byteBuffer(try frame(message, compress: compress)))))
            unconfirmedWrites += 1
            guard unconfirmedWrites >= Self.maximumUnconfirmedWrites else { return false }
            unconfirmedWrites = 0
            return true
        }
        try await write(frames, confirm: confirm)
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
    private func write(_ frames: [HTTP2Frame.FramePayload], confirm: Bool = false) async throws {
        if channel.isWritable, !confirm {
            writeNow(frames)
            return
        }
        let promise = channel.eventLoop.makePromise(of: Void.self)
        writeNow(frames, promise: promise)
        try await promise.futureResult.get()
    }

    private func writeNow(_ frames: [HTTP2Frame.FramePayload], promise: EventLoopPromise<Void>? = nil) {
        let channel = self.channel
        if channel.eventLoop.inEventLoop {
            Self.write(frames, to: channel, promise: promise)
        } else {
            channel.eventLoop.execute { Self.write(frames, to: channel, promise: promise) }
        }
    }

    private static func write(_ frames: [HTTP2Frame.FramePayload], to channel: any Channel, promise: EventLoopPromise<Void>?) {
        for (index, frame) in frames.enumerated() {
            channel.write(frame, promise: index == frames.count - 1 ? promise : nil)
        }
        channel.flush()
    }

    /// The response is complete but the client is still sending: it gets a while to finish,
    /// then the stream is reset. Closing at once would drop responses still waiting for flow control.
    private func resetUnlessClosed() {
        let channel = self.channel
        let reset = channel.eventLoop.scheduleTask(in: Self.requestGracePeriod) { channel.close(promise: nil) }
        channel.closeFuture.whenComplete { _ in reset.cancel() }
    }
}
