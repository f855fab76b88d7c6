import GeneratedFixtures
@testable import GRPCRuntime
import Logging
import MetricsTestKit
import Metrics
import NIOConcurrencyHelpers
import ProtoWire
import Testing
import GRPCTestSupport
import TestSupport

/// Log records kept in memory.
final class CapturedLogs: @unchecked Sendable {
    private let lock = NIOLock()
    private var records: [(message: String, metadata: Logger.Metadata)] = []

    func append(_ message: String, _ metadata: Logger.Metadata) { lock.withLock { records.append((message, metadata)) } }
    var all: [(message: String, metadata: Logger.Metadata)] { lock.withLock { records } }

    struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            sink.append("\(event.message)", metadata.merging(event.metadata ?? [:]) { $1 })
        }
    }
}

/// The process-wide metrics backend for these tests (swift-metrics bootstraps once).
let testMetrics: TestMetrics = {
    let metrics = TestMetrics()
    MetricsSystem.bootstrap(metrics)
    return metrics
}()

@Suite struct ObservabilityTests {
    @Test func everyCallIsLoggedAndCounted() async throws {
        let metrics = testMetrics
        let logs = CapturedLogs()
        let logger = Logger(label: "test") { _ in CapturedLogs.Handler(sink: logs) }
        let interceptors: [any ServerInterceptor] = [ServerCallLog(), ServerMetrics(prefix: "observed")]
        try await withServerAndChannel(services: [ProbeService()], interceptors: interceptors, logger: logger) { _, channel in
            let client = Search.Client(channel: channel)
            _ = try await client.search(SearchRequest(query: "ok"))
            _ = try? await client.search(SearchRequest(query: "invalid"))
        }
        let path = Search.Method.search.path
        let requests = try metrics.expectCounter("observed_requests_total", [("method", path)])
        #expect(requests.totalValue == 2)
        let errors = try metrics.expectCounter("observed_errors_total", [("method", path), ("code", "INVALID_ARGUMENT")])
        #expect(errors.totalValue == 1)
        let latency = try metrics.expectTimer("observed_latency", [("method", path)])
        #expect(latency.values.count == 2)

        let finished = logs.all.filter { $0.message == "rpc finished" }
        #expect(finished.count == 2)
        #expect(finished.allSatisfy { $0.metadata["grpc.method"] == "\(path)" && $0.metadata["grpc.peer"] != nil && $0.metadata["grpc.duration_ms"] != nil })
        #expect(Set(finished.compactMap { $0.metadata["grpc.status"].map { "\($0)" } }) == ["OK", "INVALID_ARGUMENT"])
        // Milliseconds to the microsecond: digits, a point, one to three decimals.
        for line in finished {
            let duration = line.metadata["grpc.duration_ms"].map { "\($0)" } ?? ""
            let parts = duration.split(separator: ".", omittingEmptySubsequences: false)
            #expect(parts.count == 2 && !parts[0].isEmpty && (1...3).contains(parts[1].count) && parts.allSatisfy { $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }, "\(duration)")
            #expect((Double(duration) ?? -1) >= 0 && (Double(duration) ?? .infinity) < 10_000, "\(duration)")
        }
    }
}
