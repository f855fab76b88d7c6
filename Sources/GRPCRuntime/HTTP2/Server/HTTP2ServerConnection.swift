import NIOCore
import NIOHTTP2

/// One accepted HTTP/2 connection. Its streams are served by the handlers its pipeline sets up
/// for each (`HTTP2ServerStream`), on its event loop; this only waits for it to close, and on
/// shutdown has it send GOAWAY and close once its streams have ended.
final class HTTP2ServerConnection: Sendable {
    struct Accepted: Sendable {
        let channel: any Channel
        let lifetime: NIOLoopBound<ConnectionLifetimeHandler>
    }

    let accepted: Accepted

    init(accepted: Accepted) { self.accepted = accepted }

    /// Returns once the connection has closed; cancelling the calling task closes it.
    func run() async {
        let channel = accepted.channel
        await withTaskCancellationHandler {
            try? await channel.closeFuture.get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }

    /// Sends GOAWAY naming the last stream this connection will serve; closes when none are left.
    func beginDraining() {
        let lifetime = accepted.lifetime
        accepted.channel.eventLoop.execute { lifetime.value.drain() }
    }

    static func describe(_ address: SocketAddress?) -> String {
        guard let address else { return "unknown" }
        switch address {
        case .v4(let a): return "ipv4:\(a.host):\(address.port ?? 0)"
        case .v6(let a): return "ipv6:[\(a.host)]:\(address.port ?? 0)"
        case .unixDomainSocket: return "unix:\(address.pathname ?? "")"
        }
    }
}
