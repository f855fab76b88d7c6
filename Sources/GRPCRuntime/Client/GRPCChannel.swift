import NIOCore
import NIOPosix
import ProtoWire

/// A client's way to a server: runs calls through its interceptors over a transport. Made from
/// a host and port, one multiplexed HTTP/2 connection shared by all calls; made from a target
/// string (`GRPCChannel(target:)`), one per endpoint the target resolves to, with calls balanced
/// over them; made from any `ClientTransport`, such as `InProcessTransport().client`.
///
/// Generated clients take one: `Search.Client(channel: GRPCChannel(host: "127.0.0.1", port: 50051))`,
/// or `try GRPCChannel(target: "dns:///search.example:50051")`. Call `close()` when done.
///
/// A call is cancelled by cancelling the task that makes it (the server sees the stream reset),
/// or, for a unary call started with `startUnary`, through its handle.
public final class GRPCChannel: Sendable {
    public struct Configuration: Sendable {
        public var connectTimeout: Duration = .seconds(20)
        public var backoff = Backoff()
        /// Larger responses end the call with `resourceExhausted`.
        public var maximumReceiveMessageSize = 4 * 1024 * 1024
        /// TLS, or anything else to set up on the connection before HTTP/2.
        public var transportSecurity: (any ClientTransportSecurity)?
        /// `:authority`; defaults to `host:port`, or for a target the name it resolves.
        public var authority: String?
        /// For targets with several endpoints: how calls are spread over them.
        public var loadBalancingPolicy: LoadBalancingPolicy = .roundRobin
        /// How often polling resolvers (DNS, SRV) ask again; they also ask when a connection fails.
        public var resolutionPeriod: Duration = .seconds(30)
        /// The DNS server for `srv:` targets that name none; nil uses /etc/resolv.conf's.
        public var dnsServer: Endpoint?
        /// For targets: the `grpc.health.v1` service name watched on each endpoint ("" is the
        /// whole server); endpoints reporting NOT_SERVING get no calls, nor does an endpoint
        /// before its first answer (calls wait for one, up to `connectTimeout`). Servers without
        /// the health service count as serving. nil turns health checking off.
        public var healthCheckService: String? = ""
        /// Per-method timeouts, wait-for-ready, message limits, retry and hedging policies, retry
        /// throttling and the load-balancing policy (which wins over `loadBalancingPolicy`).
        public var serviceConfig = ServiceConfig()
        /// The most request bytes one call keeps for retrying or hedging; a call that sends more
        /// before its response begins is not tried again, and a hedged one goes on with its
        /// oldest copy alone.
        public var retryBufferSize = 256 * 1024
        /// Whether a service config the target's resolver finds (DNS TXT records, etcd)
        /// replaces `serviceConfig` while it is published.
        public var usesPublishedServiceConfig = true
        /// The most request bytes all of the channel's calls keep for retrying and hedging together.
        public var retryBufferLimit = 16 * 1024 * 1024

        public init() {}

        /// What an HTTP/2 connection of the channel needs.
        var connection: HTTP2Connection.Configuration {
            HTTP2Connection.Configuration(transportSecurity: transportSecurity, connectTimeout: connectTimeout, backoff: backoff)
        }
    }

    public let configuration: Configuration
    let transport: any ClientTransport
    let interceptors: [any ClientInterceptor]
    /// The configuration's service config, ready for calls.
    let ownServiceConfig: ServiceConfigInUse
    /// The balancer of a target channel, whose resolver may publish a service config.
    private let balancer: LoadBalancer?
    let retryBudget: ByteBudget

    /// A channel over one HTTP/2 connection to `host:port`, made on first use and remade when lost.
    public convenience init(
        host: String, port: Int, configuration: Configuration = Configuration(), interceptors: [any ClientInterceptor] = [],
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        let connection = HTTP2Connection(host: host, port: port, configuration: configuration.connection, group: eventLoopGroup)
        self.init(
            transport: HTTP2ClientTransport(connection: connection, authority: configuration.authority ?? "\(host):\(port)"),
            configuration: configuration, interceptors: interceptors
        )
    }

    /// A channel over any transport. Of `configuration` only `maximumReceiveMessageSize`, the
    /// service config and the retry buffer limits count; the transport has its own settings.
    public init(transport: any ClientTransport, configuration: Configuration = Configuration(), interceptors: [any ClientInterceptor] = []) {
        self.configuration = configuration
        self.transport = transport
        self.interceptors = interceptors
        self.ownServiceConfig = ServiceConfigInUse(configuration.serviceConfig)
        self.balancer = transport as? LoadBalancer
        self.retryBudget = ByteBudget(limit: configuration.retryBufferLimit)
    }

    /// The service config a call starting now goes by: the one the target's resolver found
    /// (DNS TXT, etcd), else the configuration's.
    var serviceConfigInUse: ServiceConfigInUse { balancer?.publishedServiceConfig ?? ownServiceConfig }

    /// Closes the transport; calls in flight fail and new ones get `unavailable`.
    public func close() {
        transport.close()
    }

    private func runner<Request, Response>(_ method: MethodDescriptor<Request, Response>, _ options: CallOptions) -> ClientCallRunner<Request, Response> {
        ClientCallRunner(channel: self, method: method.method, options: options)
    }

    // MARK: The four kinds of call

    /// A unary call: one request, one response, with the response headers and trailers.
    public func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request, options: CallOptions = CallOptions()
    ) async throws -> UnaryResponse<Response> {
        var runner = runner(method, options)
        // The body holds the one request: it can run again for another attempt.
        runner.bodyRepeats = true
        return try await runner.run { writer, responses in
            try await writer.writeLast(request)
            return try await responses.single()
        }
    }

    /// A server-streaming call: `handle` reads the responses; the call ends when it returns
    /// (cancelling it on the server if the responses have not ended).
    public func serverStreaming<Request, Response, Result: Sendable>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request, options: CallOptions = CallOptions(),
        _ handle: @escaping @Sendable (ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        try await runner(method, options).run { writer, responses in
            try await writer.writeLast(request)
            return try await handle(responses)
        }
    }

    /// A client-streaming call: `requests` writes them; returning from it half-closes the call.
    public func clientStreaming<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, options: CallOptions = CallOptions(),
        requests: @escaping @Sendable (RequestWriter<Request>) async throws -> Void
    ) async throws -> UnaryResponse<Response> {
        try await runner(method, options).run { writer, responses in
            try await Self.concurrently(requests, writer) { try await responses.single() }
        }
    }

    /// A bidirectional call: `requests` and `responses` run concurrently; the call ends when
    /// `responses` returns (cancelling it on the server if it is still going).
    public func bidirectionalStreaming<Request, Response, Result: Sendable>(
        _ method: MethodDescriptor<Request, Response>, options: CallOptions = CallOptions(),
        requests: @escaping @Sendable (RequestWriter<Request>) async throws -> Void,
        responses: @escaping @Sendable (ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        try await runner(method, options).run { writer, stream in
            try await Self.concurrently(requests, writer) { try await responses(stream) }
        }
    }

    /// A bidirectional call driven from one closure, for conversations where each request
    /// depends on the last response (ping-pong): `body` sends with `call.send`, reads with
    /// `call.receive()` or by iterating `call.responses`, and may half-close with
    /// `call.finishSending()`. The call ends when `body` returns.
    ///
    /// ```swift
    /// let total = try await channel.bidirectionalCall(Chat.Method.talk) { call in
    ///     var total = 0
    ///     for question in questions {
    ///         try await call.send(question)
    ///         guard let answer = try await call.receive() else { break }
    ///         total += answer.score
    ///     }
    ///     return total
    /// }
    /// ```
    public func bidirectionalCall<Request, Response, Result: Sendable>(
        _ method: MethodDescriptor<Request, Response>, options: CallOptions = CallOptions(),
        _ body: @escaping @Sendable (BidirectionalCall<Request, Response>) async throws -> Result
    ) async throws -> Result {
        try await runner(method, options).run { writer, responses in
            try await body(BidirectionalCall(writer: writer, responses: responses))
        }
    }

    /// Starts a unary call in a task of its own and returns its handle, to cancel it from
    /// elsewhere (`cancel()`) or wait for it (`response`). Dropping the handle cancels the call.
    public func startUnary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request, options: CallOptions = CallOptions()
    ) -> UnaryCall<Response> {
        UnaryCall(Task { try await self.unary(method, request, options: options) })
    }

    /// Runs `requests` beside `responses`; `responses` decides the call: when it returns the
    /// requests stop, and a request side that failed first fails the call.
    private static func concurrently<Request, Result: Sendable>(
        _ requests: @escaping @Sendable (RequestWriter<Request>) async throws -> Void, _ writer: RequestWriter<Request>,
        _ responses: () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await requests(writer)
                    try await writer.finish()
                } catch {
                    // The responses cannot end by themselves now: end the call.
                    writer.cancelCall()
                    throw error
                }
            }
            let result: Result
            do {
                result = try await responses()
            } catch {
                group.cancelAll()
                // The request side's own error explains the failure better than the stream's.
                if let requestError = await Self.firstError(&group), !(requestError is CancellationError) { throw requestError }
                throw error
            }
            group.cancelAll()
            // What the requests do after the response is complete does not change the call.
            while (try? await group.next()) != nil {}
            return result
        }
    }

    private static func firstError(_ group: inout ThrowingTaskGroup<Void, any Error>) async -> (any Error)? {
        while true {
            do {
                guard try await group.next() != nil else { return nil }
            } catch {
                return error
            }
        }
    }
}

/// How a channel over several endpoints chooses one for each call.
public enum LoadBalancingPolicy: Sendable, Hashable {
    /// Each call to the next ready endpoint in turn.
    case roundRobin
    /// Every call to the first endpoint (in resolver order) that is ready, the others as fallbacks.
    case pickFirst
}

/// A unary call running in a task of its own.
public final class UnaryCall<Response: ProtoMessage>: Sendable {
    private let task: Task<UnaryResponse<Response>, any Error>

    init(_ task: Task<UnaryResponse<Response>, any Error>) { self.task = task }

    deinit { task.cancel() }

    /// Cancels the call: the server sees it cancelled, and `response` throws CANCELLED.
    public func cancel() { task.cancel() }

    /// The response, with its headers and trailers, once the call ends.
    public var response: UnaryResponse<Response> {
        get async throws { try await task.value }
    }
}

/// Both directions of a bidirectional call, for one task to drive: what
/// `GRPCChannel.bidirectionalCall` hands its closure.
public struct BidirectionalCall<Request: ProtoMessage, Response: ProtoMessage> {
    let writer: RequestWriter<Request>
    /// The responses, also readable one at a time with `receive()`.
    public let responses: ResponseStream<Response>

    init(writer: RequestWriter<Request>, responses: ResponseStream<Response>) {
        self.writer = writer
        self.responses = responses
    }

    /// Sends one request.
    public func send(_ message: Request, compressed: Bool = true) async throws {
        try await writer.write(message, compressed: compressed)
    }

    /// The next response; nil once the server has ended the call OK (a failure throws `RPCError`).
    public func receive() async throws -> Response? {
        try await responses.nextMessage()
    }

    /// Half-closes the call: the server sees the end of the requests.
    public func finishSending() async throws {
        try await writer.finish()
    }

    /// The response headers.
    public func responseHeaders() async throws -> Metadata { try await responses.responseHeaders() }
}

@available(*, unavailable)
extension BidirectionalCall: Sendable {}
