import CoreMetrics
import NIOConcurrencyHelpers

/// One swift-metrics counter per gRPC status code under one label, each made the first time
/// its code occurs and reused after, so that counting a failure looks nothing up in the
/// metrics backend.
public struct CountersByStatusCode: Sendable {
    private let label: String
    private let dimensions: [(String, String)]
    private let factory: any MetricsFactory
    private let counters = NIOLockedValueBox<[Int: Counter]>([:])

    /// Counters named `label`, with `dimensions` and a `code` dimension (`INVALID_ARGUMENT`, …).
    public init(label: String, dimensions: [(String, String)] = [], factory: any MetricsFactory = MetricsSystem.factory) {
        self.label = label
        self.dimensions = dimensions
        self.factory = factory
    }

    public func increment(_ code: RPCError.Code) {
        counters.withLockedValue { counters in
            if let counter = counters[code.rawValue] { return counter }
            let counter = Counter(label: label, dimensions: dimensions + [("code", "\(code)")], factory: factory)
            counters[code.rawValue] = counter
            return counter
        }.increment()
    }
}
