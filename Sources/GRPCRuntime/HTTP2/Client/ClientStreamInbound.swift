import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP2

/// The end of one client stream's channel pipeline: the frames the event loop reads wait here
/// for the task that reads the response (`next()`), which takes them without a hop when they
/// are already in, and otherwise is resumed by the event loop with the frame.
///
/// Back-pressure: once `highWatermark` frames wait unread, the stream's reads are held (its
/// `read()` goes no further), so HTTP/2 flow control stops a server that sends faster than the
/// call reads; reading down to `lowWatermark` lets them go on.
final class ClientStreamInbound: ChannelDuplexHandler, @unchecked Sendable {
    typealias InboundIn = HTTP2Frame.FramePayload
    typealias OutboundIn = HTTP2Frame.FramePayload
    typealias OutboundOut = HTTP2Frame.FramePayload

    static let highWatermark = 16
    static let lowWatermark = 8

    /// The stream channel's event loop, where held reads are let go.
    private let eventLoop: any EventLoop
    private let lock = NIOLock()
    // Guarded by `lock`, or used on the event loop only (no run-time exclusivity check needed).
    @exclusivity(unchecked) private var frames = CircularBuffer<HTTP2Frame.FramePayload>(initialCapacity: 4)
    /// How the stream ended, once it has: closed (nil next) or failed (thrown after the frames).
    @exclusivity(unchecked) private var end: Result<Void, any Error>?
    @exclusivity(unchecked) private var waiter: CheckedContinuation<HTTP2Frame.FramePayload?, any Error>?
    /// Whether a `read()` is held back until the reader catches up.
    @exclusivity(unchecked) private var readHeld = false
    // Used on the event loop only.
    @exclusivity(unchecked) private var context: ChannelHandlerContext?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        lock.lock()
        let waiting = waiter
        if waiting == nil { frames.append(frame) } else { waiter = nil }
        lock.unlock()
        waiting?.resume(returning: frame)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(.success(()))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish(.failure(error))
    }

    func read(context: ChannelHandlerContext) {
        let hold = lock.withLock { () -> Bool in
            guard frames.count >= Self.highWatermark else { return false }
            readHeld = true
            return true
        }
        if !hold { context.read() }
    }

    private func finish(_ ending: Result<Void, any Error>) {
        let waiter = lock.withLock { () -> CheckedContinuation<HTTP2Frame.FramePayload?, any Error>? in
            if end == nil { end = ending }
            defer { self.waiter = nil }
            return self.waiter
        }
        switch ending {
        case .success: waiter?.resume(returning: nil)
        case .failure(let error): waiter?.resume(throwing: error)
        }
    }

    /// The next frame; nil once the stream has closed and every frame was read. Throws the
    /// stream's failure after the frames read before it. One task reads at a time.
    func next() async throws -> HTTP2Frame.FramePayload? {
        switch try take() {
        case .frame(let frame): return frame
        case .closed: return nil
        case .waiting: break
        }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTP2Frame.FramePayload?, any Error>) in
            do {
                switch try take(orWait: continuation) {
                case .frame(let frame): continuation.resume(returning: frame)
                case .closed: continuation.resume(returning: nil)
                case .waiting: break
                }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    private enum Taken {
        case frame(HTTP2Frame.FramePayload)
        case closed
        /// Nothing yet: the continuation given (if any) waits for it.
        case waiting
    }

    /// A frame or the end if there is one, else `.waiting`, leaving `continuation` to wait.
    /// Lets held reads go on once the frames waiting are down to `lowWatermark`.
    private func take(orWait continuation: CheckedContinuation<HTTP2Frame.FramePayload?, any Error>? = nil) throws -> Taken {
        let (taken, resume) = try lock.withLock { () throws -> (Taken, Bool) in
            if let frame = frames.popFirst() {
                let resume = readHeld && frames.count <= Self.lowWatermark
                if resume { readHeld = false }
                return (.frame(frame), resume)
            }
            switch end {
            case .success: return (.closed, false)
            case .failure(let error): throw error
            case nil:
                if let continuation { waiter = continuation }
                return (.waiting, false)
            }
        }
        if resume { eventLoop.execute { self.context?.read() } }
        return taken
    }
}
