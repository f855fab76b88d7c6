import NIOConcurrencyHelpers

/// What a service method knows about its call, and how it shapes the response
/// beyond the messages: headers, trailers and compression.
public final class ServerContext: Sendable {
    /// The method's path, such as `/Search/search`.
    public let path: String
    /// The request's custom metadata.
    public let requestMetadata: Metadata
    /// When the client gives up, if it set a timeout. Past it the call ends with
    /// `deadlineExceeded` and the handler's task is cancelled.
    public let deadline: ContinuousClock.Instant?
    /// The client's address, such as `ipv4:127.0.0.1:51234`.
    public let peer: String

    struct Response: Sendable {
        var headers: Metadata = [:]
        var trailers: Metadata = [:]
        var compression: CompressionAlgorithm?
        var logMetadata: [String: String] = [:]
    }

    let response: NIOLockedValueBox<Response>
    private let lastRequestCompressed = NIOLockedValueBox(false)

    /// Whether the request message most recently handed to the handler arrived compressed.
    public internal(set) var requestCompressed: Bool {
        get { lastRequestCompressed.withLockedValue { $0 } }
        set { lastRequestCompressed.withLockedValue { $0 = newValue } }
    }
    /// The encodings the client said it accepts (`grpc-accept-encoding`).
    let acceptedEncodings: [CompressionAlgorithm]

    init(path: String, requestMetadata: Metadata, deadline: ContinuousClock.Instant?, peer: String, acceptedEncodings: [CompressionAlgorithm]) {
        self.path = path
        self.requestMetadata = requestMetadata
        self.deadline = deadline
        self.peer = peer
        self.acceptedEncodings = acceptedEncodings
        self.response = NIOLockedValueBox(Response())
    }

    /// Adds metadata to the response headers. Has no effect once the first response message is written.
    public func addResponseHeaders(_ metadata: Metadata) {
        response.withLockedValue { $0.headers = $0.headers + metadata }
    }

    /// Adds metadata to the trailers sent with the status.
    public func addTrailers(_ metadata: Metadata) {
        response.withLockedValue { $0.trailers = $0.trailers + metadata }
    }

    /// Adds a field to the line the server logs when the call ends (such as a result count).
    public func addLogMetadata(_ key: String, _ value: String) {
        response.withLockedValue { $0.logMetadata[key] = value }
    }

    /// Compresses response messages with `algorithm` if the client accepts it; returns whether it will.
    /// Has no effect once the first response message is written.
    @discardableResult
    public func compressResponses(with algorithm: CompressionAlgorithm = .gzip) -> Bool {
        guard algorithm == .identity || acceptedEncodings.contains(algorithm) else { return false }
        response.withLockedValue { $0.compression = algorithm == .identity ? nil : algorithm }
        return true
    }
}
