import Logging
import NIOConcurrencyHelpers

/// What a service method (and an interceptor) knows about its call, and how it shapes the
/// response beyond the messages: headers, trailers and compression.
public final class ServerContext: @unchecked Sendable {
    /// The method called. For a path no service registered, its kind is bidirectional
    /// streaming (the most general) and the call ends UNIMPLEMENTED.
    public let method: RPCMethod
    /// The request's custom metadata, as it arrived (interceptors may hand the handler a changed
    /// copy in `ServerCall.requestMetadata`).
    public let requestMetadata: Metadata
    /// When the client gives up, if it set a timeout. Past it the call ends with
    /// `deadlineExceeded` and the handler's task is cancelled.
    public let deadline: ContinuousClock.Instant?
    /// The client's address, such as `ipv4:127.0.0.1:51234`.
    public let peer: String
    /// The server's logger.
    public let logger: Logger
    /// When the call began (its head arrived).
    public let started: ContinuousClock.Instant
    /// The encodings the client said it accepts (`grpc-accept-encoding`).
    let acceptedEncodings: [CompressionAlgorithm]
    /// Whether a service registered the method (false: the call ends UNIMPLEMENTED).
    let isRegisteredMethod: Bool

    /// The method's path, such as `/Search/search`.
    public var path: String { method.path }

    private let lock = NIOLock()
    // Guarded by `lock`.
    private var responseHeaders: Metadata = [:]
    private var responseTrailers: Metadata = [:]
    private var responseCompression: CompressionAlgorithm?
    private var logFields: [(String, String)] = []
    private var lastRequestCompressed = false

    init(
        method: RPCMethod, requestMetadata: Metadata, deadline: ContinuousClock.Instant?, peer: String,
        acceptedEncodings: [CompressionAlgorithm], logger: Logger, started: ContinuousClock.Instant, isRegisteredMethod: Bool = true
    ) {
        self.isRegisteredMethod = isRegisteredMethod
        self.method = method
        self.requestMetadata = requestMetadata
        self.deadline = deadline
        self.peer = peer
        self.acceptedEncodings = acceptedEncodings
        self.logger = logger
        self.started = started
    }

    /// Whether the request message most recently handed to the handler arrived compressed.
    public internal(set) var requestCompressed: Bool {
        get { lock.withLock { lastRequestCompressed } }
        set { lock.withLock { lastRequestCompressed = newValue } }
    }

    /// Adds metadata to the response headers. Has no effect once the headers are sent (with the
    /// first response message).
    public func addResponseHeaders(_ metadata: Metadata) {
        lock.withLock { responseHeaders = responseHeaders + metadata }
    }

    /// Adds metadata to the trailers sent with the status.
    public func addTrailers(_ metadata: Metadata) {
        lock.withLock { responseTrailers = responseTrailers + metadata }
    }

    /// The response headers so far: what will be sent unless changed before the first message.
    public var pendingResponseHeaders: Metadata {
        get { lock.withLock { responseHeaders } }
        set { lock.withLock { responseHeaders = newValue } }
    }

    /// The trailers so far.
    public var pendingTrailers: Metadata {
        get { lock.withLock { responseTrailers } }
        set { lock.withLock { responseTrailers = newValue } }
    }

    /// Adds a field to the line the server logs when the call ends (such as a result count).
    public func addLogMetadata(_ key: String, _ value: String) {
        lock.withLock {
            if let index = logFields.firstIndex(where: { $0.0 == key }) {
                logFields[index].1 = value
            } else {
                logFields.append((key, value))
            }
        }
    }

    /// The fields added with `addLogMetadata`, in the order first added.
    public var logMetadata: [(key: String, value: String)] {
        lock.withLock { logFields.map { (key: $0.0, value: $0.1) } }
    }

    /// Compresses response messages with `algorithm` if the client accepts it; returns whether it will.
    /// Has no effect once the first response message is written.
    @discardableResult
    public func compressResponses(with algorithm: CompressionAlgorithm = .gzip) -> Bool {
        guard algorithm == .identity || acceptedEncodings.contains(algorithm) else { return false }
        lock.withLock { responseCompression = algorithm == .identity ? nil : algorithm }
        return true
    }

    /// The headers and encoding to send now, taken once.
    func responseHead() -> (Metadata, CompressionAlgorithm?) {
        lock.withLock { (responseHeaders, responseCompression) }
    }

    var trailers: Metadata { lock.withLock { responseTrailers } }
}
