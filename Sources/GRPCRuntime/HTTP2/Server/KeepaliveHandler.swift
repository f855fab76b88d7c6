import NIOCore
import NIOHTTP2

/// Pings the peer after `interval` without one, and closes the connection when an
/// ack does not come back within `timeout`.
final class KeepaliveHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTP2Frame
    typealias InboundOut = HTTP2Frame
    typealias OutboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    private let interval: TimeAmount
    private let timeout: TimeAmount
    private var pingTask: Scheduled<Void>?
    private var timeoutTask: Scheduled<Void>?
    private static let pingData = HTTP2PingData(withInteger: 0x6772_7063_6b61)

    init(interval: Duration, timeout: Duration) {
        self.interval = TimeAmount(interval)
        self.timeout = TimeAmount(timeout)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { schedulePing(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        schedulePing(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        pingTask?.cancel()
        timeoutTask?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if case .ping(let ping, ack: true) = frame.payload, ping == Self.pingData {
            timeoutTask?.cancel()
            timeoutTask = nil
            schedulePing(context: context)
        }
        context.fireChannelRead(data)
    }

    private func schedulePing(context: ChannelHandlerContext) {
        pingTask?.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        pingTask = context.eventLoop.scheduleTask(in: interval) {
            let (handler, context) = loopBound.value
            handler.sendPing(context: context)
        }
    }

    private func sendPing(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: .rootStream, payload: .ping(Self.pingData, ack: false))), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timeoutTask = context.eventLoop.scheduleTask(in: timeout) {
            loopBound.value.close(promise: nil)
        }
    }
}
