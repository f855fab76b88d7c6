import CoreMetrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Synchronization

/// A swift-metrics backend that sends measurements to a StatsD server as lines of its UDP
/// protocol: counters `name:value|c`, timers `name:milliseconds|ms`, gauges `name:value|g`,
/// histograms (aggregating recorders) `name:value|h`.
///
/// Timers, gauges and recorders send a line per measurement. Counters are summed in the process
/// and send one line per `flushInterval` in which they moved (StatsD sums counter lines anyway,
/// so the totals it reports are the same): a counter bumped on every call costs an atomic add,
/// not a line. Lines are gathered into datagrams of up to `maximumDatagramSize` bytes, one line
/// after another separated by newlines (StatsD's multi-metric packets). Datagrams go out
/// `flushInterval` after the first line waiting, or as soon as `maximumWaitingDatagrams` are
/// full, together, in one pass on the socket's event loop: a busy server sends a datagram per
/// dozens of measurements, and hands them to the socket a batch at a time.
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
    /// Full datagrams that may wait for the next flush; one more sends them at once.
    let maximumWaitingDatagrams = 16

    private struct Pending {
        /// Full datagrams waiting for the flush.
        var full: [ByteBuffer] = []
        var lines: ByteBuffer
        var flushScheduled = false
        /// Counters that moved since the last flush (one may be listed twice; its second drain is 0).
        var counters: [StatsDCounter] = []
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
        send(length: head.utf8.count + value.utf8.count + 1 + type.utf8.count) { lines in
            Self.writeLine(head, value, type, to: &lines)
        }
    }

    private static func writeLine(_ head: String, _ value: String, _ type: String, to lines: inout ByteBuffer) {
        lines.writeString(head)
        lines.writeString(value)
        lines.writeInteger(UInt8(ascii: "|"))
        lines.writeString(type)
    }

    /// Sends a timer's line, `head` + the duration in milliseconds (up to three decimals) +
    /// `|ms`, its digits written into the datagram without a string in between.
    func sendMilliseconds(_ head: String, nanoseconds: Int64) {
        let microseconds = (nanoseconds.magnitude + 500) / 1000
        let whole = microseconds / 1000
        var fraction = microseconds % 1000
        var decimals = 3
        while decimals > 0, fraction % 10 == 0 {
            fraction /= 10
            decimals -= 1
        }
        let sign = nanoseconds < 0 && microseconds > 0 ? 1 : 0
        let wholeDigits = decimalDigits(whole)
        let length = head.utf8.count + sign + wholeDigits + (decimals > 0 ? 1 + decimals : 0) + 3
        send(length: length) { lines in
            lines.writeString(head)
            if sign == 1 { lines.writeInteger(UInt8(ascii: "-")) }
            writeDecimal(whole, digits: wholeDigits, to: &lines)
            if decimals > 0 {
                lines.writeInteger(UInt8(ascii: "."))
                writeDecimal(fraction, digits: decimals, to: &lines)
            }
            lines.writeStaticString("|ms")
        }
    }

    /// Appends a line of `length` bytes, written by `write`, to the datagram being gathered,
    /// sending that datagram first when the line would not fit.
    private func send(length: Int, _ write: (inout ByteBuffer) -> Void) {
        let (ready, scheduleFlush) = pending.withLockedValue { pending -> ([ByteBuffer], Bool) in
            startLine(length: length, in: &pending)
            write(&pending.lines)
            let schedule = scheduleFlushLocked(&pending)
            guard pending.full.count >= maximumWaitingDatagrams else { return ([], schedule) }
            defer { pending.full = [] }
            return (pending.full, schedule)
        }
        self.write(ready)
        if scheduleFlush { self.scheduleFlush() }
    }

    /// Makes room for a line of `length` bytes, moving the datagram being gathered to the full
    /// ones if the line would not fit in it, and writes the separator. Called with the lock held.
    private func startLine(length: Int, in pending: inout Pending) {
        let separator = pending.lines.readableBytes > 0 ? 1 : 0
        if pending.lines.readableBytes + separator + length > maximumDatagramSize, pending.lines.readableBytes > 0 {
            pending.full.append(pending.lines)
            pending.lines = channel.allocator.buffer(capacity: maximumDatagramSize)
        }
        if pending.lines.readableBytes > 0 { pending.lines.writeInteger(UInt8(ascii: "\n")) }
    }

    /// Whether the caller must schedule the flush (the first line or counter since the last). Called with the lock held.
    private func scheduleFlushLocked(_ pending: inout Pending) -> Bool {
        defer { pending.flushScheduled = true }
        return !pending.flushScheduled
    }

    private func scheduleFlush() {
        channel.eventLoop.scheduleTask(in: flushInterval) { [self] in flush() }
    }

    /// `counter` moved from zero: its sum goes out with the next flush.
    func counterMoved(_ counter: StatsDCounter) {
        let schedule = pending.withLockedValue { pending -> Bool in
            pending.counters.append(counter)
            return scheduleFlushLocked(&pending)
        }
        if schedule { scheduleFlush() }
    }

    /// Sends the lines waiting, if any, with a line per counter that moved.
    func flush() {
        let datagrams = pending.withLockedValue { pending -> [ByteBuffer] in
            pending.flushScheduled = false
            for counter in pending.counters {
                let sum = counter.drain()
                guard sum != 0 else { continue }
                let value = String(sum)
                startLine(length: counter.head.utf8.count + value.utf8.count + 2, in: &pending)
                Self.writeLine(counter.head, value, "c", to: &pending.lines)
            }
            pending.counters.removeAll(keepingCapacity: true)
            var datagrams = pending.full
            pending.full = []
            guard pending.lines.readableBytes > 0 else { return datagrams }
            datagrams.append(pending.lines)
            pending.lines = channel.allocator.buffer(capacity: maximumDatagramSize)
            return datagrams
        }
        write(datagrams)
    }

    /// Sends `datagrams` in one pass on the socket's event loop: written, then flushed once.
    private func write(_ datagrams: [ByteBuffer]) {
        guard !datagrams.isEmpty else { return }
        let (channel, remote) = (self.channel, self.remote)
        let send: @Sendable () -> Void = {
            for datagram in datagrams { channel.write(AddressedEnvelope(remoteAddress: remote, data: datagram), promise: nil) }
            channel.flush()
        }
        if channel.eventLoop.inEventLoop { send() } else { channel.eventLoop.execute(send) }
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

/// The number of decimal digits of `value` (1 for 0).
func decimalDigits(_ value: UInt64) -> Int {
    var digits = 1
    var rest = value
    while rest >= 10 {
        rest /= 10
        digits += 1
    }
    return digits
}

/// Writes `value` as exactly `digits` decimal digits (leading zeros included).
func writeDecimal(_ value: UInt64, digits: Int, to buffer: inout ByteBuffer) {
    buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: digits) { bytes in
        var rest = value
        for i in stride(from: digits - 1, through: 0, by: -1) {
            bytes[i] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        return digits
    }
}

/// A counter summed in the process: an increment is an atomic add; the sum goes out as one line
/// at the next flush.
final class StatsDCounter: CounterHandler, Sendable {
    let client: StatsD
    let head: String
    private let sum = Atomic<Int64>(0)
    init(client: StatsD, name: String) { self.client = client; self.head = name + ":" }

    func increment(by amount: Int64) {
        guard amount != 0 else { return }
        // The increment that moves the sum from zero lists the counter for the next flush.
        if sum.wrappingAdd(amount, ordering: .relaxed).oldValue == 0 { client.counterMoved(self) }
    }

    /// The sum since the last drain, reset to zero.
    func drain() -> Int64 { sum.exchange(0, ordering: .relaxed) }

    func reset() { _ = drain() }
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
        client.sendMilliseconds(head, nanoseconds: duration)
    }
}
