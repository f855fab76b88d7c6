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
                "grpc.duration_ms": .stringConvertible((duration.milliseconds * 1000).rounded() / 1000),
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
