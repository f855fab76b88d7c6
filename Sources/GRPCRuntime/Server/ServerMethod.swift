import NIOCore
import ProtoWire

/// The four kinds of RPC.
public enum RPCKind: Sendable, Hashable {
    case unary, clientStreaming, serverStreaming, bidirectionalStreaming
}

/// A service: the methods it answers, by path. Generated `Servicer` protocols provide it.
public protocol GRPCService: Sendable {
    var methods: [ServerMethod] { get }
}

/// One method of a service: its path and a handler over the call's raw messages.
public struct ServerMethod: Sendable {
    /// `/package.Service/Method`.
    public let path: String
    public let kind: RPCKind
    let run: @Sendable (ServerCall) async throws -> Void

    /// A unary method: one request, one response.
    public static func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ path: String, _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) -> ServerMethod {
        ServerMethod(path: path, kind: .unary) { call in
            let request: Request = try await call.singleRequest()
            let response = try await handler(request, call.context)
            try await call.sink.finishUnary(response)
        }
    }

    /// A server-streaming method: one request, responses written as they come.
    public static func serverStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        _ path: String, _ handler: @escaping @Sendable (Request, ResponseWriter<Response>, ServerContext) async throws -> Void
    ) -> ServerMethod {
        ServerMethod(path: path, kind: .serverStreaming) { call in
            let request: Request = try await call.singleRequest()
            try await handler(request, ResponseWriter(sink: call.sink), call.context)
            try await call.sink.finish(status: nil)
        }
    }

    /// A client-streaming method: a stream of requests, one response.
    public static func clientStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        _ path: String, _ handler: @escaping @Sendable (RequestStream<Request>, ServerContext) async throws -> Response
    ) -> ServerMethod {
        ServerMethod(path: path, kind: .clientStreaming) { call in
            let response = try await handler(RequestStream(payloads: call.requests, context: call.context), call.context)
            try await call.sink.finishUnary(response)
        }
    }

    /// A bidirectional-streaming method: requests and responses flow independently.
    public static func bidirectionalStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        _ path: String,
        _ handler: @escaping @Sendable (RequestStream<Request>, ResponseWriter<Response>, ServerContext) async throws -> Void
    ) -> ServerMethod {
        ServerMethod(path: path, kind: .bidirectionalStreaming) { call in
            try await handler(RequestStream(payloads: call.requests, context: call.context), ResponseWriter(sink: call.sink), call.context)
            try await call.sink.finish(status: nil)
        }
    }
}

/// One request message as it arrived.
struct RequestPayload: Sendable {
    let bytes: ByteBuffer
    let compressed: Bool
}

/// The raw call a method handler runs against: payloads in, a sink out.
struct ServerCall: Sendable {
    let context: ServerContext
    let requests: AsyncThrowingStream<RequestPayload, any Error>
    let sink: ResponseSink

    /// The one request of a unary or server-streaming call.
    func singleRequest<Request: ProtoMessage>() async throws -> Request {
        var iterator = requests.makeAsyncIterator()
        guard let first = try await iterator.next() else {
            throw RPCError(.internal, "no request message")
        }
        guard try await iterator.next() == nil else {
            throw RPCError(.internal, "more than one request message for a \(Request.protoMessageName) call")
        }
        // Only a compressed request changes the context's flag (false until then): no lock per call.
        if first.compressed { context.requestCompressed = true }
        return try Request.decode(from: first.bytes)
    }
}

/// The requests of a streaming call, decoded as they arrive.
public struct RequestStream<Element: ProtoMessage>: AsyncSequence, Sendable {
    let payloads: AsyncThrowingStream<RequestPayload, any Error>
    let context: ServerContext

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<RequestPayload, any Error>.AsyncIterator
        let context: ServerContext
        /// The flag last written to the context, so it is written only when it changes.
        var lastCompressed = false

        public mutating func next() async throws -> Element? {
            guard let payload = try await base.next() else { return nil }
            if payload.compressed != lastCompressed {
                lastCompressed = payload.compressed
                context.requestCompressed = payload.compressed
            }
            return try Element.decode(from: payload.bytes)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: payloads.makeAsyncIterator(), context: context) }
}

/// Writes the responses of a streaming call.
public struct ResponseWriter<Element: ProtoMessage>: Sendable {
    let sink: ResponseSink

    /// Sends one response message; the response headers go first with the first message.
    /// With response compression on (`ServerContext.compressResponses`), `compressed: false`
    /// sends this one message uncompressed.
    public func write(_ message: Element, compressed: Bool = true) async throws {
        try await sink.write(message, compress: compressed)
    }
}
