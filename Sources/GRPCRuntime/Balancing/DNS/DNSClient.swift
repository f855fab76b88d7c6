import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal DNS client over UDP (RFC 1035 messages, RFC 2782 SRV, RFC 3596 AAAA), enough to
/// ask a given server (Consul's or dnsmasq's port, say) for A, AAAA, SRV and TXT records.
struct DNSClient: Sendable {
    enum RecordType: UInt16, Sendable {
        case a = 1
        case aaaa = 28
        case srv = 33
        case txt = 16
    }

    struct SRVRecord: Sendable, Hashable {
        var priority: UInt16
        var weight: UInt16
        var port: UInt16
        var target: String
    }

    /// The records of one answer: addresses found anywhere in it (answers and additional
    /// section, keyed by owner name) and SRV answers.
    struct Answer: Sendable {
        var addresses: [String: [String]] = [:]
        var services: [SRVRecord] = []
        /// TXT answers, each record's character-strings joined.
        var texts: [String] = []
        var nameDoesNotExist = false
    }

    let server: Endpoint
    var timeout: Duration = .seconds(1)
    var attempts = 2
    let group: any EventLoopGroup

    init(server: Endpoint, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.server = server
        self.group = eventLoopGroup
    }

    /// The first `nameserver` of /etc/resolv.conf, port 53.
    static func systemServer() -> Endpoint? {
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
    func query(_ name: String, type: RecordType) async throws -> Answer {
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

struct DNSError: Error, CustomStringConvertible, Sendable {
    var description: String
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
