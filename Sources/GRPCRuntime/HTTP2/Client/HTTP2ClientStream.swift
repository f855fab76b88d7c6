import NIOConcurrencyHelpers
import NIOCore
import NIOHPACK
import NIOHTTP2
import ProtoWire

/// One attempt of a call on an HTTP/2 connection: the request HEADERS (sent with the first
/// message or the half-close), framed DATA, and the response read back as parts: headers
/// (checked for HTTP status and content type), deframed messages, and the status in the trailers.
/// Knows whether the server can have seen the stream, for retries elsewhere.
final class HTTP2ClientStream: ClientTransportStream, @unchecked Sendable {
    let channel: any Channel
    private let inbound: ClientStreamInbound
    let goAway: GoAwayRecord
    let endpoint: Endpoint?
    private let onClose: @Sendable () -> Void

    private let lock = NIOLock()
    // The state below is guarded by `lock` or used by the receiving task only: no run-time
    // exclusivity check is needed on its accesses (`@exclusivity(unchecked)`).
    // Guarded by `lock`: the sending side.
    @exclusivity(unchecked) private var pendingHeaders: HPACKHeaders?
    @exclusivity(unchecked) private var compressor: MessageCompressor?
    @exclusivity(unchecked) private var headersWritten = false
    @exclusivity(unchecked) private var closed = false
    // Guarded by `lock`: what the reading side learnt, read by the sending side's failures.
    @exclusivity(unchecked) private var received = false
    @exclusivity(unchecked) private var refused = false
    /// Messages handed to the event loop since the last wait for one to be written.
    @exclusivity(unchecked) private var unconfirmedWrites = 0

    // Touched only by the task receiving.
    @exclusivity(unchecked) private var deframer: MessageDeframer
    @exclusivity(unchecked) private var sawHeaders = false
    @exclusivity(unchecked) private var ended = false

    init(
        stream: OpenedStream, head: RequestHead, scheme: String, authority: String, goAway: GoAwayRecord, endpoint: Endpoint?,
        maximumMessageSize: Int, onClose: @escaping @Sendable () -> Void
    ) {
        self.channel = stream.channel
        self.inbound = stream.inbound
        self.goAway = goAway
        self.endpoint = endpoint
        self.onClose = onClose
        self.pendingHeaders = head.requestHeaders(scheme: scheme, authority: authority)
        if let name = head.encoding, let algorithm = CompressionAlgorithm(name: name), algorithm != .identity {
            compressor = MessageCompressor(algorithm: algorithm)
        }
        self.deframer = MessageDeframer(maximumMessageSize: maximumMessageSize, encoding: nil)
    }

    // MARK: Sending

    func sendMessage<Message: ProtoMessage>(_ message: Message, compress: Bool, endOfRequests: Bool) async throws {
        var frames: [HTTP2Frame.FramePayload] = []
        let confirm: Bool = try lock.withLock {
            frames.reserveCapacity(2)
            if let headers = takeHeaders() { frames.append(.headers(.init(headers: headers))) }
            let buffer = try MessageFramer.frame(message, compressor: &compressor, compress: compress, allocator: channel.allocator)
            frames.append(.data(.init(data: .byteBuffer(buffer), endStream: endOfRequests)))
            // A writer faster than the event loop waits now and then, so that writes cannot queue without end.
            unconfirmedWrites += 1
            guard unconfirmedWrites >= HTTP2ServerStream.maximumUnconfirmedWrites else { return false }
            unconfirmedWrites = 0
            return true
        }
        try await write(frames, confirm: confirm)
    }

    func sendEnd() async throws {
        var frames: [HTTP2Frame.FramePayload] = []
        lock.withLock {
            if let headers = takeHeaders() {
                frames.append(.headers(.init(headers: headers, endStream: true)))
            } else {
                frames.append(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true)))
            }
        }
        try await write(frames)
    }

    /// The request headers, the first time; call with the lock held.
    private func takeHeaders() -> HPACKHeaders? {
        guard let headers = pendingHeaders else { return nil }
        pendingHeaders = nil
        headersWritten = true
        return headers
    }

    private func write(_ frames: [HTTP2Frame.FramePayload], confirm: Bool = false) async throws {
        let channel = self.channel
        let promise = channel.eventLoop.makePromise(of: Void.self)
        let wait = confirm || !channel.isWritable
        if channel.eventLoop.inEventLoop {
            Self.write(frames, to: channel, promise: promise)
        } else {
            channel.eventLoop.execute { Self.write(frames, to: channel, promise: promise) }
        }
        do {
            if wait {
                try await promise.futureResult.get()
            } else {
                promise.futureResult.whenFailure { _ in }
            }
        } catch {
            throw await failure(error)
        }
    }

    private static func write(_ frames: [HTTP2Frame.FramePayload], to channel: any Channel, promise: EventLoopPromise<Void>) {
        for (index, frame) in frames.enumerated() {
            channel.write(frame, promise: index == frames.count - 1 ? promise : nil)
        }
        channel.flush()
    }

    // MARK: Receiving

    func receive() async throws -> ResponsePart {
        while true {
            if let (payload, compressed) = try deframer.nextWithFlag() {
                return .message(ReceivedMessage(bytes: payload, compressed: compressed))
            }
            if ended { throw RPCError(.internal, "the response has ended") }
            let frame: HTTP2Frame.FramePayload?
            do {
                frame = try await inbound.next()
            } catch {
                throw await failure(error)
            }
            guard let frame else {
                ended = true
                throw await failure(RPCError(.unavailable, "the stream closed before the call ended"))
            }
            if let part = try await read(frame) { return part }
        }
    }

    private func read(_ frame: HTTP2Frame.FramePayload) async throws -> ResponsePart? {
        switch frame {
        case .headers, .data:
            if !received { lock.withLock { received = true } }
        default:
            break
        }
        switch frame {
        case .headers(let block):
            if !sawHeaders && !block.endStream {
                sawHeaders = true
                if let status = Self.httpStatusProblem(block.headers) {
                    ended = true
                    return .status(status, trailers: [:])
                }
                if let name = block.headers.first(name: GRPCHeader.encoding), name != "identity" {
                    guard let algorithm = CompressionAlgorithm(name: name) else {
                        ended = true
                        return .status(Status(.internal, "the server used an unknown message encoding: \(name)"), trailers: [:])
                    }
                    deframer = MessageDeframer(maximumMessageSize: deframer.maximumMessageSize, encoding: algorithm)
                }
                return .headers(Metadata(headers: block.headers))
            }
            ended = true
            if !sawHeaders, let status = Self.httpStatusProblem(block.headers) {
                return .status(status, trailers: [:])
            }
            var status = Status(trailers: block.headers)
            if status.code == .ok, !deframer.isEmpty { status = Status(.internal, "the stream ended inside a message") }
            return .status(status, trailers: Metadata(headers: block.headers))
        case .data(let data):
            if case .byteBuffer(let bytes) = data.data { deframer.append(bytes) }
            if data.endStream {
                ended = true
                return .status(Status(.internal, "the server ended the stream without a status"), trailers: [:])
            }
            return nil
        case .rstStream(let code):
            ended = true
            if code == .refusedStream, !sawHeaders { lock.withLock { refused = true } }
            throw await failure(RPCError(code == .refusedStream ? .unavailable : .cancelled, "the server reset the stream (\(code))"))
        default:
            return nil
        }
    }

    /// A non-200 HTTP status as the gRPC status the protocol's HTTP mapping gives it, or a
    /// response that is not gRPC; nil for a good response.
    private static func httpStatusProblem(_ headers: HPACKHeaders) -> Status? {
        let status = headers.first(name: ":status") ?? ""
        guard status != "200" else {
            if let type = headers.first(name: "content-type"), !GRPCHeader.isGRPCContentType(type) {
                return Status(.unknown, "the response is not gRPC (content-type \(type))")
            }
            return nil
        }
        let code: RPCError.Code
        switch status {
        case "400": code = .internal
        case "401": code = .unauthenticated
        case "403": code = .permissionDenied
        case "404": code = .unimplemented
        case "429", "502", "503", "504": code = .unavailable
        default: code = .unknown
        }
        return Status(code, "HTTP status \(status)")
    }

    // MARK: Failures

    /// `error` as the stream's failure: an `UnprocessedCallError` when the server cannot have
    /// started the call, else an `RPCError`.
    private func failure(_ error: any Error) async -> any Error {
        let rpcError = (error as? RPCError) ?? RPCError(.unavailable, "the call failed: \(error)")
        return await neverReachedServer() ? UnprocessedCallError(rpcError) : rpcError
    }

    /// The server cannot have started the call: its headers never left us, or the server
    /// refused the stream (RST_STREAM REFUSED_STREAM, or above a GOAWAY's last stream id).
    /// Headers handed to the stream may still have died with it: a stream that the
    /// connection closed before it flushed the headers never got a stream id.
    private func neverReachedServer() async -> Bool {
        let (received, written, refused) = lock.withLock { (self.received, headersWritten, self.refused) }
        if received { return false }
        if !written || refused { return true }
        guard let id = try? await channel.getOption(HTTP2StreamChannelOptions.streamID).get() else { return true }
        // A GOAWAY promises that streams above its last stream id were not processed.
        if let last = goAway.lastStreamID, id > last { return true }
        return false
    }

    // MARK: Ending

    func cancel() {
        channel.close(promise: nil)
    }

    func close() {
        let first = lock.withLock {
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        channel.close(promise: nil)
        onClose()
    }

    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> CallTimer {
        let scheduled = channel.eventLoop.scheduleTask(deadline: NIODeadline(deadline), action)
        return CallTimer { scheduled.cancel() }
    }
}
