/// How a call ended: `grpc-status` and `grpc-message`. A call that fails throws the same
/// code and message as an `RPCError`, with the trailers.
public struct Status: Sendable, Hashable, CustomStringConvertible {
    public var code: RPCError.Code
    public var message: String

    public init(_ code: RPCError.Code, _ message: String = "") {
        self.code = code
        self.message = message
    }

    public static let ok = Status(.ok)

    public var description: String { message.isEmpty ? "\(code)" : "\(code): \(message)" }
}

extension RPCError {
    /// The status of an error, without its trailers.
    public var status: Status { Status(code, message) }

    /// The status a call ends with when its code throws `error`: an `RPCError` as it is, a
    /// cancellation as CANCELLED, anything else as UNKNOWN with no details (they stay on the
    /// side that threw).
    public init(ending error: any Error) {
        switch error {
        case let error as RPCError: self = error
        case is CancellationError: self = RPCError(.cancelled, "the call was cancelled")
        default: self = RPCError(.unknown, "unknown error")
        }
    }
}
