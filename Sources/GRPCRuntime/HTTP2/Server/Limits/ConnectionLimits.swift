import NIOConcurrencyHelpers

/// The server transport's defences against clients that connect and then stall or hoard: the
/// settings of `GRPCServer.Configuration` of the same names, gathered for the handlers that
/// enforce them.
struct ConnectionLimits: Sendable {
    var prefaceTimeout: Duration?
    var idleTimeout: Duration?
    var maximumAge: Duration?
    var maximumAgeGrace: Duration
    var requestIdleTimeout: Duration?
    var maximumConnections: Int?
    var connectionBufferBudget: Int
    var serverBufferBudget: Int
}

/// The connections a server has open, against `maximumConnections`.
final class ConnectionCounter: Sendable {
    let limit: Int?
    private let open = NIOLockedValueBox(0)

    init(limit: Int?) { self.limit = limit }

    /// Counts a new connection; false when it is one too many (it is counted all the same, and
    /// must be given back with `closed()` like the others).
    func opened() -> Bool {
        let count = open.withLockedValue { open in
            open += 1
            return open
        }
        guard let limit else { return true }
        return count <= limit
    }

    func closed() { open.withLockedValue { $0 -= 1 } }
}
