import CoreMetrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A swift-metrics backend that sends every measurement to a StatsD server as one line of its
/// UDP protocol: counters `name:value|c`, timers `name:milliseconds|ms`, gauges `name:value|g`,
/// histograms (aggregating recorders) `name:value|h`.
///
/// Lines are gathered into datagrams of up to `maximumDatagramSize` bytes, one line after
/// another separated by newlines (StatsD's multi-metric packets), sent when the next line would
/// not fit or `flushInterval` after the first line waiting: a busy server sends a datagram per
/// dozens of measurements instead of one each.
///
/// StatsD names have no dimensions, so they are folded into the name: `search_errors` with
/// `code = INVALID_ARGUMENT` becomes `search_errors.code.INVALID_ARGUMENT`. Characters StatsD or
/// Graphite treat specially (`:`, `|`, `@`, `/`, spaces) become `_`. Sending never blocks and never
/// fails the caller: a lost datagram is a lost sample, as StatsD intends.
public final class StatsD: MetricsFactory, Sendable {
    let channel: any Channel
    let remote: SocketAddress
    let prefix: String
    /// The largest datagram sent (a line longer than this goes alone): 1,432 bytes fit the
    /// usual 1,500-byte Ethernet MTU with IP and UDP headers to spare.
    let maximumDatagramSize: Int
    let flushInterval: TimeAmount

    private struct Pending {
        var lines: ByteBuffer
        var flushScheduled = false
    }

    private let pending: NIOLockedValueBox<Pending>

    /// Opens a UDP socket for sending to `host:port`. `prefix` (such as `search.`) goes before every name.
    public static func connect(
        host: String, port: Int, prefix: String = "", maximumDatagramSize: Int = 1432, flushInterval: TimeAmount = .milliseconds(100),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> StatsD {
        let remote = try SocketAddress.makeAddressResolvingHost(host, port: port)
        let bindHost = remote.protocol == .inet6 ? "::" : "0.0.0.0"
        let channel = try await DatagramBootstrap(group: eventLoopGroup).bind(host: bindHost, port: 0).get()
        return StatsD(channel: channel, remote: remote, prefix: prefix, maximumDatagramSize: maximumDatagramSize, flushInterval: flushInterval)
    }

    init(channel: any Channel, remote: SocketAddress, prefix: String, maximumDatagramSize: Int, flushInterval: TimeAmount) {
        self.channel = channel
        self.remote = remote
        self.prefix = prefix
        self.maximumDatagramSize = maximumDatagramSize
        self.flushInterval = flushInterval
        self.pending = NIOLockedValueBox(Pending(lines: channel.allocator.buffer(capacity: maximumDatagramSize)))
    }

    /// Sends what is waiting, then closes the socket.
    public func close() async throws {
        flush()
        try await channel.close()
    }

    /// Sends the line `head` (the metric's name and a colon) + `value` + `|` + `type`, built
    /// straight into the datagram: no string is made for the whole line.
    func send(_ head: String, _ value: String, _ type: String) {
        let length = head.utf8.count + value.utf8.count + 1 + type.utf8.count
        let (full, scheduleFlush) = pending.withLockedValue { pending -> (ByteBuffer?, Bool) in
            var full: ByteBuffer?
            let separator = pending.lines.readableBytes > 0 ? 1 : 0
            if pending.lines.readableBytes + separator + length > maximumDatagramSize, pending.lines.readableBytes > 0 {
                full = pending.lines
                pending.lines = channel.allocator.buffer(capacity: maximumDatagramSize)
            }
            if pending.lines.readableBytes > 0 { pending.lines.writeInteger(UInt8(ascii: "\n")) }
            pending.lines.writeString(head)
            pending.lines.writeString(value)
            pending.lines.writeInteger(UInt8(ascii: "|"))
            pending.lines.writeString(type)
            let schedule = !pending.flushScheduled
            pending.flushScheduled = true
            return (full, schedule)
        }
        if let full { write(full) }
        if scheduleFlush {
            channel.eventLoop.scheduleTask(in: flushInterval) { [self] in flush() }
        }
    }

    /// Sends the lines waiting, if any.
    func flush() {
        let lines = pending.withLockedValue { pending -> ByteBuffer? in
            pending.flushScheduled = false
            guard pending.lines.readableBytes > 0 else { return nil }
            defer { pending.lines = channel.allocator.buffer(capacity: maximumDatagramSize) }
            return pending.lines
        }
        if let lines { write(lines) }
    }

    private func write(_ datagram: ByteBuffer) {
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: datagram), promise: nil)
    }

    func name(_ label: String, _ dimensions: [(String, String)]) -> String {
        let parts = [label] + dimensions.flatMap { [$0.0, $0.1] }
        return prefix + parts.map(Self.sanitize).joined(separator: ".")
    }

    static func sanitize(_ part: String) -> String {
        String(part.map { c -> Character in
            c.isLetter || c.isNumber || c == "_" || c == "-" || c == "." ? c : "_"
        })
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        StatsDCounter(client: self, name: name(label, dimensions))
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        StatsDFloatingCounter(client: self, name: name(label, dimensions))
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        StatsDGauge(client: self, name: name(label, dimensions))
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        StatsDRecorder(client: self, name: name(label, dimensions), type: aggregate ? "h" : "g")
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        StatsDTimer(client: self, name: name(label, dimensions))
    }

    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    public func destroyMeter(_ handler: any MeterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}
}

/// A number as StatsD wants it: integers plainly, fractions with up to three decimals.
func statsDNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String((value * 1000).rounded() / 1000)
}

final class StatsDCounter: CounterHandler, Sendable {
    let client: StatsD
    let head: String
    init(client: StatsD, name: String) { self.client = client; self.head = name + ":" }
    func increment(by amount: Int64) { client.send(head, String(amount), "c") }
    func reset() {}
}

final class StatsDFloatingCounter: FloatingPointCounterHandler, Sendable {
    let client: StatsD
    let head: String
    init(client: StatsD, name: String) { self.client = client; self.head = name + ":" }
    func increment(by amount: Double) { client.send(head, statsDNumber(amount), "c") }
    func reset() {}
}

final class StatsDGauge: MeterHandler, Sendable {
    let client: StatsD
    let head: String
    init(client: StatsD, name: String) { self.client = client; self.head = name + ":" }
    func set(_ value: Int64) { client.send(head, String(value), "g") }
    func set(_ value: Double) { client.send(head, statsDNumber(value), "g") }
    func increment(by amount: Double) { client.send(head, "+" + statsDNumber(amount), "g") }
    func decrement(by amount: Double) { client.send(head, "-" + statsDNumber(amount), "g") }
}

final class StatsDRecorder: RecorderHandler, Sendable {
    let client: StatsD
    let head: String
    let type: String
    init(client: StatsD, name: String, type: String) { self.client = client; self.head = name + ":"; self.type = type }
    func record(_ value: Int64) { client.send(head, String(value), type) }
    func record(_ value: Double) { client.send(head, statsDNumber(value), type) }
}

final class StatsDTimer: TimerHandler, Sendable {
    let client: StatsD
    let head: String
    init(client: StatsD, name: String) { self.client = client; self.head = name + ":" }
    func recordNanoseconds(_ duration: Int64) {
        client.send(head, statsDNumber(Double(duration) / 1_000_000), "ms")
    }
}
