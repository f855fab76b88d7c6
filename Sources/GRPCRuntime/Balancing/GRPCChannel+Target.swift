import NIOCore
import NIOPosix

extension GRPCChannel {
    /// A channel to whatever `target` resolves to:
    /// - `host:port`, `[v6]:port`: that address (looked up when connecting);
    /// - `ipv4:a:p,b:q` and `ipv6:[a]:p,[b]:q`: a fixed list;
    /// - `dns:///name:port`: the name's addresses from the system resolver, or
    ///   `dns://SERVER:PORT/name:port` A and AAAA records from that DNS server;
    /// - `srv://SERVER:PORT/_grpc._tcp.name`: the hosts and ports of SRV records (without a
    ///   server, `configuration.dnsServer` or the system's);
    /// - any scheme registered in `resolvers` (such as `etcd://HOST:PORT/prefix` from the search example's EtcdDiscovery).
    /// Calls are balanced over the endpoints by `configuration.loadBalancingPolicy`.
    public convenience init(
        target: String, configuration: Configuration = Configuration(), resolvers: ResolverRegistry = .standard,
        interceptors: [any ClientInterceptor] = [], eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws(TargetError) {
        let parsed = try ResolverTarget(parsing: target)
        let resolver: any NameResolver
        do {
            resolver = try resolvers.resolver(for: parsed, configuration: configuration)
        } catch let error as TargetError {
            throw error
        } catch {
            throw TargetError("cannot resolve \(target): \(error)")
        }
        let balancer = LoadBalancer(target: parsed, resolver: resolver, configuration: configuration, group: eventLoopGroup)
        self.init(transport: balancer, configuration: configuration, interceptors: interceptors)
    }

    /// The endpoints a target channel currently balances over (empty for other channels).
    public var endpoints: [Endpoint] {
        (transport as? LoadBalancer)?.endpoints ?? []
    }
}
