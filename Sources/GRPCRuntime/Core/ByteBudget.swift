import NIOConcurrencyHelpers

/// A count of bytes that several streams or calls draw on and give back, bounded: on a server the
/// buffered request bytes of one connection or of the whole server, on a client the request bytes
/// a channel's calls keep for retries (`GRPCChannel.Configuration.retryBufferLimit`).
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
