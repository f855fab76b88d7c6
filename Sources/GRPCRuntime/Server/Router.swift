import Metrics
import NIOConcurrencyHelpers

/// The registered methods by path, with each method's counters and timer made once.
struct Router: Sendable {
    private var methods: [String: ServerMethod] = [:]
    private var instrumentsByPath: [String: Instruments] = [:]
    private let unknownMethod: Instruments

    init(services: [any GRPCService], metricsPrefix: String) {
        unknownMethod = Instruments(path: "unknown", prefix: metricsPrefix)
        for service in services {
            for method in service.methods {
                methods[method.path] = method
                instrumentsByPath[method.path] = Instruments(path: method.path, prefix: metricsPrefix)
            }
        }
    }

    func method(for path: String) -> ServerMethod? { methods[path] }

    func instruments(for path: String) -> Instruments { instrumentsByPath[path] ?? unknownMethod }
}

/// swift-metrics instruments for one method: requests, errors by status code, latency.
struct Instruments: Sendable {
    let requests: Counter
    let latency: Metrics.Timer
    let errors: CountersByStatusCode

    init(path: String, prefix: String) {
        errors = CountersByStatusCode(label: "\(prefix)_errors_total", dimensions: [("method", path)])
        requests = Counter(label: "\(prefix)_requests_total", dimensions: [("method", path)])
        latency = Metrics.Timer(label: "\(prefix)_latency", dimensions: [("method", path)])
    }

    func record(code: RPCError.Code, duration: Duration) {
        requests.increment()
        latency.recordNanoseconds(Int64(duration.components.seconds) * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        if code != .ok { errors.increment(code) }
    }
}
