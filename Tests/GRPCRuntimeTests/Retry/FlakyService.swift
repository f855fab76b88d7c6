import Foundation
import GeneratedFixtures
import GRPCRuntime
import NIOConcurrencyHelpers
import ProtoWire

/// A TestService that fails the first attempts it sees, recording each attempt as the server saw
/// it: when it came, its `grpc-previous-rpc-attempts`, and the requests it read.
final class FlakyService: Grpc_Testing_TestService.Servicer {
    struct Behaviour: Sendable {
        /// Attempts that fail, counted from the first.
        var failFirst = 0
        var code = RPCError.Code.unavailable
        /// Trailers of each failure (such as a pushback).
        var trailers: Metadata = [:]
        /// How long a failing attempt runs before it fails.
        var delay: Duration = .zero
        /// Streaming responses: one message goes out before the failure.
        var respondBeforeFailing = false
    }

    struct Attempt: Sendable {
        var at: ContinuousClock.Instant
        var previousAttempts: String?
        var requests: Int
        var deadline: ContinuousClock.Instant?
    }

    let behaviour: Behaviour
    private let seen = NIOLockedValueBox<[Attempt]>([])

    init(_ behaviour: Behaviour = Behaviour()) { self.behaviour = behaviour }

    var attempts: [Attempt] { seen.withLockedValue { $0 } }

    /// Records an attempt; true when it is to fail.
    private func record(_ context: ServerContext, requests: Int) -> Bool {
        let attempt = Attempt(
            at: .now, previousAttempts: context.requestMetadata.first("grpc-previous-rpc-attempts"), requests: requests,
            deadline: context.deadline
        )
        return seen.withLockedValue {
            $0.append(attempt)
            return $0.count <= behaviour.failFirst
        }
    }

    private func fail() async throws -> Never {
        try await Task.sleep(for: behaviour.delay)
        throw RPCError(behaviour.code, "failing attempt", metadata: behaviour.trailers)
    }

    func emptyCall(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        Grpc_Testing_Empty()
    }

    func unaryCall(request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        if record(context, requests: 1) { try await fail() }
        return Grpc_Testing_SimpleResponse(username: "attempt \(attempts.count)")
    }

    func cacheableUnaryCall(request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        try await unaryCall(request: request, context: context)
    }

    func streamingOutputCall(
        request: Grpc_Testing_StreamingOutputCallRequest, responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        let failing = record(context, requests: 1)
        if failing, behaviour.respondBeforeFailing { try await responses.write(Grpc_Testing_StreamingOutputCallResponse()) }
        if failing { try await fail() }
        for parameters in request.responseParameters {
            try await responses.write(Grpc_Testing_StreamingOutputCallResponse(payload: Grpc_Testing_Payload(body: Data(count: Int(parameters.size)))))
        }
    }

    func streamingInputCall(
        requests: RequestStream<Grpc_Testing_StreamingInputCallRequest>, context: ServerContext
    ) async throws -> Grpc_Testing_StreamingInputCallResponse {
        var count = 0
        var total = 0
        for try await request in requests {
            count += 1
            total += request.payload?.body.count ?? 0
        }
        if record(context, requests: count) { try await fail() }
        return Grpc_Testing_StreamingInputCallResponse(aggregatedPayloadSize: Int32(total))
    }

    func fullDuplexCall(
        requests: RequestStream<Grpc_Testing_StreamingOutputCallRequest>, responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        var received: [Grpc_Testing_StreamingOutputCallRequest] = []
        for try await request in requests { received.append(request) }
        if record(context, requests: received.count) { try await fail() }
        for request in received {
            try await responses.write(Grpc_Testing_StreamingOutputCallResponse(payload: request.payload))
        }
    }

    func halfDuplexCall(
        requests: RequestStream<Grpc_Testing_StreamingOutputCallRequest>, responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        try await fullDuplexCall(requests: requests, responses: responses, context: context)
    }

    func unimplementedCall(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        throw RPCError(.unimplemented)
    }
}
