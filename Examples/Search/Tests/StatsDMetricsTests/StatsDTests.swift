import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
@testable import StatsDMetrics
import Testing

/// A UDP socket on loopback that keeps every line of every datagram it receives.
final class DatagramSink: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let received = NIOLockedValueBox<[String]>([])
    /// The size of each datagram received.
    let datagrams = NIOLockedValueBox<[Int]>([])

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data).data
        let text = String(buffer: bytes)
        datagrams.withLockedValue { $0.append(bytes.readableBytes) }
        received.withLockedValue { $0 += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Waits up to five seconds for `count` lines.
    func wait(for count: Int) async -> [String] {
        await wait { $0.count >= count }
    }

    /// Waits up to five seconds for the lines received to satisfy `done`; returns them.
    func wait(until done: ([String]) -> Bool) async -> [String] {
        for _ in 0..<500 {
            let got = received.withLockedValue { $0 }
            if done(got) { return got }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return received.withLockedValue { $0 }
    }

    static func bind() async throws -> (DatagramSink, any Channel) {
        let sink = DatagramSink()
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { $0.pipeline.addHandler(sink) }
            .bind(host: "127.0.0.1", port: 0).get()
        return (sink, channel)
    }
}

@Suite struct StatsDTests {
    @Test func everyKindOfMetricIsOneLine() async throws {
        let (sink, receiver) = try await DatagramSink.bind()
        let statsd = try await StatsD.connect(host: "127.0.0.1", port: receiver.localAddress!.port!, prefix: "app.")
        Counter(label: "search_count", factory: statsd).increment(by: 3)
        Metrics.Timer(label: "search", factory: statsd).recordNanoseconds(2_500_000)
        Counter(label: "search_errors", dimensions: [("code", "INVALID_ARGUMENT")], factory: statsd).increment()
        Gauge(label: "places", factory: statsd).record(360)
        Recorder(label: "sizes", factory: statsd).record(1.25)
        let lines = await sink.wait(for: 5)
        #expect(Set(lines) == [
            "app.search_count:3|c", "app.search:2.5|ms", "app.search_errors.code.INVALID_ARGUMENT:1|c",
            "app.places:360|g", "app.sizes:1.25|h",
        ])
        try await statsd.close()
        try await receiver.close()
    }

    /// Measurements made together share datagrams, none over the size limit, none lost; one
    /// measurement alone goes out after the flush interval.
    @Test func measurementsShareDatagramsUpToTheSizeLimit() async throws {
        let (sink, receiver) = try await DatagramSink.bind()
        let statsd = try await StatsD.connect(host: "127.0.0.1", port: receiver.localAddress!.port!, maximumDatagramSize: 200)
        let timer = Metrics.Timer(label: "calls", dimensions: [("method", "search")], factory: statsd)
        for _ in 0..<100 { timer.recordNanoseconds(1_000_000) }
        let lines = await sink.wait(for: 100)
        #expect(lines.count == 100)
        #expect(lines.allSatisfy { $0 == "calls.method.search:1|ms" })
        let sizes = sink.datagrams.withLockedValue { $0 }
        // 24-byte lines with a newline between: 8 to a 200-byte datagram.
        #expect(sizes.count == 13, "\(sizes)")
        #expect(sizes.allSatisfy { $0 <= 200 })
        Counter(label: "late", factory: statsd).increment()
        #expect(await sink.wait(for: 101).last == "late:1|c")
        try await statsd.close()
        try await receiver.close()
    }

    /// Full datagrams wait for the flush only up to a count: a busy metric does not pile up
    /// lines for the whole flush interval.
    @Test func fullDatagramsGoOutWithoutWaitingForTheFlush() async throws {
        let (sink, receiver) = try await DatagramSink.bind()
        let statsd = try await StatsD.connect(
            host: "127.0.0.1", port: receiver.localAddress!.port!, maximumDatagramSize: 200, flushInterval: .seconds(30)
        )
        let timer = Metrics.Timer(label: "calls", dimensions: [("method", "search")], factory: statsd)
        // 8 lines fill a datagram; the line after the 16th full one sends the 16.
        for _ in 0..<(8 * statsd.maximumWaitingDatagrams + 1) { timer.recordNanoseconds(1_000_000) }
        let lines = await sink.wait(for: 8 * statsd.maximumWaitingDatagrams)
        #expect(lines.count == 8 * statsd.maximumWaitingDatagrams)
        #expect(sink.datagrams.withLockedValue { $0.count } == statsd.maximumWaitingDatagrams)
        try await statsd.close()
        #expect(await sink.wait(for: 8 * statsd.maximumWaitingDatagrams + 1).count == 8 * statsd.maximumWaitingDatagrams + 1)
        try await receiver.close()
    }

    /// A counter bumped from many tasks sends its sum, a line per flush interval in which it
    /// moved, and loses no increment.
    @Test func countersAreSummedBetweenFlushes() async throws {
        let (sink, receiver) = try await DatagramSink.bind()
        let statsd = try await StatsD.connect(host: "127.0.0.1", port: receiver.localAddress!.port!, flushInterval: .milliseconds(50))
        let counter = Counter(label: "calls", factory: statsd)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for i in 0..<1000 {
                        counter.increment()
                        if i % 100 == 0 { await Task.yield() }
                    }
                }
            }
        }
        // The last flush interval after the increments, then one more increment on its own.
        try await Task.sleep(for: .milliseconds(200))
        let summed = sink.received.withLockedValue { $0 }
        #expect(summed.allSatisfy { $0.hasPrefix("calls:") && $0.hasSuffix("|c") }, "\(summed)")
        #expect(summed.compactMap { Int($0.dropFirst(6).dropLast(2)) }.reduce(0, +) == 8000, "\(summed)")
        #expect(summed.count < 100, "a line per flush interval, not per increment: \(summed.count)")
        counter.increment(by: 5)
        #expect(await sink.wait(for: summed.count + 1).last == "calls:5|c")
        try await statsd.close()
        try await receiver.close()
    }

    /// Timers in milliseconds, up to three decimals, trailing zeros dropped.
    @Test func timerLinesInMilliseconds() async throws {
        let (sink, receiver) = try await DatagramSink.bind()
        let statsd = try await StatsD.connect(host: "127.0.0.1", port: receiver.localAddress!.port!)
        let timer = Metrics.Timer(label: "t", factory: statsd)
        for nanoseconds: Int64 in [2_500_000, 1_234_567, 999, 400, 1_000_000_000, 0, -1_500_000, 12_345_678_901] {
            timer.recordNanoseconds(nanoseconds)
        }
        let lines = await sink.wait(for: 8)
        #expect(lines == ["t:2.5|ms", "t:1.235|ms", "t:0.001|ms", "t:0|ms", "t:1000|ms", "t:0|ms", "t:-1.5|ms", "t:12345.679|ms"])
        try await statsd.close()
        try await receiver.close()
    }

    @Test func namesAreMadeSafeForStatsD() {
        #expect(StatsD.sanitize("/Search/search") == "_Search_search")
        #expect(StatsD.sanitize("a:b|c@d e") == "a_b_c_d_e")
        #expect(statsDNumber(2) == "2")
        #expect(statsDNumber(0.0015) == "0.002")
    }
}

import GRPCRuntime
import ProtoWire
import SearchService
import SearchTestSupport

struct FixedPlaces: SearchBackend {
    func search(latitude: Double, longitude: Double, query: String, offset: Int, limit: Int) async throws -> [String] { ["Mitte"] }
    func placeCount() async throws -> Int { 360 }
}

@Suite struct SearchMetricsTests {
    @Test func theSearchServiceReportsTheSeedsMetricsOverUDP() async throws {
        let (sink, receiver) = try await DatagramSink.bind()
        let statsd = try await StatsD.connect(host: "127.0.0.1", port: receiver.localAddress!.port!)
        let provider = SearchProvider(backend: FixedPlaces(), metrics: statsd)
        try await withServer(services: [provider]) { _, port in
            let channel = GRPCChannel(host: "127.0.0.1", port: port)
            defer { channel.close() }
            let client = Search.Client(channel: channel)
            _ = try await client.search(SearchRequest(lat: 52.5, lng: 13.4))
            _ = try await client.search(SearchRequest(lat: 52.5, lng: 13.4))
            _ = try await client.monitor(Google_Protobuf_Empty())
            _ = try? await client.search(SearchRequest(lat: 99, lng: 0))
        }
        // Counters are summed between flushes: the lines' values add up to the calls.
        func total(_ name: String, in lines: [String]) -> Int {
            lines.filter { $0.hasPrefix(name + ":") && $0.hasSuffix("|c") }.compactMap { Int($0.dropFirst(name.count + 1).dropLast(2)) }.reduce(0, +)
        }
        let lines = await sink.wait { total("search_count", in: $0) >= 3 && total("monitor_count", in: $0) >= 1 && $0.count >= 7 }
        #expect(total("search_count", in: lines) == 3)
        #expect(total("monitor_count", in: lines) == 1)
        #expect(lines.filter { $0.hasPrefix("search:") && $0.hasSuffix("|ms") }.count == 3)
        #expect(lines.filter { $0.hasPrefix("monitor:") && $0.hasSuffix("|ms") }.count == 1)
        #expect(lines.contains("search_errors.code.INVALID_ARGUMENT:1|c"))
        let timings = lines.filter { $0.hasPrefix("search:") }.compactMap { Double($0.dropFirst(7).dropLast(3)) }
        #expect(timings.count == 3 && timings.allSatisfy { $0 >= 0 && $0 < 5000 })
        try await statsd.close()
        try await receiver.close()
    }
}
