import ProtoWire

/// Per-call settings.
public struct CallOptions: Sendable {
    /// How long the call may take; sent as `grpc-timeout`. `deadline` wins when both are set.
    public var timeout: Duration?
    /// When the call must be done.
    public var deadline: ContinuousClock.Instant?
    /// Custom request metadata.
    public var metadata: Metadata
    /// Compresses request messages; nil sends them as they are.
    public var compression: CompressionAlgorithm?
    /// Waits for a connection instead of failing with `unavailable` while the channel backs off.
    public var waitForReady: Bool

    public init(
        timeout: Duration? = nil, deadline: ContinuousClock.Instant? = nil, metadata: Metadata = [:],
        compression: CompressionAlgorithm? = nil, waitForReady: Bool = false
    ) {
        self.timeout = timeout
        self.deadline = deadline
        self.metadata = metadata
        self.compression = compression
        self.waitForReady = waitForReady
    }

    var effectiveDeadline: ContinuousClock.Instant? {
        deadline ?? timeout.map { ContinuousClock.now.advanced(by: $0) }
    }
}

/// A method as clients call it: its path and kind, typed by its messages.
public struct MethodDescriptor<Request: ProtoMessage, Response: ProtoMessage>: Sendable, Hashable {
    /// `/package.Service/Method`.
    public let path: String
    public let kind: RPCKind

    public init(path: String, kind: RPCKind) {
        self.path = path
        self.kind = kind
    }
}

/// The response of a unary or client-streaming call, with its metadata.
public struct UnaryResponse<Message: ProtoMessage>: Sendable {
    public var message: Message
    public var headers: Metadata
    public var trailers: Metadata
}
