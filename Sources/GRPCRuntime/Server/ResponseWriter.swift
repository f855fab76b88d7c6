import ProtoWire

/// Writes the response messages of a call on the server.
///
/// The response headers go first, with the first message. Safe to use from several tasks,
/// though the order of messages written at once is then theirs to agree on. An interceptor may
/// hand the handler a writer that changes or watches messages (`init(_:)` over another writer).
public struct ResponseWriter<Element: ProtoMessage>: Sendable {
    enum Sink: Sendable {
        case call(ServerCallRunner)
        case custom(@Sendable (Element, Bool) async throws -> Void)
    }

    let sink: Sink

    init(runner: ServerCallRunner) { self.sink = .call(runner) }

    /// A writer that hands every message to `write` (the message, and whether to compress it).
    public init(_ write: @escaping @Sendable (Element, _ compressed: Bool) async throws -> Void) {
        self.sink = .custom(write)
    }

    /// Sends one response message. With response compression on (`ServerContext.compressResponses`),
    /// `compressed: false` sends this one message uncompressed. A message that lacks a required
    /// field is not sent: the call ends with INTERNAL naming the field's path, and this throws it.
    public func write(_ message: Element, compressed: Bool = true) async throws {
        switch sink {
        case .call(let runner): try await runner.writeResponse(message, compress: compressed)
        case .custom(let write): try await write(message, compressed)
        }
    }
}
