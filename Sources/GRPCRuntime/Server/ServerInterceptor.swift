import ProtoWire

/// Runs around every call a server serves: sees the call before the handler does, and its
/// outcome after.
///
/// An interceptor can read and change the request metadata, the request messages
/// (`call.requests.map`), the response messages (a `ResponseWriter` over `call.responses`), the
/// response headers and trailers (`call.context`), and the status (by catching what `next`
/// throws and throwing something else); it ends the call early by throwing an `RPCError`
/// without calling `next`. `call.context.method` and `.deadline` say which method and until when.
///
/// A server's interceptors run in the order given, the first outermost. The default pair logs
/// each call and counts it in metrics (`ServerCallLog`, `ServerMetrics`).
///
/// ```swift
/// struct RequireToken: ServerInterceptor {
///     func intercept<Request, Response>(
///         _ call: ServerCall<Request, Response>, next: (ServerCall<Request, Response>) async throws -> Void
///     ) async throws {
///         guard call.requestMetadata.first("authorization") == "Bearer secret" else {
///             throw RPCError(.unauthenticated, "missing or wrong token")
///         }
///         try await next(call)
///     }
/// }
/// ```
public protocol ServerInterceptor: Sendable {
    /// Handles `call`, usually by passing it (changed or not) to `next`, which runs the rest of
    /// the interceptors and the handler. Returning normally ends the call OK; throwing ends it
    /// with the error's status (`RPCError(ending:)`).
    func intercept<Request: ProtoMessage, Response: ProtoMessage>(
        _ call: ServerCall<Request, Response>,
        next: @Sendable (ServerCall<Request, Response>) async throws -> Void
    ) async throws
}

/// A call as a server interceptor sees it and passes it on.
public struct ServerCall<Request: ProtoMessage, Response: ProtoMessage>: Sendable {
    /// The request's custom metadata; what the interceptors after this one see.
    public var requestMetadata: Metadata
    /// The request messages (exactly one for unary and server-streaming methods).
    public var requests: RequestStream<Request>
    /// Where the response messages go (exactly one for unary and client-streaming methods).
    public var responses: ResponseWriter<Response>
    /// The method, deadline and peer, and the response headers and trailers.
    public let context: ServerContext

    public init(requestMetadata: Metadata, requests: RequestStream<Request>, responses: ResponseWriter<Response>, context: ServerContext) {
        self.requestMetadata = requestMetadata
        self.requests = requests
        self.responses = responses
        self.context = context
    }
}
