import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP2

/// One accepted HTTP/2 connection: reads each inbound stream in a task of its own, and on
/// shutdown sends GOAWAY and closes once its streams have ended.
final class HTTP2ServerConnection: Sendable {
    struct Accepted: Sendable {
        let channel: any Channel
        let multiplexer: NIOHTTP2Handler.AsyncStreamMultiplexer<NIOAsyncChannel<HTTP2Frame.FramePayload, HTTP2Frame.FramePayload>>
        let pending: PendingStreams
    }

    private struct State: Sendable {
        var activeStreams = 0
        var draining = false
    }

    let accepted: Accepted
    private let state = NIOLockedValueBox(State())

    init(accepted: Accepted) { self.accepted = accepted }

    func run(_ acceptor: any ServerCallAcceptor, logger: Logger) async {
        let peer = Self.describe(accepted.channel.remoteAddress)
        let logger = logger
        do {
            try await withThrowingDiscardingTaskGroup { tasks in
                for try await stream in accepted.multiplexer.inbound {
                    accepted.pending.taken(stream)
                    // A stream the client has already reset (rapid reset), or one refused beyond
                    // the advertised limit (StreamAdmission), costs no task and no call.
                    guard stream.channel.isActive else {
                        stream.outbound.finish()
                        continue
                    }
                    state.withLockedValue { $0.activeStreams += 1 }
                    tasks.addTask {
                        await HTTP2ServerStream(frames: stream, peer: peer, logger: logger).run(acceptor)
                        self.streamEnded()
                    }
                }
            }
        } catch {
            logger.debug("connection closed: \(error)")
        }
        // No one takes streams from this connection any more: close it, so that none is left waiting.
        accepted.channel.close(promise: nil)
    }

    private func streamEnded() {
        let closeNow = state.withLockedValue { state in
            state.activeStreams -= 1
            return state.draining && state.activeStreams == 0
        }
        if closeNow { accepted.channel.close(promise: nil) }
    }

    /// Sends GOAWAY naming the last stream this connection will serve; closes when none are left.
    func beginDraining() {
        let idle = state.withLockedValue { state in
            state.draining = true
            return state.activeStreams == 0
        }
        let lastStream = accepted.pending.highestStreamID
        let channel = accepted.channel
        let goAway = HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: lastStream, errorCode: .noError, opaqueData: nil))
        channel.writeAndFlush(goAway).whenComplete { _ in
            if idle { channel.close(promise: nil) }
        }
    }

    static func describe(_ address: SocketAddress?) -> String {
        guard let address else { return "unknown" }
        switch address {
        case .v4(let a): return "ipv4:\(a.host):\(address.port ?? 0)"
        case .v6(let a): return "ipv6:[\(a.host)]:\(address.port ?? 0)"
        case .unixDomainSocket: return "unix:\(address.pathname ?? "")"
        }
    }
}

/// The inbound streams of one connection that were made but not yet taken by the
/// connection's loop. A stream wrapper must be finished before it is dropped, and a stream
/// opened as the connection closes may never reach the loop: those are finished here.
///
/// It also counts the connection's open HTTP/2 streams as the protocol does (opened and
/// closed on the event loop), to refuse streams beyond the advertised limit.
final class PendingStreams: NIOHTTP2StreamDelegate, Sendable {
    private typealias Stream = NIOAsyncChannel<HTTP2Frame.FramePayload, HTTP2Frame.FramePayload>
    private let state = NIOLockedValueBox((streams: [ObjectIdentifier: Stream](), closed: false))
    /// Open streams, and the highest stream ID seen (for GOAWAY). Kept by the HTTP/2 handler's
    /// delegate on the event loop, so that the connection's loop never waits for a stream's ID.
    private let open = NIOLockedValueBox((count: 0, highest: HTTP2StreamID(0)))

    var openStreams: Int { open.withLockedValue { $0.count } }

    var highestStreamID: HTTP2StreamID { open.withLockedValue { $0.highest } }

    func streamCreated(_ id: HTTP2StreamID, channel: any Channel) {
        open.withLockedValue { open in
            open.count += 1
            open.highest = max(open.highest, id)
        }
    }

    func streamClosed(_ id: HTTP2StreamID, channel: any Channel) { open.withLockedValue { $0.count -= 1 } }

    func add(_ stream: NIOAsyncChannel<HTTP2Frame.FramePayload, HTTP2Frame.FramePayload>) {
        let closed = state.withLockedValue { state in
            if !state.closed { state.streams[ObjectIdentifier(stream.channel)] = stream }
            return state.closed
        }
        if closed { stream.outbound.finish() }
    }

    func taken(_ stream: NIOAsyncChannel<HTTP2Frame.FramePayload, HTTP2Frame.FramePayload>) {
        _ = state.withLockedValue { $0.streams.removeValue(forKey: ObjectIdentifier(stream.channel)) }
    }

    func connectionClosed() {
        let left = state.withLockedValue { state in
            state.closed = true
            defer { state.streams = [:] }
            return Array(state.streams.values)
        }
        for stream in left { stream.outbound.finish() }
    }
}
