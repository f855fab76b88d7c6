import GRPCRuntime
import Logging

/// Keeps the health service's status in step with the backend: SERVING while `ping` answers,
/// NOT_SERVING from the first check that fails or takes longer than `timeout`, SERVING again
/// from the first that succeeds. Checks every `interval`. Sets the overall status ("") and each
/// of `services`.
public struct BackendHealth: Sendable {
    public let backend: any SearchBackend
    public let health: HealthService
    public var services: [String]
    public var interval: Duration
    public var timeout: Duration
    let logger: Logger

    public init(
        backend: any SearchBackend, health: HealthService, services: [String] = ["", "Search"],
        interval: Duration = .seconds(1), timeout: Duration = .seconds(1), logger: Logger
    ) {
        self.backend = backend
        self.health = health
        self.services = services
        self.interval = interval
        self.timeout = timeout
        self.logger = logger
    }

    /// One check: whether the backend answered in time.
    public func check() async -> Bool {
        let backend = backend
        do {
            try await withTimeout(timeout) { try await backend.ping() }
            return true
        } catch {
            return false
        }
    }

    /// Checks until cancelled, logging each change.
    public func run() async {
        var last: Bool?
        while !Task.isCancelled {
            let up = await check()
            if up != last {
                for service in services { health.setStatus(up ? .serving : .notServing, forService: service) }
                if up {
                    logger.info("backend answers", metadata: ["health": "SERVING"])
                } else {
                    logger.warning("backend does not answer", metadata: ["health": "NOT_SERVING"])
                }
                last = up
            }
            try? await Task.sleep(for: interval)
        }
    }
}
