import ProtoWire

/// The request messages of a call on the server, decoded as they arrive.
///
/// Iterate it once, from one task. An interceptor may hand the handler a changed stream
/// (`map(_:)`).
public struct RequestStream<Element: ProtoMessage>: AsyncSequence, Sendable {
    indirect enum Source: Sendable {
        /// The one request of a unary or server-streaming call, already here.
        case single(ReceivedMessage, ServerContext)
        /// A streaming call's requests, from the call as the transport delivers them.
        case call(ServerCallRunner)
        /// Messages taken from another stream and changed.
        case mapped(RequestStream<Element>, @Sendable (Element) async throws -> Element)
        /// Messages given by value (by an interceptor that answers itself, or a test).
        case values([Element])
    }

    let source: Source

    init(source: Source) { self.source = source }

    /// A stream of these messages.
    public init(_ messages: [Element]) { self.source = .values(messages) }

    /// The same stream with each message passed through `transform`.
    public func map(_ transform: @escaping @Sendable (Element) async throws -> Element) -> RequestStream<Element> {
        RequestStream(source: .mapped(self, transform))
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        enum State {
            case single(ReceivedMessage?, ServerContext)
            case call(ServerCallRunner, lastCompressed: Bool)
            case mapped(Box, @Sendable (Element) async throws -> Element)
            case values(IndexingIterator<[Element]>)
        }

        /// Holds a nested iterator, so that the state stays a fixed size.
        final class Box {
            var iterator: RequestStream<Element>.AsyncIterator
            init(_ iterator: RequestStream<Element>.AsyncIterator) { self.iterator = iterator }
        }

        var state: State

        public mutating func next() async throws -> Element? {
            switch state {
            case .single(let message, let context):
                guard let message else { return nil }
                state = .single(nil, context)
                // Only a compressed request changes the flag (false until then): no lock per call.
                if message.compressed { context.requestCompressed = true }
                return try Element.decode(from: message.bytes)
            case .call(let runner, let lastCompressed):
                guard let message = try await runner.nextRequest() else { return nil }
                if message.compressed != lastCompressed {
                    runner.context.requestCompressed = message.compressed
                    state = .call(runner, lastCompressed: message.compressed)
                }
                return try Element.decode(from: message.bytes)
            case .mapped(let box, let transform):
                guard let message = try await box.iterator.next() else { return nil }
                return try await transform(message)
            case .values(var iterator):
                let next = iterator.next()
                state = .values(iterator)
                return next
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        switch source {
        case .single(let message, let context): AsyncIterator(state: .single(message, context))
        case .call(let runner): AsyncIterator(state: .call(runner, lastCompressed: false))
        case .mapped(let base, let transform): AsyncIterator(state: .mapped(AsyncIterator.Box(base.makeAsyncIterator()), transform))
        case .values(let values): AsyncIterator(state: .values(values.makeIterator()))
        }
    }

    /// Exactly one message: the request of a unary or server-streaming call.
    func single() async throws -> Element {
        var iterator = makeAsyncIterator()
        guard let first = try await iterator.next() else {
            throw RPCError(.internal, "no request message")
        }
        guard try await iterator.next() == nil else {
            throw RPCError(.internal, "more than one request message for a \(Element.protoMessageName) call")
        }
        return first
    }
}

@available(*, unavailable)
extension RequestStream.AsyncIterator: Sendable {}
