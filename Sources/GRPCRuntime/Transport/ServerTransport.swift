import NIOCore
import ProtoWire

/// A way for a server to receive calls: HTTP/2 over TCP (what `GRPCServer(configuration:)`
/// listens with), or `InProcessTransport` for calls within one process.
///
/// A transport turns each stream it accepts into request parts that it pushes to the gRPC layer
/// (`ServerCallAcceptor`, then the `ServerCallInbound` it returns), and carries the response parts
/// the gRPC layer sends back through its `ServerTransportStream`. Everything gRPC means by a call
/// (routing, deadlines, status, message limits, compression negotiation, interceptors) happens
/// above; a transport only frames, carries and reports.
public protocol ServerTransport: Sendable {
    /// Accepts streams and hands each to `acceptor`, until `beginGracefulShutdown()` and the last
    /// stream has ended, or until the calling task is cancelled (which closes everything at once).
    func listen(_ acceptor: any ServerCallAcceptor) async throws

    /// Stops accepting streams; those in flight finish.
    func beginGracefulShutdown()
}

/// The gRPC layer as a server transport sees it: takes each new stream's request head.
public protocol ServerCallAcceptor: Sendable {
    /// A stream opened with `head`. Called once per stream, on the transport's thread, before any
    /// message: the returned inbound receives the rest of the request. Never blocks.
    func accept(_ head: RequestHead, on stream: any ServerTransportStream) -> any ServerCallInbound
}

/// One call's request side, as the transport feeds it. The transport calls these in order, from
/// one thread at a time: `receive` for each message, then either `receiveEnd` (the client
/// half-closed) or `abort` (the request cannot go on); `abort` may also come after `receiveEnd`
/// (the client reset the stream, or the connection closed). Nothing is called after `abort`.
public protocol ServerCallInbound: AnyObject, Sendable {
    /// The largest request message the call takes: a transport that sees lengths before the bytes
    /// (HTTP/2) refuses a larger message from its length prefix and calls `abort` with
    /// RESOURCE_EXHAUSTED instead of buffering it.
    var maximumMessageSize: Int { get }
    /// One request message, decompressed. Returns false once the call holds as many unread
    /// messages as it buffers: a transport that can hold the client back (HTTP/2 flow control)
    /// then reads no more of the stream until the call asks for more with
    /// `ServerTransportStream.resumeReading()`.
    @discardableResult
    func receive(_ message: ReceivedMessage) -> Bool
    /// The client sent its last message.
    func receiveEnd()
    /// The request ended without a half-close: `error` is what the request did wrong (a message
    /// over the limit, a broken frame), nil when the client or the connection went away (the call
    /// is cancelled). Ends the call.
    func abort(_ error: RPCError?)
}

/// One call's stream as the gRPC layer writes to it: response headers, messages, then the status.
///
/// Safe to call from any thread. Headers go out with the first message or the status;
/// everything sent after the status is dropped.
public protocol ServerTransportStream: AnyObject, Sendable {
    /// The client's address, such as `ipv4:127.0.0.1:51234` or `in-process`.
    var peer: String { get }

    /// Where the call's handler should run, if the transport has a preference (the event loop
    /// that reads its stream, so that handing the call over is no thread hop); nil for the
    /// default executor.
    var preferredExecutor: (any TaskExecutor)? { get }

    /// The response headers: custom metadata, and the encoding that response messages sent with
    /// `compress: true` use (nil: none). Sent with the first message, or before the status.
    func sendHeaders(_ metadata: Metadata, encoding: CompressionAlgorithm?)

    /// One response message. Suspends while the client cannot take more (flow control); throws
    /// when the stream is gone.
    func sendMessage<Message: ProtoMessage>(_ message: Message, compress: Bool) async throws

    /// The last response message and the status in one go: what a unary call sends.
    func sendMessage<Message: ProtoMessage>(_ message: Message, compress: Bool, thenStatus status: Status, trailers: Metadata) async throws

    /// Ends the response with `status` and `trailers`. Without headers sent before, the status
    /// travels alone (a trailers-only response). Later sends are dropped.
    func sendStatus(_ status: Status, trailers: Metadata)

    /// The call has read enough of what it buffered: the transport may read the stream again
    /// after `ServerCallInbound.receive` returned false. Safe to call from any thread.
    func resumeReading()

    /// Runs `action` at `deadline` unless the returned timer is cancelled first: the transport's
    /// cheapest timer (an event loop's scheduled task), for the call's deadline.
    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> CallTimer
}

extension ServerTransportStream {
    public func sendMessage<Message: ProtoMessage>(_ message: Message, compress: Bool, thenStatus status: Status, trailers: Metadata) async throws {
        try await sendMessage(message, compress: compress)
        sendStatus(status, trailers: trailers)
    }
}
