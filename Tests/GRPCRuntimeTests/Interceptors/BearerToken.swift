import GRPCRuntime

// The interceptor example of GRPCRuntime's documentation (InterceptorsAndTracing.md), compiled and tested
// here: a client that sends a bearer token with every call and a server that refuses calls
// without the right one.

/// Adds `authorization: Bearer <token>` to every call's metadata.
struct BearerToken: ClientInterceptor {
    let token: String

    func intercept<Request, Response, Result: Sendable>(
        _ call: ClientCall<Request, Response, Result>, next: @Sendable (ClientCall<Request, Response, Result>) async throws -> Result
    ) async throws -> Result {
        var call = call
        call.metadata.removeAll("authorization")
        call.metadata.add("authorization", "Bearer \(token)")
        return try await next(call)
    }
}

/// Ends every call UNAUTHENTICATED unless it carries one of the accepted tokens; the handler
/// never sees it.
struct RequireBearerToken: ServerInterceptor {
    let accepted: Set<String>

    func intercept<Request, Response>(
        _ call: ServerCall<Request, Response>, next: @Sendable (ServerCall<Request, Response>) async throws -> Void
    ) async throws {
        guard let value = call.requestMetadata.first("authorization"), value.hasPrefix("Bearer "),
              accepted.contains(String(value.dropFirst("Bearer ".count)))
        else {
            throw RPCError(.unauthenticated, "a valid bearer token is required")
        }
        try await next(call)
    }
}
