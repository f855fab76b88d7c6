import CoreMetrics
import NIOCore
import NIOPosix

/// A swift-metrics backend that sends every measurement to a StatsD server as one UDP datagram:
/// counters `name:value|c`, timers `name:milliseconds|ms`, gauges `name:value|g`, histograms
/// (aggregating recorders) `name:value|h`.
///
/// StatsD names have no dimensions, so they are folded into the name: `search_errors` with
/// `code = INVALID_ARGUMENT` becomes `search_errors.code.INVALID_ARGUMENT`. Characters StatsD or
/// Graphite treat specially (`:`, `|`, `@`, `/`, spaces) become `_`. Sending never blocks and never
/// fails the caller: a lost datagram is a lost sample, as StatsD intends.
public final class StatsD: MetricsFactory, Sendable {
    let channel: any Channel
    let remote: SocketAddress
    let prefix: String

    /// Opens a UDP socket for sending to `host:port`. `prefix` (such as `search.`) goes before every name.
    public static func connect(
        host: String, port: Int, prefix: String = "",
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> StatsD {
        let remote = try SocketAddress.makeAddressResolvingHost(host, port: port)
        let bindHost = remote.protocol == .inet6 ? "::" : "0.0.0.0"
        let channel = try await DatagramBootstrap(group: eventLoopGroup).bind(host: bindHost, port: 0).get()
        return StatsD(channel: channel, remote: remote, prefix: prefix)
    }

    init(channel: any Channel, remote: SocketAddress, prefix: String) {
        self.channel = channel
        self.remote = remote
        self.prefix = prefix
    }

    /// Closes the socket.
    public func close() async throws {
        try await channel.close()
    }

    func send(_ line: String) {
        let buffer = channel.allocator.buffer(string: line)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
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
    let name: String
    init(client: StatsD, name: String) { self.client = client; self.name = name }
    func increment(by amount: Int64) { client.send("\(name):\(amount)|c") }
    func reset() {}
}

final class StatsDFloatingCounter: FloatingPointCounterHandler, Sendable {
    let client: StatsD
    let name: String
    init(client: StatsD, name: String) { self.client = client; self.name = name }
    func increment(by amount: Double) { client.send("\(name):\(statsDNumber(amount))|c") }
    func reset() {}
}

final class StatsDGauge: MeterHandler, Sendable {
    let client: StatsD
    let name: String
    init(client: StatsD, name: String) { self.client = client; self.name = name }
    func set(_ value: Int64) { client.send("\(name):\(value)|g") }
    func set(_ value: Double) { client.send("\(name):\(statsDNumber(value))|g") }
    func increment(by amount: Double) { client.send("\(name):+\(statsDNumber(amount))|g") }
    func decrement(by amount: Double) { client.send("\(name):-\(statsDNumber(amount))|g") }
}

final class StatsDRecorder: RecorderHandler, Sendable {
    let client: StatsD
    let name: String
    let type: String
    init(client: StatsD, name: String, type: String) { self.client = client; self.name = name; self.type = type }
    func record(_ value: Int64) { client.send("\(name):\(value)|\(type)") }
    func record(_ value: Double) { client.send("\(name):\(statsDNumber(value))|\(type)") }
}

final class StatsDTimer: TimerHandler, Sendable {
    let client: StatsD
    let name: String
    init(client: StatsD, name: String) { self.client = client; self.name = name }
    func recordNanoseconds(_ duration: Int64) {
        client.send("\(name):\(statsDNumber(Double(duration) / 1_000_000))|ms")
    }
}
