import Foundation
import GeneratedFixtures
import GRPCRuntime
import NIOConcurrencyHelpers

/// `grpc.testing.TestService` kept simple, for the semantics of streaming calls: payload sizes
/// in and out, a status to end with, and a count of handlers cancelled.
final class StreamProbe: Grpc_Testing_TestService.Servicer {
    let cancelled = NIOLockedValueBox(0)
    let started = NIOLockedValueBox(0)
    /// While true, `streamingInputCall` stops reading after each request.
    let holdRequests = NIOLockedValueBox(false)
    /// Requests `streamingInputCall` has read.
    let requestsRead = NIOLockedValueBox(0)
    /// Responses `streamingOutputCall` has written (each write returned).
    let responsesWritten = NIOLockedValueBox(0)

    private func zeros(_ size: Int32) -> Grpc_Testing_Payload { Grpc_Testing_Payload(body: Data(count: Int(size))) }

    func emptyCall(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        Grpc_Testing_Empty()
    }

    func unaryCall(request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        if let status = request.responseStatus, status.code != 0 {
            throw RPCError(RPCError.Code(rawValue: Int(status.code)), status.message)
        }
        return Grpc_Testing_SimpleResponse(payload: zeros(request.responseSize))
    }

    func cacheableUnaryCall(request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        throw RPCError(.unimplemented)
    }

    /// One response per parameter; with a status, headers are added and then the call fails.
    func streamingOutputCall(
        request: Grpc_Testing_StreamingOutputCallRequest, responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        if let status = request.responseStatus, status.code != 0 {
            context.addResponseHeaders(["x-before-failure": "kept"])
            throw RPCError(RPCError.Code(rawValue: Int(status.code)), status.message, metadata: ["x-trailer": "too"])
        }
        for parameters in request.responseParameters {
            try await responses.write(Grpc_Testing_StreamingOutputCallResponse(payload: zeros(parameters.size)))
            responsesWritten.withLockedValue { $0 += 1 }
        }
    }

    /// The sum of the payload sizes; waits (cancellably) for requests that never come.
    func streamingInputCall(
        requests: RequestStream<Grpc_Testing_StreamingInputCallRequest>, context: ServerContext
    ) async throws -> Grpc_Testing_StreamingInputCallResponse {
        started.withLockedValue { $0 += 1 }
        var total = 0
        do {
            for try await request in requests {
                total += request.payload?.body.count ?? 0
                requestsRead.withLockedValue { $0 += 1 }
                while holdRequests.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            }
        } catch {
            cancelled.withLockedValue { $0 += 1 }
            throw error
        }
        return Grpc_Testing_StreamingInputCallResponse(aggregatedPayloadSize: Int32(total))
    }

    /// Each request answered at once by one response of the size it asks.
    func fullDuplexCall(
        requests: RequestStream<Grpc_Testing_StreamingOutputCallRequest>,
        responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        for try await request in requests {
            for parameters in request.responseParameters {
                try await responses.write(Grpc_Testing_StreamingOutputCallResponse(payload: zeros(parameters.size)))
            }
        }
    }

    func halfDuplexCall(
        requests: RequestStream<Grpc_Testing_StreamingOutputCallRequest>,
        responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>, context: ServerContext
    ) async throws {
        throw RPCError(.unimplemented)
    }

    func unimplementedCall(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        throw RPCError(.unimplemented)
    }

    /// Waits up to ten seconds for `condition`.
    func eventually(_ condition: @Sendable (StreamProbe) -> Bool) async -> Bool {
        for _ in 0..<1000 {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}
