import NIOCore

/// Lets the server advertise a lower MAX_CONCURRENT_STREAMS than swift-nio-http2 enforces.
///
/// swift-nio-http2 treats a stream opened beyond the limit it advertised as a connection error
/// (GOAWAY(PROTOCOL_ERROR)), which stops every call on the connection. RFC 9113 section 5.1.2
/// also allows refusing just that stream, which is what gRPC clients expect: so the HTTP/2 handler
/// is given a higher limit, the client is told the real one by rewriting it in the server's first
/// SETTINGS frame on its way out, and the connection refuses the streams between the two with
/// RST_STREAM(REFUSED_STREAM). Sits between the socket (or TLS) and the HTTP/2 handler, and
/// removes itself after the first write, which is that SETTINGS frame.
final class AdvertisedStreamLimitHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private static let settingsFrameType: UInt8 = 0x4
    private static let maxConcurrentStreams: UInt16 = 0x3
    private let advertised: UInt32
    private var done = false

    init(advertised: Int) { self.advertised = UInt32(clamping: advertised) }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !done, case .byteBuffer(var buffer) = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        done = true
        rewrite(&buffer)
        context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: promise)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// Rewrites MAX_CONCURRENT_STREAMS in a SETTINGS frame at the start of `buffer`, if one is there.
    private func rewrite(_ buffer: inout ByteBuffer) {
        let start = buffer.readerIndex
        guard buffer.readableBytes >= 9,
            let high = buffer.getInteger(at: start, as: UInt8.self), let low = buffer.getInteger(at: start + 1, as: UInt16.self),
            buffer.getInteger(at: start + 3, as: UInt8.self) == Self.settingsFrameType,
            buffer.getInteger(at: start + 5, as: UInt32.self) == 0
        else { return }
        let length = Int(high) << 16 | Int(low)
        var entry = start + 9
        while entry + 6 <= start + 9 + length, entry + 6 <= buffer.writerIndex {
            if buffer.getInteger(at: entry, as: UInt16.self) == Self.maxConcurrentStreams {
                buffer.setInteger(advertised, at: entry + 2)
            }
            entry += 6
        }
    }
}
