import ProtoWire

/// Runs around every call a channel makes: sees the call before it goes out, and its outcome.
///
/// An interceptor can read and change the request metadata (`call.metadata`) and options, wrap
/// what the call writes and reads (`call.mapRequests`, `call.mapResponses`), see the outcome
/// (what `next` returns or throws: an `RPCError` carries the status and trailers) and change it,
/// and end the call early by throwing without calling `next`. `call.method` and `call.deadline`
/// say which method and until when.
///
/// A channel's interceptors run in the order given, the first outermost; each attempt of a call
/// that is tried again runs inside them (they see the call once). A unary call's body, with what
/// `mapRequests` added to it, runs again for each attempt; other calls' requests are kept and
/// sent again as they were written.
///
/// ```swift
/// struct AddToken: ClientInterceptor {
///     let token: String
///     func intercept<Request, Response, Result>(
///         _ call: ClientCall<Request, Response, Result>,
///         next: (ClientCall<Request, Response, Result>) async throws -> Result
///     ) async throws -> Result {
///         var call = call
///         call.metadata.add("authorization", "Bearer \(token)")
///         return try await next(call)
///     }
/// }
/// ```
public protocol ClientInterceptor: Sendable {
    /// Runs `call`, usually by passing it (changed or not) to `next`, which runs the rest of the
    /// interceptors and the call itself.
    func intercept<Request: ProtoMessage, Response: ProtoMessage, Result: Sendable>(
        _ call: ClientCall<Request, Response, Result>,
        next: @Sendable (ClientCall<Request, Response, Result>) async throws -> Result
    ) async throws -> Result
}

/// A call as a client interceptor sees it and passes it on: the method, the options (metadata,
/// deadline, compression), and the body that talks to the server through a request writer and
/// a response stream and makes the call's result.
public struct ClientCall<Request: ProtoMessage, Response: ProtoMessage, Result: Sendable>: Sendable {
    /// The method called.
    public let method: RPCMethod
    /// Timeout, deadline, metadata, compression, wait-for-ready.
    public var options: CallOptions
    /// When the call must be done, fixed when the call began (from `options`).
    public var deadline: ContinuousClock.Instant?
    /// What the call does once its stream is open: writes the requests, reads the responses.
    public var body: @Sendable (RequestWriter<Request>, ResponseStream<Response>) async throws -> Result

    public init(
        method: RPCMethod, options: CallOptions, deadline: ContinuousClock.Instant?,
        body: @escaping @Sendable (RequestWriter<Request>, ResponseStream<Response>) async throws -> Result
    ) {
        self.method = method
        self.options = options
        self.deadline = deadline
        self.body = body
    }

    /// The request metadata.
    public var metadata: Metadata {
        get { options.metadata }
        set { options.metadata = newValue }
    }

    /// Passes every request message through `transform` on its way out.
    public mutating func mapRequests(_ transform: @escaping @Sendable (Request) async throws -> Request) {
        let body = self.body
        self.body = { writer, responses in
            let mapped = RequestWriter(wrapping: writer) { message, compressed, base in
                try await base.write(try await transform(message), compressed: compressed)
            }
            return try await body(mapped, responses)
        }
    }

    /// Passes every response message through `transform` on its way in.
    public mutating func mapResponses(_ transform: @escaping @Sendable (Response) async throws -> Response) {
        let body = self.body
        self.body = { writer, responses in try await body(writer, responses.map(transform)) }
    }
}
