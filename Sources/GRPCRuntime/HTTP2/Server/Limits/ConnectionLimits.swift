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

/// A count of bytes that several streams draw on and give back, bounded: the buffered request
/// bytes of one connection, or of the whole server.
final class ByteBudget: Sendable {
    let limit: Int
    private let used = NIOLockedValueBox(0)

    init(limit: Int) { self.limit = limit }

    /// Bytes drawn and not yet given back.
    var inUse: Int { used.withLockedValue { $0 } }

    /// Draws `count` bytes if that stays within the limit.
    func reserve(_ count: Int) -> Bool {
        used.withLockedValue { used in
            guard used + count <= limit else { return false }
            used += count
            return true
        }
    }

    func release(_ count: Int) {
        guard count > 0 else { return }
        used.withLockedValue { $0 -= count }
    }
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
