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
        for _ in 0..<500 {
            let got = received.withLockedValue { $0 }
            if got.count >= count { return got }
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
        let counter = Counter(label: "calls", dimensions: [("method", "search")], factory: statsd)
        for _ in 0..<100 { counter.increment() }
        let lines = await sink.wait(for: 100)
        #expect(lines.count == 100)
        #expect(lines.allSatisfy { $0 == "calls.method.search:1|c" })
        let sizes = sink.datagrams.withLockedValue { $0 }
        // 23-byte lines with a newline between: 8 to a 200-byte datagram.
        #expect(sizes.count == 13, "\(sizes)")
        #expect(sizes.allSatisfy { $0 <= 200 })
        Counter(label: "late", factory: statsd).increment()
        #expect(await sink.wait(for: 101).last == "late:1|c")
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
        let lines = await sink.wait(for: 9)
        #expect(lines.filter { $0 == "search_count:1|c" }.count == 3)
        #expect(lines.filter { $0 == "monitor_count:1|c" }.count == 1)
        #expect(lines.filter { $0.hasPrefix("search:") && $0.hasSuffix("|ms") }.count == 3)
        #expect(lines.filter { $0.hasPrefix("monitor:") && $0.hasSuffix("|ms") }.count == 1)
        #expect(lines.contains("search_errors.code.INVALID_ARGUMENT:1|c"))
        let timings = lines.filter { $0.hasPrefix("search:") }.compactMap { Double($0.dropFirst(7).dropLast(3)) }
        #expect(timings.count == 3 && timings.allSatisfy { $0 >= 0 && $0 < 5000 })
        try await statsd.close()
        try await receiver.close()
    }
}
