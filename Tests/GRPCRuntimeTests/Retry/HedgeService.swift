import Foundation
import GeneratedFixtures
import GRPCRuntime
import NIOConcurrencyHelpers
import ProtoWire

/// A TestService whose attempts each follow a step of a script, in the order they reach it,
/// recording each as the server saw it: when it came, its `grpc-previous-rpc-attempts`, the
/// requests it read, and how it ended (answered, failed, or cancelled by the client).
final class HedgeService: Grpc_Testing_TestService.Servicer {
    enum Step: Sendable {
        /// Answers after a time.
        case answer(after: Duration = .zero)
        /// Fails with a code (and trailers) after a time.
        case fail(RPCError.Code, after: Duration = .zero, trailers: Metadata = [:])

        /// Runs until cancelled (a minute, which no test waits for).
        static let hang = Step.answer(after: .seconds(60))
    }

    enum Outcome: Sendable, Equatable {
        case running, answered, failed, cancelled
    }

    struct Attempt: Sendable {
        var at: ContinuousClock.Instant
        var previousAttempts: String?
        var requests = 0
        var outcome = Outcome.running
    }

    /// Answers name the server: `NAME attempt N`.
    let name: String
    /// The script: attempt N follows step N, and attempts past its end the last step.
    let steps: [Step]
    private let seen = NIOLockedValueBox<[Attempt]>([])

    init(name: String = "server", _ steps: [Step]) {
        self.name = name
        self.steps = steps
    }

    var attempts: [Attempt] { seen.withLockedValue { $0 } }

    /// Waits (up to `limit`) until no attempt the server saw is still running, and returns them.
    func settled(within limit: Duration = .seconds(10)) async throws -> [Attempt] {
        let end = ContinuousClock.now + limit
        while attempts.contains(where: { $0.outcome == .running }), ContinuousClock.now < end {
            try await Task.sleep(for: .milliseconds(10))
        }
        return attempts
    }

    /// Records an attempt as it reaches the server; its number, from 0.
    private func begin(_ context: ServerContext) -> Int {
        seen.withLockedValue {
            $0.append(Attempt(at: .now, previousAttempts: context.requestMetadata.first("grpc-previous-rpc-attempts")))
            return $0.count - 1
        }
    }

    private func ended(_ index: Int, _ outcome: Outcome) { seen.withLockedValue { $0[index].outcome = outcome } }

    /// Follows attempt `index`'s step.
    private func run(_ index: Int) async throws -> String {
        let step = steps[min(index, steps.count - 1)]
        func ended(_ outcome: Outcome) { self.ended(index, outcome) }
        do {
            switch step {
            case .answer(let after):
                try await Task.sleep(for: after)
                ended(.answered)
                return "\(name) attempt \(index + 1)"
            case .fail(let code, let after, let trailers):
                try await Task.sleep(for: after)
                ended(.failed)
                throw RPCError(code, "\(name) attempt \(index + 1) failed", metadata: trailers)
            }
        } catch is CancellationError {
            ended(.cancelled)
            throw CancellationError()
        }
    }

    func emptyCall(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        Grpc_Testing_Empty()
    }

    func unaryCall(request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        let index = begin(context)
        seen.withLockedValue { $0[index].requests = 1 }
        return Grpc_Testing_SimpleResponse(username: try await run(index))
    }

    func cacheableUnaryCall(request: Grpc_Testing_SimpleRequest, context: ServerContext) async throws -> Grpc_Testing_SimpleResponse {
        try await unaryCall(request: request, context: context)
    }

    func streamingOutputCall(
        request: Grpc_Testing_StreamingOutputCallRequest, responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        throw RPCError(.unimplemented)
    }

    func streamingInputCall(
        requests: RequestStream<Grpc_Testing_StreamingInputCallRequest>, context: ServerContext
    ) async throws -> Grpc_Testing_StreamingInputCallResponse {
        let index = begin(context)
        var total = 0
        do {
            for try await request in requests {
                seen.withLockedValue { $0[index].requests += 1 }
                total += request.payload?.body.count ?? 0
            }
        } catch {
            // The client gave the attempt up while sending its requests.
            ended(index, .cancelled)
            throw error
        }
        _ = try await run(index)
        return Grpc_Testing_StreamingInputCallResponse(aggregatedPayloadSize: Int32(total))
    }

    func fullDuplexCall(
        requests: RequestStream<Grpc_Testing_StreamingOutputCallRequest>, responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        throw RPCError(.unimplemented)
    }

    func halfDuplexCall(
        requests: RequestStream<Grpc_Testing_StreamingOutputCallRequest>, responses: ResponseWriter<Grpc_Testing_StreamingOutputCallResponse>,
        context: ServerContext
    ) async throws {
        throw RPCError(.unimplemented)
    }

    func unimplementedCall(request: Grpc_Testing_Empty, context: ServerContext) async throws -> Grpc_Testing_Empty {
        throw RPCError(.unimplemented)
    }
}
