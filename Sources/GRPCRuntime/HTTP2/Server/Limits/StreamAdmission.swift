import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP2

/// Admits a connection's streams up to the MAX_CONCURRENT_STREAMS it advertised, in the order
/// the client opened them, and refuses the rest one by one with RST_STREAM(REFUSED_STREAM), so
/// the calls already admitted go on (see `AdvertisedStreamLimitHandler`). A stream's slot is
/// given back when it closes, which is when the client learns it may open another.
final class StreamAdmission: Sendable {
    let limit: Int
    private let admitted = NIOLockedValueBox(0)

    init(limit: Int) { self.limit = limit }

    /// Decides for a new stream, as it is created: admits it (and frees its slot when it closes),
    /// or sets it up to be refused.
    func decide(_ stream: any Channel) throws -> Bool {
        let admit = admitted.withLockedValue { admitted in
            guard admitted < limit else { return false }
            admitted += 1
            return true
        }
        if admit {
            stream.closeFuture.whenComplete { _ in self.admitted.withLockedValue { $0 -= 1 } }
        } else {
            try stream.pipeline.syncOperations.addHandler(RefusedStreamHandler())
        }
        return admit
    }
}

/// Refuses its stream: answers the request's first frame with RST_STREAM(REFUSED_STREAM), which
/// tells the client that nothing of it was processed and it may retry, and passes nothing on.
final class RefusedStreamHandler: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload
    private var refused = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        refused = true
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.rstStream(.refusedStream))).whenComplete { _ in bound.value.close(promise: nil) }
    }
}
