import ProtoWire

/// Writes a call's request messages on the client. Returning from the closure that got it
/// half-closes the call.
///
/// Safe to use from several tasks, though the order of messages written at once is then theirs
/// to agree on. An interceptor may hand the call a writer that changes or watches messages
/// (`init(wrapping:write:)`).
public struct RequestWriter<Element: ProtoMessage>: Sendable {
    indirect enum Sink: Sendable {
        case stream(any ClientTransportStream)
        case wrapped(RequestWriter<Element>, @Sendable (Element, Bool, RequestWriter<Element>) async throws -> Void)
    }

    let sink: Sink

    init(stream: any ClientTransportStream) { self.sink = .stream(stream) }

    /// A writer that passes every message (and whether to compress it) to `write`, which writes
    /// what it wants to `base`; the half-close goes to `base` as it is.
    public init(wrapping base: RequestWriter<Element>, write: @escaping @Sendable (Element, _ compressed: Bool, _ base: RequestWriter<Element>) async throws -> Void) {
        self.sink = .wrapped(base, write)
    }

    /// Sends one request message. With request compression on (`CallOptions.compression`),
    /// `compressed: false` sends this one message uncompressed.
    /// - Throws: `RPCError` (`.internal`) naming the path of a required field the message lacks;
    ///   nothing is sent then.
    public func write(_ message: Element, compressed: Bool = true) async throws {
        switch sink {
        case .stream(let stream):
            try message.checkSendable()
            try await stream.sendMessage(message, compress: compressed, endOfRequests: false)
        case .wrapped(let base, let write): try await write(message, compressed, base)
        }
    }

    /// The last message and the half-close together (one write on HTTP/2).
    func writeLast(_ message: Element, compressed: Bool = true) async throws {
        switch sink {
        case .stream(let stream):
            try message.checkSendable()
            try await stream.sendMessage(message, compress: compressed, endOfRequests: true)
        case .wrapped(let base, let write):
            try await write(message, compressed, base)
            try await base.finish()
        }
    }

    /// Abandons the call (its stream is reset): the request side failed.
    func cancelCall() {
        switch sink {
        case .stream(let stream): stream.cancel()
        case .wrapped(let base, _): base.cancelCall()
        }
    }

    /// The half-close: no more messages.
    func finish() async throws {
        switch sink {
        case .stream(let stream): try await stream.sendEnd()
        case .wrapped(let base, _): try await base.finish()
        }
    }
}
