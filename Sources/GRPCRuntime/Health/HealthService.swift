import NIOConcurrencyHelpers

/// The standard `grpc.health.v1.Health` service, with a serving status per service name.
///
/// The empty name stands for the server as a whole. `Check` answers the current status
/// (NOT_FOUND for a name never set); `Watch` sends it, then every change, until the
/// client goes away.
public final class HealthService: Grpc_Health_V1_Health.Servicer {
    public typealias Status = Grpc_Health_V1_HealthCheckResponse.ServingStatus

    private struct State {
        var statuses: [String: Status] = [:]
        var watchers: [String: [Int: AsyncStream<Status>.Continuation]] = [:]
        var nextWatcher = 0
    }

    private let state = NIOLockedValueBox(State())

    public init() {}

    /// Sets the status of `service` ("" for the whole server) and tells its watchers.
    public func setStatus(_ status: Status, forService service: String = "") {
        let watchers = state.withLockedValue { state -> [AsyncStream<Status>.Continuation] in
            let changed = state.statuses[service] != status
            state.statuses[service] = status
            return changed ? Array((state.watchers[service] ?? [:]).values) : []
        }
        for watcher in watchers { watcher.yield(status) }
    }

    /// The current status of `service`, nil if never set.
    public func status(ofService service: String = "") -> Status? {
        state.withLockedValue { $0.statuses[service] }
    }

    public func check(request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard let status = status(ofService: request.service) else {
            throw RPCError(.notFound, "unknown service \(request.service)")
        }
        return Grpc_Health_V1_HealthCheckResponse(status: status)
    }

    public func watch(
        request: Grpc_Health_V1_HealthCheckRequest, responses: ResponseWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        let service = request.service
        let (updates, continuation) = AsyncStream<Status>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let (id, current) = state.withLockedValue { state in
            let id = state.nextWatcher
            state.nextWatcher += 1
            state.watchers[service, default: [:]][id] = continuation
            return (id, state.statuses[service])
        }
        defer {
            _ = state.withLockedValue { $0.watchers[service]?.removeValue(forKey: id) }
        }
        try await responses.write(Grpc_Health_V1_HealthCheckResponse(status: current ?? .serviceUnknown))
        await withTaskCancellationHandler {
            for await status in updates {
                do {
                    try await responses.write(Grpc_Health_V1_HealthCheckResponse(status: status))
                } catch {
                    return
                }
            }
        } onCancel: {
            continuation.finish()
        }
    }
}
