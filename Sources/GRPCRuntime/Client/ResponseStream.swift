import ProtoWire

/// The responses of a call on the client, decoded as they arrive, with the response headers
/// and trailers. Iterating past the last message checks the status: a call that did not end
/// `ok` throws `RPCError` (with the trailers as its metadata).
///
/// It belongs to the task that reads it, so it is not `Sendable`. An interceptor may hand the
/// call a stream whose messages it changes (`map(_:)`).
public final class ResponseStream<Element: ProtoMessage>: AsyncSequence {
    private enum Source {
        case stream(any ClientTransportStream, maximumMessageSize: Int)
        case mapped(ResponseStream<Element>, @Sendable (Element) async throws -> Element)
    }

    private let source: Source
    private var headers: Metadata?
    private var receivedTrailers: Metadata?
    private var ended = false

    init(stream: any ClientTransportStream, maximumMessageSize: Int) {
        self.source = .stream(stream, maximumMessageSize: maximumMessageSize)
    }

    private init(mapping base: ResponseStream<Element>, _ transform: @escaping @Sendable (Element) async throws -> Element) {
        self.source = .mapped(base, transform)
    }

    /// The same stream with each message passed through `transform`; headers and trailers are
    /// this stream's.
    public func map(_ transform: @escaping @Sendable (Element) async throws -> Element) -> ResponseStream<Element> {
        ResponseStream(mapping: self, transform)
    }

    /// The response headers, reading up to them if needed (empty for a trailers-only response).
    public func responseHeaders() async throws -> Metadata {
        switch source {
        case .mapped(let base, _): return try await base.responseHeaders()
        case .stream:
            while headers == nil, !ended {
                if let message = try await pump() { pending.append(message) }
            }
            return headers ?? [:]
        }
    }

    /// The trailers, once the stream has ended (empty before).
    public var trailers: Metadata {
        switch source {
        case .mapped(let base, _): base.trailers
        case .stream: receivedTrailers ?? [:]
        }
    }

    /// Whether the server has answered at all (headers or a message): from then on the call
    /// cannot be sent elsewhere.
    var isCommitted: Bool {
        switch source {
        case .mapped(let base, _): base.isCommitted
        case .stream: responded
        }
    }

    /// Messages read while looking for the headers.
    private var pending: [ReceivedMessage] = []
    /// Headers or a message came (not only a status).
    private var responded = false

    /// How the stream itself failed, if it did: the status other than `ok` it ended with, or
    /// what reading it threw (`UnprocessedCallError` included). Set only on a `.stream` source.
    private(set) var failure: StreamFailure?

    enum StreamFailure {
        case status(Status, trailers: Metadata)
        case thrown(any Error)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let stream: ResponseStream

        public mutating func next() async throws -> Element? {
            try await stream.nextMessage()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(stream: self) }

    func nextMessage() async throws -> Element? {
        switch source {
        case .mapped(let base, let transform):
            guard let message = try await base.nextMessage() else { return nil }
            return try await transform(message)
        case .stream:
            if !pending.isEmpty { return try Element.decode(from: pending.removeFirst().bytes) }
            while !ended {
                if let message = try await pump() { return try Element.decode(from: message.bytes) }
            }
            return nil
        }
    }

    /// Reads one part: returns a message, or nil after headers; throws the status if not OK.
    private func pump() async throws -> ReceivedMessage? {
        guard case .stream(let stream, let maximumMessageSize) = source else { return nil }
        let part: ResponsePart
        do {
            part = try await stream.receive()
        } catch {
            failure = .thrown(error)
            throw error
        }
        switch part {
        case .headers(let metadata):
            headers = metadata
            responded = true
            return nil
        case .message(let message):
            if headers == nil { headers = [:] }
            responded = true
            guard message.bytes.readableBytes <= maximumMessageSize else {
                ended = true
                stream.cancel()
                throw RPCError(.resourceExhausted, "message of \(message.bytes.readableBytes) bytes exceeds the maximum of \(maximumMessageSize)")
            }
            return message
        case .status(let status, let trailers):
            ended = true
            if headers == nil { headers = [:] }
            receivedTrailers = trailers
            guard status.code == .ok else {
                failure = .status(status, trailers: trailers)
                throw RPCError(status.code, status.message, metadata: trailers)
            }
            return nil
        }
    }

    /// Exactly one message, for unary and client-streaming calls, with the metadata.
    func single() async throws -> UnaryResponse<Element> {
        guard let message = try await nextMessage() else {
            throw RPCError(.internal, "the server sent no response message")
        }
        guard try await nextMessage() == nil else {
            throw RPCError(.internal, "the server sent more than one response message")
        }
        return UnaryResponse(message: message, headers: try await responseHeaders(), trailers: trailers)
    }
}

@available(*, unavailable)
extension ResponseStream: Sendable {}
