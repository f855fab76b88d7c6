import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal DNS client over UDP (RFC 1035 messages, RFC 2782 SRV, RFC 3596 AAAA), enough to
/// ask a given server (Consul's or dnsmasq's port, say) for A, AAAA and SRV records.
public struct DNSClient: Sendable {
    public enum RecordType: UInt16, Sendable {
        case a = 1
        case aaaa = 28
        case srv = 33
    }

    public struct SRVRecord: Sendable, Hashable {
        public var priority: UInt16
        public var weight: UInt16
        public var port: UInt16
        public var target: String
    }

    /// The records of one answer: addresses found anywhere in it (answers and additional
    /// section, keyed by owner name) and SRV answers.
    public struct Answer: Sendable {
        public var addresses: [String: [String]] = [:]
        public var services: [SRVRecord] = []
        public var nameDoesNotExist = false
    }

    public let server: Endpoint
    public var timeout: Duration = .seconds(1)
    public var attempts = 2
    let group: any EventLoopGroup

    public init(server: Endpoint, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.server = server
        self.group = eventLoopGroup
    }

    /// The first `nameserver` of /etc/resolv.conf, port 53.
    public static func systemServer() -> Endpoint? {
        guard let file = fopen("/etc/resolv.conf", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 512)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            if fields.count >= 2, fields[0] == "nameserver" { return Endpoint(host: String(fields[1]), port: 53) }
        }
        return nil
    }

    /// Asks for `type` records of `name`.
    public func query(_ name: String, type: RecordType) async throws -> Answer {
        let id = UInt16.random(in: 0...UInt16.max)
        let request = try DNSMessage.query(id: id, name: name, type: type.rawValue)
        let address = try SocketAddress.makeAddressResolvingHost(server.host, port: server.port)
        var lastError: any Error = DNSError("no answer from \(server)")
        for _ in 0..<max(attempts, 1) {
            do {
                let bytes = try await exchange(request, id: id, with: address)
                return try DNSMessage.parse(bytes, expectedID: id)
            } catch let error as DNSError where error.retryable {
                lastError = error
            }
        }
        throw lastError
    }

    private func exchange(_ request: [UInt8], id: UInt16, with address: SocketAddress) async throws -> [UInt8] {
        let promise = group.next().makePromise(of: [UInt8].self)
        let bindHost = address.protocol == .inet6 ? "::" : "0.0.0.0"
        let channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DNSResponseHandler(id: id, promise: promise))
                }
            }
            .bind(host: bindHost, port: 0).get()
        defer { channel.close(promise: nil) }
        let timeout = self.timeout
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            promise.fail(DNSError("\(server) did not answer within \(timeout)", retryable: true))
        }
        defer { timer.cancel() }
        let buffer = channel.allocator.buffer(bytes: request)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: buffer)).cascadeFailure(to: promise)
        return try await promise.futureResult.get()
    }
}

public struct DNSError: Error, CustomStringConvertible, Sendable {
    public var description: String
    var retryable = false

    init(_ description: String, retryable: Bool = false) {
        self.description = description
        self.retryable = retryable
    }
}

/// Takes the first datagram that answers our query id.
private final class DNSResponseHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let id: UInt16
    let promise: EventLoopPromise<[UInt8]>

    init(id: UInt16, promise: EventLoopPromise<[UInt8]>) {
        self.id = id
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var envelope = unwrapInboundIn(data)
        guard let bytes = envelope.data.readBytes(length: envelope.data.readableBytes), bytes.count >= 2,
              UInt16(bytes[0]) << 8 | UInt16(bytes[1]) == id
        else { return }
        promise.succeed(bytes)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
    }
}

/// The DNS wire format, as far as this client needs it.
enum DNSMessage {
    static func query(id: UInt16, name: String, type: UInt16) throws -> [UInt8] {
        var bytes: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".", omittingEmptySubsequences: true) {
            let utf8 = Array(label.utf8)
            guard !utf8.isEmpty, utf8.count < 64 else { throw DNSError("bad DNS name \(name)") }
            bytes.append(UInt8(utf8.count))
            bytes += utf8
        }
        bytes.append(0)
        guard bytes.count - 12 <= 255 else { throw DNSError("DNS name too long: \(name)") }
        bytes += [UInt8(type >> 8), UInt8(type & 0xFF), 0, 1]
        return bytes
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func u8() throws -> UInt8 {
            guard index < bytes.count else { throw DNSError("truncated DNS message") }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func u16() throws -> UInt16 { UInt16(try u8()) << 8 | UInt16(try u8()) }

        mutating func u32() throws -> UInt32 { UInt32(try u16()) << 16 | UInt32(try u16()) }

        mutating func skip(_ n: Int) throws {
            guard index + n <= bytes.count else { throw DNSError("truncated DNS message") }
            index += n
        }

        /// A name, following compression pointers (never forwards past the start of the
        /// pointer, which rules out loops).
        mutating func name() throws -> String {
            var labels: [String] = []
            var position = index
            var jumped = false
            var hops = 0
            while true {
                guard position < bytes.count else { throw DNSError("truncated DNS name") }
                let length = Int(bytes[position])
                if length == 0 {
                    position += 1
                    break
                }
                if length & 0xC0 == 0xC0 {
                    guard position + 1 < bytes.count else { throw DNSError("truncated DNS name") }
                    let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                    hops += 1
                    guard target < position, hops < 64 else { throw DNSError("bad DNS compression pointer") }
                    if !jumped { index = position + 2 }
                    jumped = true
                    position = target
                    continue
                }
                guard length < 64, position + 1 + length <= bytes.count else { throw DNSError("bad DNS label") }
                labels.append(String(decoding: bytes[(position + 1)...(position + length)], as: UTF8.self))
                position += 1 + length
            }
            if !jumped { index = position }
            return labels.joined(separator: ".").lowercased()
        }
    }

    static func parse(_ bytes: [UInt8], expectedID: UInt16) throws -> DNSClient.Answer {
        var reader = Reader(bytes: bytes)
        let id = try reader.u16()
        let flags = try reader.u16()
        guard id == expectedID, flags & 0x8000 != 0 else { throw DNSError("not an answer to our query") }
        if flags & 0x0200 != 0 { throw DNSError("the DNS answer was truncated (TCP fallback is not supported)") }
        var answer = DNSClient.Answer()
        switch flags & 0x000F {
        case 0: break
        case 3:
            answer.nameDoesNotExist = true
            return answer
        case let code: throw DNSError("the DNS server answered with error code \(code)", retryable: code == 2)
        }
        let questions = try reader.u16()
        let records = Int(try reader.u16()) + Int(try reader.u16()) + Int(try reader.u16())
        for _ in 0..<questions {
            _ = try reader.name()
            try reader.skip(4)
        }
        for _ in 0..<records {
            let owner = try reader.name()
            let type = try reader.u16()
            _ = try reader.u16()  // class
            _ = try reader.u32()  // TTL
            let length = Int(try reader.u16())
            let end = reader.index + length
            guard end <= bytes.count else { throw DNSError("truncated DNS record") }
            switch type {
            case DNSClient.RecordType.a.rawValue where length == 4:
                let address = bytes[reader.index..<end].map { String($0) }.joined(separator: ".")
                answer.addresses[owner, default: []].append(address)
            case DNSClient.RecordType.aaaa.rawValue where length == 16:
                let packed = ByteBuffer(bytes: bytes[reader.index..<end])
                if let address = try? SocketAddress(packedIPAddress: packed, port: 0).ipAddress {
                    answer.addresses[owner, default: []].append(address)
                }
            case DNSClient.RecordType.srv.rawValue:
                var rdata = reader
                let priority = try rdata.u16()
                let weight = try rdata.u16()
                let port = try rdata.u16()
                let target = try rdata.name()
                answer.services.append(.init(priority: priority, weight: weight, port: port, target: target))
            default:
                break
            }
            reader.index = end
        }
        return answer
    }
}

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
/// `dns://server:port/name:port` (A and AAAA records from that DNS server).
public struct DNSResolver: PollingNameResolver {
    public let name: String
    public let port: Int
    public let server: Endpoint?
    public let period: Duration
    let group: any EventLoopGroup

    public init(name: String, port: Int, server: Endpoint?, period: Duration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.name = name
        self.port = port
        self.server = server
        self.period = period
        self.group = eventLoopGroup
    }

    public func resolve() async throws -> [Endpoint] {
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
public struct SRVResolver: PollingNameResolver {
    public let name: String
    public let server: Endpoint
    public let period: Duration
    let group: any EventLoopGroup

    public init(name: String, server: Endpoint, period: Duration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.name = name
        self.server = server
        self.period = period
        self.group = eventLoopGroup
    }

    public func resolve() async throws -> [Endpoint] {
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
