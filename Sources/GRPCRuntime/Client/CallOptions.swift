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
