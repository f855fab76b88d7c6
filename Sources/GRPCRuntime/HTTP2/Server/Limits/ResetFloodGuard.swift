import NIOCore

/// Stops a rapid-reset attack (CVE-2023-44487: streams opened and reset at once, so that each
/// costs the server work but never counts against the stream limit) without losing the calls the
/// connection opened before it.
///
/// swift-nio-http2's own defence against too many RST_STREAM frames is a connection error whose
/// GOAWAY names stream 0, which ends every call on the connection, complete ones included. This
/// handler acts first: it sits between the socket (or TLS) and the HTTP/2 handler, follows frame
/// boundaries in the bytes the client sends, and counts RST_STREAM frames in a token bucket
/// (`burst` at once, refilled at `burst` per `window`, and by one for each stream the server ends
/// with its trailers, so that a client whose calls complete may cancel as many as it completes:
/// an attacker's streams never complete). When the bucket is empty it passes on the
/// bytes up to the end of that frame and no more (what follows is read and dropped, so that the
/// socket's close is a FIN that lets the client read its answers, not a reset), and tells the
/// connection's `ConnectionLifetimeHandler` (``ResetFlood``), which sends a GOAWAY naming the last
/// stream opened and closes the connection once those streams end.
final class ResetFloodGuard: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    /// Told down the pipeline once the client has sent too many resets.
    struct ResetFlood: Sendable {}

    static let defaultBurst = 50
    static let defaultWindow = TimeAmount.seconds(30)
    private static let rstStreamFrameType: UInt8 = 0x3
    private static let headersFrameType: UInt8 = 0x1
    private static let endStreamFlag: UInt8 = 0x1
    private static let prefaceLength = 24

    private let burst: Double
    private let refillPerNanosecond: Double
    private var tokens: Double
    private var refilledAt = NIODeadline.now()

    private var inbound = FrameBoundaries(skipping: ResetFloodGuard.prefaceLength)
    private var outbound = FrameBoundaries(skipping: 0)
    private var stopped = false

    init(burst: Int = ResetFloodGuard.defaultBurst, window: TimeAmount = ResetFloodGuard.defaultWindow) {
        self.burst = Double(burst)
        self.tokens = Double(burst)
        self.refillPerNanosecond = Double(burst) / Double(window.nanoseconds)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !stopped else { return }
        var buffer = unwrapInboundIn(data)
        guard let cut = scanForFlood(buffer) else {
            context.fireChannelRead(data)
            return
        }
        stopped = true
        if let passed = buffer.readSlice(length: cut - buffer.readerIndex), passed.readableBytes > 0 {
            context.fireChannelRead(wrapInboundOut(passed))
        }
        context.fireChannelReadComplete()
        context.fireUserInboundEventTriggered(ResetFlood())
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        guard !stopped else { return }
        context.fireChannelReadComplete()
    }

    /// The server's frames: each HEADERS frame that ends a stream (trailers) gives a token back.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .byteBuffer(let buffer) = unwrapOutboundIn(data) {
            var completed = 0
            _ = outbound.scan(buffer) { type, flags in
                if type == Self.headersFrameType, flags & Self.endStreamFlag != 0 { completed += 1 }
                return false
            }
            if completed > 0 { tokens = min(burst, tokens + Double(completed)) }
        }
        context.write(data, promise: promise)
    }

    /// Follows the frames in `buffer`; the index just past the reset that emptied the bucket, if one did.
    private func scanForFlood(_ buffer: ByteBuffer) -> Int? {
        inbound.scan(buffer) { type, _ in type == Self.rstStreamFrameType && !takeToken() }
    }

    private func takeToken() -> Bool {
        let now = NIODeadline.now()
        tokens = min(burst, tokens + Double((now - refilledAt).nanoseconds) * refillPerNanosecond)
        refilledAt = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}

/// Frame boundaries in one direction of an HTTP/2 byte stream, read without decoding: each
/// frame's type and flags as its 9-byte header completes, whatever the chunks' sizes.
struct FrameBoundaries {
    /// Bytes before the first frame (the client's connection preface).
    private var skipLeft: Int
    /// The header of the frame being read, while incomplete.
    private var header: [UInt8] = []
    private var payloadLeft = 0
    /// The frame being read is one `stopAt` chose: the scan ends after it.
    private var stopAfterFrame = false

    init(skipping: Int) { skipLeft = skipping }

    /// Follows the frames in `buffer`, giving each frame's type and flags to `stopAt`; returns the
    /// index just past the first frame it returned true for, if one did (the frames after it are
    /// not followed).
    mutating func scan(_ buffer: ByteBuffer, stopAt: (_ type: UInt8, _ flags: UInt8) -> Bool) -> Int? {
        var index = buffer.readerIndex
        let end = buffer.writerIndex
        if skipLeft > 0 {
            let skipped = min(skipLeft, end - index)
            skipLeft -= skipped
            index += skipped
        }
        while index < end {
            if payloadLeft > 0 {
                let skipped = min(payloadLeft, end - index)
                payloadLeft -= skipped
                index += skipped
                if payloadLeft == 0, stopAfterFrame { return index }
                continue
            }
            let type: UInt8
            let flags: UInt8
            if header.isEmpty, end - index >= 9 {
                // The whole header is in this chunk (almost always): read it in place.
                let lengthAndType = buffer.getInteger(at: index, as: UInt32.self)!
                payloadLeft = Int(lengthAndType >> 8)
                type = UInt8(truncatingIfNeeded: lengthAndType)
                flags = buffer.getInteger(at: index + 4, as: UInt8.self)!
                index += 9
            } else {
                header.append(buffer.getInteger(at: index, as: UInt8.self)!)
                index += 1
                guard header.count == 9 else { continue }
                payloadLeft = Int(header[0]) << 16 | Int(header[1]) << 8 | Int(header[2])
                (type, flags) = (header[3], header[4])
                header.removeAll(keepingCapacity: true)
            }
            if stopAt(type, flags) {
                stopAfterFrame = true
                if payloadLeft == 0 { return index }
            }
        }
        return nil
    }
}
