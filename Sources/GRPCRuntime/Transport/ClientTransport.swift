import ProtoWire

/// A way for a client to reach a server: HTTP/2 connections (what `GRPCChannel(host:port:)` and
/// `GRPCChannel(target:)` use), or `InProcessTransport`.
///
/// `GRPCChannel` runs every call above it: the four kinds, deadlines, cancellation, status,
/// interceptors, retrying calls that never reached a server. A transport opens one stream per
/// attempt and carries its parts.
public protocol ClientTransport: Sendable {
    /// A stream for one attempt of a call, its head sent (or on its way). Throws `RPCError`
    /// (UNAVAILABLE when no server can be reached), or `UnprocessedCallError` when the server
    /// cannot have seen the call.
    func openStream(_ head: RequestHead, options: StreamOptions) async throws -> any ClientTransportStream

    /// Closes the transport: calls in flight fail, new ones get UNAVAILABLE.
    func close()
}

/// How a client transport should open a stream.
public struct StreamOptions: Sendable {
    /// Wait for a connection instead of failing while none can be made.
    public var waitForReady: Bool
    /// Endpoints to avoid, where the transport has several (earlier attempts of the same call).
    public var avoiding: Set<Endpoint>
    /// The largest response message to accept.
    public var maximumMessageSize: Int
    /// The call's deadline: a transport that waits for an endpoint gives up with
    /// DEADLINE_EXCEEDED when it passes.
    public var deadline: ContinuousClock.Instant?

    public init(
        waitForReady: Bool = false, avoiding: Set<Endpoint> = [], maximumMessageSize: Int = 4 * 1024 * 1024,
        deadline: ContinuousClock.Instant? = nil
    ) {
        self.waitForReady = waitForReady
        self.avoiding = avoiding
        self.maximumMessageSize = maximumMessageSize
        self.deadline = deadline
    }
}

/// One attempt's stream as the client writes and reads it.
///
/// Sending and receiving may happen in two tasks at once; each side is used by one task at a
/// time. `cancel()` may come from anywhere.
public protocol ClientTransportStream: AnyObject, Sendable {
    /// The endpoint the stream went to, where the transport has several.
    var endpoint: Endpoint? { get }

    /// One request message; with `endOfRequests`, also the half-close.
    func sendMessage<Message: ProtoMessage>(_ message: Message, compress: Bool, endOfRequests: Bool) async throws

    /// The half-close: no more request messages.
    func sendEnd() async throws

    /// The next response part; `.status` is the last. Throws `RPCError` when the stream fails
    /// (reset, connection lost), or `UnprocessedCallError` when the server cannot have seen it.
    func receive() async throws -> ResponsePart

    /// Abandons the stream (RST_STREAM CANCEL on HTTP/2): the server sees the call cancelled,
    /// and pending and later `receive()` calls throw.
    func cancel()

    /// The attempt is over: frees what the stream holds. Cancels it if it has not ended.
    func close()

    /// Runs `action` at `deadline` unless the returned timer is cancelled first.
    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> CallTimer
}

/// What a client reads off a stream.
public enum ResponsePart: Sendable {
    /// The response headers' custom metadata.
    case headers(Metadata)
    /// One response message, decompressed.
    case message(ReceivedMessage)
    /// How the call ended, with the trailers: always the last part.
    case status(Status, trailers: Metadata)
}

/// A stream failed where the server cannot have started the call (refused, or never sent):
/// the call may go to another attempt without any risk of running twice.
public struct UnprocessedCallError: Error, Sendable, CustomStringConvertible {
    /// What the call fails with if it is not tried again.
    public var error: RPCError

    public init(_ error: RPCError) { self.error = error }

    public var description: String { "not processed: \(error)" }
}
