import Synchronization

/// A count of bytes that several streams or calls draw on and give back, bounded: on a server the
/// buffered request bytes of one connection or of the whole server, on a client the request bytes
/// a channel's calls keep for retries (`GRPCChannel.Configuration.retryBufferLimit`).
///
/// An atomic count: every request's bytes pass through a server's budgets on their way in, and
/// a lock per draw and per return cost more than the count itself.
final class ByteBudget: Sendable {
    let limit: Int
    private let used = Atomic<Int>(0)

    init(limit: Int) { self.limit = limit }

    /// Bytes drawn and not yet given back.
    var inUse: Int { used.load(ordering: .relaxed) }

    /// Draws `count` bytes if that stays within the limit.
    func reserve(_ count: Int) -> Bool {
        var current = used.load(ordering: .relaxed)
        while true {
            guard current + count <= limit else { return false }
            let (exchanged, found) = used.compareExchange(expected: current, desired: current + count, ordering: .relaxed)
            if exchanged { return true }
            current = found
        }
    }

    func release(_ count: Int) {
        guard count > 0 else { return }
        used.subtract(count, ordering: .relaxed)
    }
}
