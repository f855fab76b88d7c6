#if Tracing
import GRPCRuntime
import Tracing

/// The OpenTelemetry semantic conventions for RPC spans, as far as gRPC fills them.
enum RPCSpanAttributes {
    /// `package.Service/Method`: an RPC span's name.
    static func spanName(_ method: RPCMethod) -> String {
        "\(method.service)/\(method.name)"
    }

    static func setCall(_ method: RPCMethod, on span: any Span) {
        span.attributes["rpc.system"] = "grpc"
        span.attributes["rpc.service"] = String(method.service)
        span.attributes["rpc.method"] = String(method.name)
    }

    /// The status code the call ended with; a failed call also marks the span an error.
    static func setOutcome(_ error: (any Error)?, on span: any Span) {
        guard let error else {
            span.attributes["rpc.grpc.status_code"] = 0
            return
        }
        let status = RPCError(ending: error)
        span.attributes["rpc.grpc.status_code"] = status.code.rawValue
        span.setStatus(SpanStatus(code: .error, message: status.description))
    }

    /// `network.peer.address` and `.port` from a peer such as `ipv4:127.0.0.1:5000` or `ipv6:[::1]:5000`.
    static func setPeer(_ peer: String, on span: any Span) {
        var rest = Substring(peer)
        if let colon = rest.firstIndex(of: ":"), ["ipv4", "ipv6"].contains(rest[..<colon]) {
            rest = rest[rest.index(after: colon)...]
        } else {
            return
        }
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]) else { return }
        var host = rest[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        span.attributes["network.peer.address"] = String(host)
        span.attributes["network.peer.port"] = port
    }
}
#endif
