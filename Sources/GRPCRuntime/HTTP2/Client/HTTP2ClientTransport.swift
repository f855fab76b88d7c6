import NIOCore

/// Calls over one HTTP/2 connection to one address (`GRPCChannel(host:port:)`).
final class HTTP2ClientTransport: ClientTransport {
    let connection: HTTP2Connection
    let scheme: String
    let authority: String

    init(connection: HTTP2Connection, authority: String) {
        self.connection = connection
        self.scheme = connection.configuration.transportSecurity == nil ? "http" : "https"
        self.authority = authority
    }

    func openStream(_ head: RequestHead, options: StreamOptions) async throws -> any ClientTransportStream {
        let (stream, goAway) = try await connection.openStream(waitForReady: options.waitForReady, deadline: options.deadline)
        return HTTP2ClientStream(
            stream: stream, head: head, scheme: scheme, authority: authority, goAway: goAway, endpoint: nil,
            maximumMessageSize: options.maximumMessageSize, onClose: {}
        )
    }

    func close() {
        connection.close()
    }
}
