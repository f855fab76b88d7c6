import Metrics
import NIOConcurrencyHelpers

/// Counts and times every call in swift-metrics, by method: `<prefix>_requests_total`,
/// `<prefix>_errors_total` (with the status `code` as a dimension) and `<prefix>_latency`.
public struct ServerMetrics: ServerInterceptor {
    private let prefix: String
    private let factory: any MetricsFactory
    private let instruments: NIOLockedValueBox<[String: Instruments]>

    /// - Parameters:
    ///   - prefix: the start of every metric's label.
    ///   - factory: the metrics backend; the process-wide one by default.
    public init(prefix: String = "grpc_server", factory: any MetricsFactory = MetricsSystem.factory) {
        self.prefix = prefix
        self.factory = factory
        self.instruments = NIOLockedValueBox([:])
    }

    public func intercept<Request, Response>(
        _ call: ServerCall<Request, Response>, next: @Sendable (ServerCall<Request, Response>) async throws -> Void
    ) async throws {
        let context = call.context
        do {
            try await next(call)
            instruments(for: context).record(code: .ok, duration: ContinuousClock.now - context.started)
        } catch {
            instruments(for: context).record(code: RPCError(ending: error).code, duration: ContinuousClock.now - context.started)
            throw error
        }
    }

    /// One set per registered method, made on its first call; one shared set for unknown paths,
    /// so that a client cannot make the server create metrics without end.
    private func instruments(for context: ServerContext) -> Instruments {
        let key = context.isRegisteredMethod ? context.path : "unknown"
        return instruments.withLockedValue { instruments in
            if let found = instruments[key] { return found }
            let made = Instruments(path: key, prefix: prefix, factory: factory)
            instruments[key] = made
            return made
        }
    }
}

/// swift-metrics instruments for one method: requests, errors by status code, latency.
struct Instruments: Sendable {
    let requests: Counter
    let latency: Metrics.Timer
    let errors: CountersByStatusCode

    init(path: String, prefix: String, factory: any MetricsFactory) {
        errors = CountersByStatusCode(label: "\(prefix)_errors_total", dimensions: [("method", path)], factory: factory)
        requests = Counter(label: "\(prefix)_requests_total", dimensions: [("method", path)], factory: factory)
        latency = Metrics.Timer(label: "\(prefix)_latency", dimensions: [("method", path)], factory: factory)
    }

    func record(code: RPCError.Code, duration: Duration) {
        requests.increment()
        latency.recordNanoseconds(duration.nanoseconds)
        if code != .ok { errors.increment(code) }
    }
}
