import CoreMetrics
import GRPCRuntime
import Metrics
import ProtoWire

/// The seed's `Search` service: validates and pages requests, asks a backend.
///
/// Paging: `page_number` counts from 0 (the proto3 default asks for the first page);
/// `result_per_page` 0 means `defaultPageSize`, and values over `maximumPageSize` are capped.
/// Negative numbers and coordinates outside ±90° latitude or ±180° longitude are
/// INVALID_ARGUMENT; a failing backend is UNAVAILABLE.
///
/// At `debug` level the call's log line also carries the request in the protobuf JSON mapping
/// (field `request`).
///
/// Metrics, named as the seed named them: timers `search` and `monitor`, counters
/// `search_count` and `monitor_count`, and `search_errors` / `monitor_errors` with the status
/// code as a `code` dimension.
public struct SearchProvider: Search.Servicer {
    public static let defaultPageSize = 10
    public static let maximumPageSize = 100

    let backend: any SearchBackend
    let searchTimer: Metrics.Timer
    let monitorTimer: Metrics.Timer
    let searchCount: Counter
    let monitorCount: Counter
    let searchErrors: CountersByStatusCode
    let monitorErrors: CountersByStatusCode

    /// - Parameter metrics: where measurements go; the process-wide swift-metrics backend by default.
    public init(backend: any SearchBackend, metrics: any MetricsFactory = MetricsSystem.factory) {
        self.backend = backend
        searchTimer = Metrics.Timer(label: "search", factory: metrics)
        monitorTimer = Metrics.Timer(label: "monitor", factory: metrics)
        searchCount = Counter(label: "search_count", factory: metrics)
        monitorCount = Counter(label: "monitor_count", factory: metrics)
        searchErrors = CountersByStatusCode(label: "search_errors", factory: metrics)
        monitorErrors = CountersByStatusCode(label: "monitor_errors", factory: metrics)
    }

    /// Times `body`, counts the call and, when it fails, the failure by status code.
    private func measured<T>(_ timer: Metrics.Timer, _ count: Counter, errors: CountersByStatusCode, _ body: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        count.increment()
        defer {
            let (seconds, attoseconds) = (ContinuousClock.now - start).components
            timer.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        }
        do {
            return try await body()
        } catch {
            errors.increment((error as? RPCError)?.code ?? .unknown)
            throw error
        }
    }

    public func search(request: SearchRequest, context: ServerContext) async throws -> SearchResponses {
        if context.logger.logLevel <= .debug, let json = try? request.jsonString() {
            context.addLogMetadata("request", json)
        }
        let response = try await measured(searchTimer, searchCount, errors: searchErrors) { try await search(request) }
        context.addLogMetadata("results", String(response.responses.count))
        return response
    }

    public func monitor(request: Google_Protobuf_Empty, context: ServerContext) async throws -> MonitorResponse {
        try await measured(monitorTimer, monitorCount, errors: monitorErrors) { try await monitor() }
    }

    private func search(_ request: SearchRequest) async throws -> SearchResponses {
        let latitude = Double(request.lat)
        let longitude = Double(request.lng)
        guard latitude.isFinite, (-90...90).contains(latitude) else {
            throw RPCError(.invalidArgument, "lat must be between -90 and 90, not \(request.lat)")
        }
        guard longitude.isFinite, (-180...180).contains(longitude) else {
            throw RPCError(.invalidArgument, "lng must be between -180 and 180, not \(request.lng)")
        }
        guard request.pageNumber >= 0 else {
            throw RPCError(.invalidArgument, "page_number must not be negative, not \(request.pageNumber)")
        }
        guard request.resultPerPage >= 0 else {
            throw RPCError(.invalidArgument, "result_per_page must not be negative, not \(request.resultPerPage)")
        }
        let pageSize = request.resultPerPage == 0 ? Self.defaultPageSize : min(Int(request.resultPerPage), Self.maximumPageSize)
        let (offset, overflow) = Int(request.pageNumber).multipliedReportingOverflow(by: pageSize)
        guard !overflow else { return SearchResponses() }
        let names: [String]
        do {
            names = try await backend.search(latitude: latitude, longitude: longitude, query: request.query, offset: offset, limit: pageSize)
        } catch let error as RPCError {
            throw error
        } catch {
            throw RPCError(.unavailable, "the place store is unavailable")
        }
        return SearchResponses(responses: names.map { SearchResponse(response: $0) })
    }

    private func monitor() async throws -> MonitorResponse {
        let count: Int
        do {
            count = try await backend.placeCount()
        } catch {
            throw RPCError(.unavailable, "the place store is unavailable")
        }
        return MonitorResponse(nThings: Int32(clamping: count))
    }
}
