import ProtoWire

/// The response of a unary or client-streaming call, with its metadata.
public struct UnaryResponse<Message: ProtoMessage>: Sendable {
    public var message: Message
    /// The response headers' custom metadata (empty for a trailers-only response).
    public var headers: Metadata
    /// The trailers' custom metadata.
    public var trailers: Metadata

    public init(message: Message, headers: Metadata, trailers: Metadata) {
        self.message = message
        self.headers = headers
        self.trailers = trailers
    }
}
