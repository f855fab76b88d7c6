import NIOConcurrencyHelpers
import NIOCore
import NIOHPACK
import NIOHTTP2
import ProtoWire

/// Writes one call's response: headers once, framed messages, then the status as
/// trailers (or, with no message sent, as a trailers-only response). The status is
/// written once: whoever ends the call first (handler, error, deadline) wins.
final class ResponseSink: Sendable {
    private enum Phase: Sendable { case idle, headersSent, finished }

    private let outbound: NIOAsyncChannelOutboundWriter<HTTP2Frame.FramePayload>
    private let context: ServerContext
    private let allocator: ByteBufferAllocator
    private let phase = NIOLockedValueBox(Phase.idle)
    /// Touched only by the task writing messages (the handler's).
    private let compressor = UnsafeTransfer<MessageCompressor?>(nil)
    /// The status the call ended with, for logs and metrics.
    let endStatus = NIOLockedValueBox<RPCError.Code?>(nil)

    init(outbound: NIOAsyncChannelOutboundWriter<HTTP2Frame.FramePayload>, context: ServerContext, allocator: ByteBufferAllocator) {
        self.outbound = outbound
        self.context = context
        self.allocator = allocator
    }

    var isFinished: Bool { phase.withLockedValue { $0 == .finished } }

    /// Ends the call without writing anything: the client reset the stream.
    func markCancelled() {
        let wasOpen = phase.withLockedValue { phase in
            defer { phase = .finished }
            return phase != .finished
        }
        if wasOpen { endStatus.withLockedValue { $0 = .cancelled } }
    }

    /// Starts the response if needed; returns the headers frame to send, if any.
    private func begin() throws -> HTTP2Frame.FramePayload? {
        let first: Bool = try phase.withLockedValue { phase in
            switch phase {
            case .finished: throw RPCError(.cancelled, "the call has ended")
            case .headersSent: return false
            case .idle:
                phase = .headersSent
                return true
            }
        }
        guard first else { return nil }
        let response = context.response.withLockedValue { $0 }
        var headers = HPACKHeaders()
        headers.add(name: ":status", value: "200")
        headers.add(name: "content-type", value: GRPCHeader.contentType)
        if let algorithm = response.compression {
            headers.add(name: GRPCHeader.encoding, value: algorithm.name)
            compressor.value = MessageCompressor(algorithm: algorithm)
        }
        response.headers.write(to: &headers)
        return .headers(.init(headers: headers))
    }

    private func dataFrame<M: ProtoMessage>(_ message: M, compress: Bool = true) throws -> HTTP2Frame.FramePayload {
        let buffer = try MessageFramer.frame(message, compressor: &compressor.value, compress: compress, allocator: allocator)
        return .data(.init(data: .byteBuffer(buffer)))
    }

    func write<M: ProtoMessage>(_ message: M, compress: Bool = true) async throws {
        if let headers = try begin() {
            try await outbound.write(contentsOf: [headers, try dataFrame(message, compress: compress)])
        } else {
            try await outbound.write(try dataFrame(message, compress: compress))
        }
    }

    /// Headers (if not sent yet), the one response and an OK status, in one write.
    func finishUnary<M: ProtoMessage>(_ message: M) async throws {
        var frames: [HTTP2Frame.FramePayload] = []
        if let headers = try begin() { frames.append(headers) }
        frames.append(try dataFrame(message))
        guard let trailers = end(nil) else { return }
        frames.append(trailers)
        try await outbound.write(contentsOf: frames)
    }

    /// Ends the call with `status` (nil for OK). Does nothing if it has ended already.
    func finish(status: RPCError?) async throws {
        guard let frame = end(status) else { return }
        try await outbound.write(frame)
    }

    /// The closing frame for `status`, or nil if the call has already ended.
    private func end(_ status: RPCError?) -> HTTP2Frame.FramePayload? {
        let previous: Phase = phase.withLockedValue { phase in
            defer { phase = .finished }
            return phase
        }
        if previous == .finished { return nil }
        endStatus.withLockedValue { $0 = status?.code ?? .ok }
        let response = context.response.withLockedValue { $0 }
        var headers = HPACKHeaders()
        if previous == .idle {
            // Trailers-only: the status travels in the only header block.
            headers.add(name: ":status", value: "200")
            headers.add(name: "content-type", value: GRPCHeader.contentType)
        }
        headers.add(name: GRPCHeader.status, value: String(status?.code.rawValue ?? 0))
        if let message = status?.message, !message.isEmpty {
            headers.add(name: GRPCHeader.message, value: PercentEncoding.encode(message))
        }
        (response.trailers + (status?.metadata ?? [:])).write(to: &headers)
        return .headers(.init(headers: headers, endStream: true))
    }
}

/// A value handed between tasks that never use it at the same time.
final class UnsafeTransfer<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
