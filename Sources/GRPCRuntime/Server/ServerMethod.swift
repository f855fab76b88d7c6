import ProtoWire

/// A service: the methods it answers, by path. Generated `Servicer` protocols provide it.
public protocol GRPCService: Sendable {
    var methods: [ServerMethod] { get }
    /// The descriptor of the `.proto` file that declares the service, for server reflection; nil
    /// (the default) for a service generated without the `Reflection` option or written by hand.
    var fileDescriptor: SerializedFileDescriptor? { get }
}

extension GRPCService {
    public var fileDescriptor: SerializedFileDescriptor? { nil }
}

/// One method of a service: its path and kind, and its handler behind the typed adapters below.
public struct ServerMethod: Sendable {
    /// The method's path and kind.
    public let method: RPCMethod
    let run: @Sendable (ServerCallRunner) async throws -> Void
    /// False for the stand-in that answers paths no service registered.
    var isRegistered = true

    /// `/package.Service/Method`.
    public var path: String { method.path }
    public var kind: RPCKind { method.kind }

    init(method: RPCMethod, run: @escaping @Sendable (ServerCallRunner) async throws -> Void) {
        self.method = method
        self.run = run
    }

    /// A unary method: one request, one response.
    public static func unary<Request: ProtoMessage, Response: ProtoMessage>(
        _ path: String, _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) -> ServerMethod {
        ServerMethod(method: RPCMethod(path: path, kind: .unary)) { runner in
            if runner.interceptors.isEmpty, let message = runner.singleRequest {
                // Nothing to intercept: the request decoded and the response sent straight.
                let response: Response
                do {
                    response = try await handler(try Request.decode(from: message.bytes), runner.context)
                } catch is CancellationError {
                    throw RPCError(.cancelled, "the call was cancelled")
                }
                await runner.finishUnary(response)
                return
            }
            try await runner.intercept(ServerCall<Request, Response>(runner: runner)) { call in
                let request = try await call.requests.single()
                try await call.responses.write(try await handler(request, call.context))
            }
        }
    }

    /// A server-streaming method: one request, responses written as they come.
    public static func serverStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        _ path: String, _ handler: @escaping @Sendable (Request, ResponseWriter<Response>, ServerContext) async throws -> Void
    ) -> ServerMethod {
        ServerMethod(method: RPCMethod(path: path, kind: .serverStreaming)) { runner in
            try await runner.intercept(ServerCall<Request, Response>(runner: runner)) { call in
                try await handler(try await call.requests.single(), call.responses, call.context)
            }
        }
    }

    /// A client-streaming method: a stream of requests, one response.
    public static func clientStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        _ path: String, _ handler: @escaping @Sendable (RequestStream<Request>, ServerContext) async throws -> Response
    ) -> ServerMethod {
        ServerMethod(method: RPCMethod(path: path, kind: .clientStreaming)) { runner in
            try await runner.intercept(ServerCall<Request, Response>(runner: runner)) { call in
                try await call.responses.write(try await handler(call.requests, call.context))
            }
        }
    }

    /// A bidirectional-streaming method: requests and responses flow independently.
    public static func bidirectionalStreaming<Request: ProtoMessage, Response: ProtoMessage>(
        _ path: String,
        _ handler: @escaping @Sendable (RequestStream<Request>, ResponseWriter<Response>, ServerContext) async throws -> Void
    ) -> ServerMethod {
        ServerMethod(method: RPCMethod(path: path, kind: .bidirectionalStreaming)) { runner in
            try await runner.intercept(ServerCall<Request, Response>(runner: runner)) { call in
                try await handler(call.requests, call.responses, call.context)
            }
        }
    }

    /// A unary method, registered by its descriptor.
    public static func unary<Request, Response>(
        _ descriptor: MethodDescriptor<Request, Response>, _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
    ) -> ServerMethod {
        unary(descriptor.path, handler)
    }

    /// A server-streaming method, registered by its descriptor.
    public static func serverStreaming<Request, Response>(
        _ descriptor: MethodDescriptor<Request, Response>,
        _ handler: @escaping @Sendable (Request, ResponseWriter<Response>, ServerContext) async throws -> Void
    ) -> ServerMethod {
        serverStreaming(descriptor.path, handler)
    }

    /// A client-streaming method, registered by its descriptor.
    public static func clientStreaming<Request, Response>(
        _ descriptor: MethodDescriptor<Request, Response>,
        _ handler: @escaping @Sendable (RequestStream<Request>, ServerContext) async throws -> Response
    ) -> ServerMethod {
        clientStreaming(descriptor.path, handler)
    }

    /// A bidirectional-streaming method, registered by its descriptor.
    public static func bidirectionalStreaming<Request, Response>(
        _ descriptor: MethodDescriptor<Request, Response>,
        _ handler: @escaping @Sendable (RequestStream<Request>, ResponseWriter<Response>, ServerContext) async throws -> Void
    ) -> ServerMethod {
        bidirectionalStreaming(descriptor.path, handler)
    }

    /// What a path no service registered runs: the interceptors (so that logs and metrics see
    /// the call), then UNIMPLEMENTED, which the runner has set as the call's rejection.
    static func unknown(_ path: String) -> ServerMethod {
        var method = ServerMethod(method: RPCMethod(path: path, kind: .bidirectionalStreaming)) { runner in
            try await runner.intercept(ServerCall<Google_Protobuf_Empty, Google_Protobuf_Empty>(runner: runner)) { _ in
                throw RPCError(.unimplemented, "method not found: \(path)")
            }
        }
        method.isRegistered = false
        return method
    }
}

extension ServerCall {
    /// The call as the runner starts it: the request as it arrived, responses to the stream.
    init(runner: ServerCallRunner) {
        let requests: RequestStream<Request>
        if runner.method.kind.hasSingleRequest, let message = runner.singleRequest {
            requests = RequestStream(source: .single(message, runner.context))
        } else {
            requests = RequestStream(source: .call(runner))
        }
        self.init(
            requestMetadata: runner.context.requestMetadata, requests: requests, responses: ResponseWriter(runner: runner),
            context: runner.context
        )
    }
}
