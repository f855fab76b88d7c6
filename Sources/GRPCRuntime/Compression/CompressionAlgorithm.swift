/// A message encoding of the `grpc-encoding` and `grpc-accept-encoding` headers.
///
/// gRPC names its encodings in lowercase (`identity`, `gzip`, `deflate`); ``init(name:)`` accepts
/// exactly those spellings and returns `nil` for anything else, so an unknown encoding can be
/// answered with `UNIMPLEMENTED` as the protocol asks.
public struct CompressionAlgorithm: Hashable, Sendable, CaseIterable, CustomStringConvertible {
    enum Kind: Hashable, Sendable {
        case identity
        case gzip
        case deflate
    }

    let kind: Kind

    private init(_ kind: Kind) {
        self.kind = kind
    }

    /// No compression: messages are sent as they are.
    public static let identity = CompressionAlgorithm(.identity)
    /// The gzip format (RFC 1952) around deflate data.
    public static let gzip = CompressionAlgorithm(.gzip)
    /// The zlib format (RFC 1950) around deflate data, as gRPC's `deflate` encoding means it.
    public static let deflate = CompressionAlgorithm(.deflate)

    public static let allCases: [CompressionAlgorithm] = [.identity, .gzip, .deflate]

    /// The algorithm named `name` in a `grpc-encoding` header, or `nil` if it is not one we support.
    public init?(name: String) {
        switch name {
        case "identity": self = .identity
        case "gzip": self = .gzip
        case "deflate": self = .deflate
        default: return nil
        }
    }

    /// The name used in `grpc-encoding` and `grpc-accept-encoding`.
    public var name: String {
        switch self.kind {
        case .identity: "identity"
        case .gzip: "gzip"
        case .deflate: "deflate"
        }
    }

    public var description: String { self.name }
}
