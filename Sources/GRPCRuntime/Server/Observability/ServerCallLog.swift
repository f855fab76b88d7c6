import Logging

/// The server's log line per call: `rpc finished` at `info`, with the method, peer, status,
/// duration in milliseconds, `grpc.previous_attempts` when the call is a client's retry (its
/// `grpc-previous-rpc-attempts`) and the fields the handler added
/// (`ServerContext.addLogMetadata`), and `rpc started` at `debug`. With the logger above `info` it costs next to nothing.
public struct ServerCallLog: ServerInterceptor {
    public init() {}

    public func intercept<Request, Response>(
        _ call: ServerCall<Request, Response>, next: @Sendable (ServerCall<Request, Response>) async throws -> Void
    ) async throws {
        let logger = call.context.logger
        // The call's fields are built only when the line will be written: most of what logging
        // costs on a fast call.
        guard logger.logLevel <= .info else { return try await next(call) }
        let context = call.context
        if logger.logLevel <= .debug {
            logger.debug("rpc started", metadata: ["grpc.method": "\(context.path)", "grpc.peer": "\(context.peer)"])
        }
        var code = RPCError.Code.ok
        defer {
            let duration = ContinuousClock.now - context.started
            // Values as they are (no string made for each): the log handler renders them.
            var fields: Logger.Metadata = [
                "grpc.method": .string(context.path), "grpc.peer": .string(context.peer), "grpc.status": .stringConvertible(code),
                "grpc.duration_ms": .stringConvertible(Milliseconds(duration)),
            ]
            if let previous = context.requestMetadata.first("grpc-previous-rpc-attempts") {
                fields["grpc.previous_attempts"] = .string(previous)
            }
            for (key, value) in context.logMetadata { fields[key] = .string(value) }
            logger.info("rpc finished", metadata: fields)
        }
        do {
            try await next(call)
        } catch {
            code = RPCError(ending: error).code
            throw error
        }
    }
}

/// A call's duration in milliseconds to the microsecond, as a log line shows it (`0.422`,
/// `12.5`, `3.0`), written from its integer parts.
private struct Milliseconds: CustomStringConvertible, Sendable {
    let microseconds: UInt64

    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + max(0, attoseconds) / 1_000_000_000
        microseconds = UInt64((nanoseconds + 500) / 1000)
    }

    var description: String {
        var fraction = microseconds % 1000
        var decimals = 3
        while decimals > 1, fraction % 10 == 0 {
            fraction /= 10
            decimals -= 1
        }
        let whole = microseconds / 1000
        var wholeDigits = 1
        var rest = whole
        while rest >= 10 {
            rest /= 10
            wholeDigits += 1
        }
        // Written right to left into the string's own storage: no intermediate strings.
        return String(unsafeUninitializedCapacity: wholeDigits + 1 + decimals) { bytes in
            var index = wholeDigits + decimals
            for _ in 0..<decimals {
                bytes[index] = UInt8(ascii: "0") + UInt8(fraction % 10)
                fraction /= 10
                index -= 1
            }
            bytes[index] = UInt8(ascii: ".")
            rest = whole
            for _ in 0..<wholeDigits {
                index -= 1
                bytes[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            return wholeDigits + 1 + decimals
        }
    }
}
