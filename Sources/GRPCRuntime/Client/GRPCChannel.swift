import NIOCore
import NIOPosix
import ProtoWire

/// A client's way to a server: one multiplexed HTTP/2 connection shared by all calls, or,
/// made from a target string, one per endpoint the target resolves to, with calls balanced
/// over them.
///
/// Generated clients take one: `Search.Client(channel: GRPCChannel(host: "127.0.0.1", port: 50051))`,
/// or `try GRPCChannel(target: "dns:///search.example:50051")`. Call `close()` when done.
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
        /// whole server); endpoints reporting NOT_SERVING get no calls. Servers without the
        /// health service count as serving. nil turns health checking off.
        public var healthCheckService: String? = ""

        public init() {}
    }

    enum Backend: Sendable {
        case single(ClientConnection)
        case balanced(LoadBalancer)
    }

    /// For a target channel, the target text and port 0.
    public let host: String
    public let port: Int
    public let configuration: Configuration
    let backend: Backend
    private let defaultAuthority: String

    public init(
        host: String, port: Int, configuration: Configuration = Configuration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.port = port
        self.configuration = configuration
        self.backend = .single(ClientConnection(host: host, port: port, configuration: configuration, group: eventLoopGroup))
        self.defaultAuthority = "\(host):\(port)"
    }

    /// A channel to whatever `target` resolves to:
    /// - `host:port`, `[v6]:port`: that address (looked up when connecting);
    /// - `ipv4:a:p,b:q` and `ipv6:[a]:p,[b]:q`: a fixed list;
    /// - `dns:///name:port`: the name's addresses from the system resolver, or
    ///   `dns://SERVER:PORT/name:port` A and AAAA records from that DNS server;
    /// - `srv://SERVER:PORT/_grpc._tcp.name`: the hosts and ports of SRV records (without a
    ///   server, `configuration.dnsServer` or the system's);
    /// - any scheme registered in `resolvers` (such as `etcd://HOST:PORT/prefix` from the search example's EtcdDiscovery).
    /// Calls are balanced over the endpoints by `configuration.loadBalancingPolicy`.
    public init(
        target: String, configuration: Configuration = Configuration(), resolvers: ResolverRegistry = .standard,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws(TargetError) {
        let parsed = try ResolverTarget(parsing: target)
        let resolver = try Self.makeResolver(parsed, configuration: configuration, resolvers: resolvers)
        self.host = target
        self.port = 0
        self.configuration = configuration
        self.backend = .balanced(LoadBalancer(target: parsed, resolver: resolver, configuration: configuration, group: eventLoopGroup))
        self.defaultAuthority = parsed.path.isEmpty ? target : parsed.path
    }

    /// A channel over one subchannel's connection, for the balancer's health checks.
    init(connection: ClientConnection, configuration: Configuration) {
        self.host = connection.host
        self.port = connection.port
        self.configuration = configuration
        self.backend = .single(connection)
        self.defaultAuthority = "\(connection.host):\(connection.port)"
    }

    private static func makeResolver(_ target: ResolverTarget, configuration: Configuration, resolvers: ResolverRegistry) throws(TargetError) -> any NameResolver {
        do {
            return try resolvers.resolver(for: target, configuration: configuration)
        } catch let error as TargetError {
            throw error
        } catch {
            throw TargetError("cannot resolve \(target): \(error)")
        }
    }

    /// The endpoints a target channel currently balances over (empty for a host/port channel).
    public var endpoints: [Endpoint] {
        if case .balanced(let balancer) = backend { return balancer.endpoints }
        return []
    }

    /// Closes the connections; calls in flight fail and new ones get `unavailable`.
    public func close() {
        switch backend {
        case .single(let connection): connection.close()
        case .balanced(let balancer): balancer.close()
        }
    }

    var scheme: String { configuration.transportSecurity == nil ? "http" : "https" }
    var authority: String { configuration.authority ?? defaultAuthority }

    /// A stream for one call attempt, with the endpoint it went to and what to call when the
    /// attempt ends. Endpoints in `tried` are avoided; failing ones are added.
    func openStream(waitForReady: Bool, tried: inout Set<Endpoint>) async throws -> (StreamChannel, GoAwayRecord, Endpoint?, @Sendable () -> Void) {
        switch backend {
        case .single(let connection):
            let (stream, goAway) = try await connection.openStream(waitForReady: waitForReady)
            return (stream, goAway, nil, {})
        case .balanced(let balancer):
            return try await balancer.openStream(waitForReady: waitForReady, tried: &tried)
        }
    }

    // MARK: The four kinds of call

    /// A unary call: one request, one response, with the response metadata.
    public func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request, options: CallOptions = CallOptions()
    ) async throws -> UnaryResponse<Response> {
        try await ClientCall(channel: self, path: method.path, options: options).run(
            requests: { writer in try await writer.write(request) },
            responses: { (stream: ResponseStream<Response>) in try await stream.single() }
        )
    }

    /// A server-streaming call: `handle` reads the responses; the call ends when it returns.
    public func serverStreaming<Request, Response, Result: Sendable>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request, options: CallOptions = CallOptions(),
        _ handle: @escaping @Sendable (ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        try await ClientCall(channel: self, path: method.path, options: options).run(
            requests: { writer in try await writer.write(request) },
            responses: handle
        )
    }

    /// A client-streaming call: `requests` writes them; returning from it half-closes the call.
    public func clientStreaming<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, options: CallOptions = CallOptions(),
        requests: @escaping @Sendable (RequestWriter<Request>) async throws -> Void
    ) async throws -> UnaryResponse<Response> {
        try await ClientCall(channel: self, path: method.path, options: options).run(
            requests: requests,
            responses: { (stream: ResponseStream<Response>) in try await stream.single() }
        )
    }

    /// A bidirectional call: `requests` and `responses` run concurrently; the call ends when
    /// `responses` returns (cancelling it on the server if it is still going).
    public func bidirectionalStreaming<Request, Response, Result: Sendable>(
        _ method: MethodDescriptor<Request, Response>, options: CallOptions = CallOptions(),
        requests: @escaping @Sendable (RequestWriter<Request>) async throws -> Void,
        responses: @escaping @Sendable (ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        try await ClientCall(channel: self, path: method.path, options: options).run(requests: requests, responses: responses)
    }
}
