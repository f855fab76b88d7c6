import NIOCore

/// Closes the connection once a GOAWAY with an error code has been written (RFC 9113 section
/// 5.4.1: after a connection error the endpoint closes the TCP connection). swift-nio-http2
/// writes that GOAWAY itself and leaves the connection open, so this handler watches the bytes
/// it writes: it sits between the socket (or TLS) and the HTTP/2 handler and follows frame
/// boundaries, looking only at frame headers and GOAWAY payloads.
final class ConnectionErrorCloser: ChannelOutboundHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private static let goAwayFrameType: UInt8 = 0x7
    /// How long the GOAWAY may take to be written before the connection is closed regardless
    /// (a peer that does not read would otherwise hold it open).
    static let writeTimeout = TimeAmount.seconds(1)

    /// The header of the frame being written, while incomplete.
    private var header: [UInt8] = []
    /// Payload bytes of the current frame not yet seen.
    private var payloadLeft = 0
    /// The first 8 payload bytes of a GOAWAY (last stream ID, error code), while collecting them.
    private var goAway: [UInt8]?
    private var closing = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !closing, case .byteBuffer(let buffer) = unwrapOutboundIn(data), scanForErrorGoAway(buffer) else {
            context.write(data, promise: promise)
            return
        }
        closing = true
        let written = promise ?? context.eventLoop.makePromise()
        context.write(data, promise: written)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        written.futureResult.whenComplete { _ in loopBound.value.close(promise: nil) }
        context.eventLoop.scheduleTask(in: Self.writeTimeout) { loopBound.value.close(promise: nil) }
    }

    /// Follows the frames in `buffer`; true if a GOAWAY with a non-zero error code is among them.
    private func scanForErrorGoAway(_ buffer: ByteBuffer) -> Bool {
        var index = buffer.readerIndex
        let end = buffer.writerIndex
        var found = false
        while index < end {
            if payloadLeft > 0 {
                var count = min(payloadLeft, end - index)
                if var collected = goAway {
                    let take = min(8 - collected.count, count)
                    collected += buffer.getBytes(at: index, length: take) ?? []
                    index += take
                    payloadLeft -= take
                    count -= take
                    goAway = collected.count < 8 ? collected : nil
                    if collected.count == 8, collected[4..<8].contains(where: { $0 != 0 }) { found = true }
                }
                index += count
                payloadLeft -= count
                continue
            }
            if header.isEmpty, end - index >= 9 {
                // A whole frame header in this buffer (the common case): length and type at once.
                let lengthAndType = buffer.getInteger(at: index, as: UInt32.self)!
                index += 9
                payloadLeft = Int(lengthAndType >> 8)
                goAway = UInt8(truncatingIfNeeded: lengthAndType) == Self.goAwayFrameType && payloadLeft >= 8 ? [] : nil
                continue
            }
            header.append(buffer.getInteger(at: index, as: UInt8.self)!)
            index += 1
            if header.count == 9 {
                payloadLeft = Int(header[0]) << 16 | Int(header[1]) << 8 | Int(header[2])
                goAway = header[3] == Self.goAwayFrameType && payloadLeft >= 8 ? [] : nil
                header.removeAll(keepingCapacity: true)
            }
        }
        return found
    }
}
