import NIOCore

/// The start of a call as both sides' transports carry it: which method, the metadata, the
/// deadline and the encodings. On HTTP/2 it is the request's HEADERS frame.
public struct RequestHead: Sendable {
    /// `/package.Service/Method`.
    public var path: String
    /// Custom metadata; headers the protocol owns are never part of it.
    public var metadata: Metadata
    /// How long the client gives the call (`grpc-timeout`), counted from when the head arrives.
    public var timeout: Duration?
    /// The encoding of request messages sent compressed (`grpc-encoding`), as named on the wire;
    /// nil for none. An unknown name is the gRPC layer's to refuse.
    public var encoding: String?
    /// The encodings the client accepts for response messages (`grpc-accept-encoding`).
    public var acceptedEncodings: [CompressionAlgorithm]

    public init(
        path: String, metadata: Metadata = [:], timeout: Duration? = nil, encoding: String? = nil,
        acceptedEncodings: [CompressionAlgorithm] = []
    ) {
        self.path = path
        self.metadata = metadata
        self.timeout = timeout
        self.encoding = encoding
        self.acceptedEncodings = acceptedEncodings
    }
}

/// One message as it came off a stream: its bytes, decompressed, and whether it travelled compressed.
public struct ReceivedMessage: Sendable {
    public var bytes: ByteBuffer
    public var compressed: Bool

    public init(bytes: ByteBuffer, compressed: Bool = false) {
        self.bytes = bytes
        self.compressed = compressed
    }
}

/// A timer a transport scheduled for a call; cancelling it keeps its action from running.
public struct CallTimer: Sendable {
    private let cancelAction: (@Sendable () -> Void)?

    public init(cancel: (@Sendable () -> Void)?) { self.cancelAction = cancel }

    public func cancel() { cancelAction?() }
}
