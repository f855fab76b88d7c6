import NIOCore
import NIOPosix
import ProtoWire

/// A client's way to a server: one multiplexed HTTP/2 connection shared by all calls.
///
/// Generated clients take one: `Search.Client(channel: GRPCChannel(host: "127.0.0.1", port: 50051))`.
/// Call `close()` when done.
public final class GRPCChannel: Sendable {
    public struct Configuration: Sendable {
        public var connectTimeout: Duration = .seconds(20)
        public var backoff = Backoff()
        /// Larger responses end the call with `resourceExhausted`.
        public var maximumReceiveMessageSize = 4 * 1024 * 1024
        /// TLS, or anything else to set up on the connection before HTTP/2.
        public var transportSecurity: (any ClientTransportSecurity)?
        /// `:authority`; defaults to `host:port`.
        public var authority: String?

        public init() {}
    }

    public let host: String
    public let port: Int
    public let configuration: Configuration
    let connection: ClientConnection

    public init(
        host: String, port: Int, configuration: Configuration = Configuration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.port = port
        self.configuration = configuration
        self.connection = ClientConnection(host: host, port: port, configuration: configuration, group: eventLoopGroup)
    }

    /// Closes the connection; calls in flight fail and new ones get `unavailable`.
    public func close() { connection.close() }

    var scheme: String { configuration.transportSecurity == nil ? "http" : "https" }
    var authority: String { configuration.authority ?? "\(host):\(port)" }

    // MARK: The four kinds of call

    /// A unary call: one request, one response, with the response metadata.
    public func unary<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request, options: CallOptions = CallOptions()
    ) async throws -> UnaryResponse<Response> {
        try await ClientCall(channel: self, path: method.path, options: options).run(
            requests: { writer in try await writer.write(request) },
            responses: { (stream: ResponseStream<Response>) in try await stream.single() }
        )
    }

    /// A server-streaming call: `handle` reads the responses; the call ends when it returns.
    public func serverStreaming<Request, Response, Result: Sendable>(
        _ method: MethodDescriptor<Request, Response>, _ request: Request, options: CallOptions = CallOptions(),
        _ handle: @escaping @Sendable (ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        try await ClientCall(channel: self, path: method.path, options: options).run(
            requests: { writer in try await writer.write(request) },
            responses: handle
        )
    }

    /// A client-streaming call: `requests` writes them; returning from it half-closes the call.
    public func clientStreaming<Request, Response>(
        _ method: MethodDescriptor<Request, Response>, options: CallOptions = CallOptions(),
        requests: @escaping @Sendable (RequestWriter<Request>) async throws -> Void
    ) async throws -> UnaryResponse<Response> {
        try await ClientCall(channel: self, path: method.path, options: options).run(
            requests: requests,
            responses: { (stream: ResponseStream<Response>) in try await stream.single() }
        )
    }

    /// A bidirectional call: `requests` and `responses` run concurrently; the call ends when
    /// `responses` returns (cancelling it on the server if it is still going).
    public func bidirectionalStreaming<Request, Response, Result: Sendable>(
        _ method: MethodDescriptor<Request, Response>, options: CallOptions = CallOptions(),
        requests: @escaping @Sendable (RequestWriter<Request>) async throws -> Void,
        responses: @escaping @Sendable (ResponseStream<Response>) async throws -> Result
    ) async throws -> Result {
        try await ClientCall(channel: self, path: method.path, options: options).run(requests: requests, responses: responses)
    }
}
