import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

/// Whether `host` is an IPv4 or IPv6 literal, which needs no lookup.
func isIPAddressLiteral(_ host: String) -> Bool {
    (try? SocketAddress(ipAddress: host, port: 0)) != nil
}

/// `dns:///name:port` (the system's resolver, getaddrinfo, so /etc/hosts counts) or
/// `dns://server:port/name:port` (A and AAAA records from that DNS server, and the service
/// config of the TXT record of `_grpc_config.name`).
struct DNSResolver: PollingNameResolver, ServiceConfigResolver {
    let name: String
    let port: Int
    let server: Endpoint?
    let period: Duration
    let group: any EventLoopGroup

    init(name: String, port: Int, server: Endpoint?, period: Duration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.name = name
        self.port = port
        self.server = server
        self.period = period
        self.group = eventLoopGroup
    }

    func resolve() async throws -> [Endpoint] {
        if isIPAddressLiteral(name) { return [Endpoint(host: name, port: port)] }
        let addresses: [String]
        if let server {
            let client = DNSClient(server: server, eventLoopGroup: group)
            // Either family may be refused (dnsmasq refuses AAAA for a name it only has an A
            // record for when it has no upstream); one good answer is enough.
            async let v4 = Result(catching: { try await client.query(name, type: .a) })
            async let v6 = Result(catching: { try await client.query(name, type: .aaaa) })
            let answers = await [v4, v6]
            let found = answers.flatMap { (try? $0.get())?.addresses.values.flatMap { $0 } ?? [] }
            if found.isEmpty, case .failure(let error) = answers[0] { throw error }
            addresses = found
        } else {
            addresses = try await Self.systemLookup(name)
        }
        guard !addresses.isEmpty else { throw DNSError("\(name) has no addresses") }
        var seen = Set<String>()
        return addresses.filter { seen.insert($0).inserted }.map { Endpoint(host: $0, port: port) }
    }

    /// The config in `_grpc_config.NAME`'s TXT records, asked of the target's DNS server only:
    /// the system resolver answers addresses, not TXT records.
    func serviceConfig() async throws -> ServiceConfig? {
        guard let server, !isIPAddressLiteral(name) else { return nil }
        let answer = try await DNSClient(server: server, eventLoopGroup: group).query("_grpc_config." + name, type: .txt)
        return try ServiceConfig.fromDNSTXT(answer.texts, hostname: Self.hostname, roll: Self.roll)
    }

    /// This machine's name, which a choice's `clientHostname` is compared with.
    static let hostname: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// The number a choice's `percentage` is compared with, drawn once per process as gRPC
    /// draws it once per client.
    static let roll = Int.random(in: 0..<100)

    /// getaddrinfo on NIO's thread pool: it blocks, and must not hold a cooperative thread.
    static func systemLookup(_ name: String) async throws -> [String] {
        try await NIOThreadPool.singleton.runIfActive {
            var hints = addrinfo()
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var list: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(name, nil, &hints, &list)
            guard status == 0 else {
                throw DNSError("cannot resolve \(name): \(String(cString: gai_strerror(status)))")
            }
            defer { freeaddrinfo(list) }
            var result: [String] = []
            var next = list
            while let info = next?.pointee {
                if let sockaddr = info.ai_addr, let address = try? SocketAddress(sockaddr: sockaddr, length: info.ai_addrlen).ipAddress {
                    result.append(address)
                }
                next = info.ai_next
            }
            return result
        }
    }
}

extension SocketAddress {
    fileprivate init(sockaddr pointer: UnsafeMutablePointer<sockaddr>, length: socklen_t) throws {
        switch Int32(pointer.pointee.sa_family) {
        case AF_INET:
            self = pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: "") }
        case AF_INET6:
            self = pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: "") }
        default:
            throw DNSError("unsupported address family")
        }
    }
}

/// `srv://server:port/_grpc._tcp.search.service`: the SRV records of the name on that DNS
/// server (or `Configuration.dnsServer`, or the system's first nameserver), each target's
/// address from the answer's additional section, a literal target, or an A/AAAA query.
/// Only the records of the lowest priority are used, as RFC 2782 prescribes.
struct SRVResolver: PollingNameResolver {
    let name: String
    let server: Endpoint
    let period: Duration
    let group: any EventLoopGroup

    init(name: String, server: Endpoint, period: Duration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.name = name
        self.server = server
        self.period = period
        self.group = eventLoopGroup
    }

    func resolve() async throws -> [Endpoint] {
        let client = DNSClient(server: server, eventLoopGroup: group)
        let answer = try await client.query(name, type: .srv)
        let records = answer.services.filter { $0.target != "" && $0.target != "." }
        guard let best = records.map(\.priority).min() else {
            throw DNSError("no SRV records for \(name) at \(server)")
        }
        var endpoints: [Endpoint] = []
        for record in records where record.priority == best {
            let port = Int(record.port)
            if isIPAddressLiteral(record.target) {
                endpoints.append(Endpoint(host: record.target, port: port))
            } else if let known = answer.addresses[record.target], !known.isEmpty {
                endpoints += known.map { Endpoint(host: $0, port: port) }
            } else {
                let lookup = DNSResolver(name: record.target, port: port, server: server, period: period, eventLoopGroup: group)
                endpoints += (try? await lookup.resolve()) ?? []
            }
        }
        var seen = Set<Endpoint>()
        return endpoints.filter { seen.insert($0).inserted }
    }
}

struct DNSResolverFactory: NameResolverFactory {
    var scheme: String { "dns" }

    func makeResolver(for target: ResolverTarget, configuration: GRPCChannel.Configuration) throws -> any NameResolver {
        let endpoint = try Endpoint(parsing: target.path, defaultPort: 443)
        let server = try target.authority.isEmpty ? nil : Endpoint(parsing: target.authority, defaultPort: 53)
        return DNSResolver(name: endpoint.host, port: endpoint.port, server: server, period: configuration.resolutionPeriod)
    }
}

struct SRVResolverFactory: NameResolverFactory {
    var scheme: String { "srv" }

    func makeResolver(for target: ResolverTarget, configuration: GRPCChannel.Configuration) throws -> any NameResolver {
        guard !target.path.isEmpty else { throw TargetError("\(target) names no SRV record (srv://SERVER:PORT/_grpc._tcp.NAME)") }
        let server: Endpoint
        if !target.authority.isEmpty {
            server = try Endpoint(parsing: target.authority, defaultPort: 53)
        } else if let configured = configuration.dnsServer {
            server = configured
        } else if let system = DNSClient.systemServer() {
            server = system
        } else {
            throw TargetError("\(target) names no DNS server and /etc/resolv.conf has none")
        }
        return SRVResolver(name: target.path, server: server, period: configuration.resolutionPeriod)
    }
}
