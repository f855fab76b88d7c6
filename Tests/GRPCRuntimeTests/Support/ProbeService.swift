import GeneratedFixtures
import GRPCRuntime
import NIOConcurrencyHelpers
import NIOPosix
import ProtoWire

/// A Search service whose behaviour the query picks, recording what the server did to it.
final class ProbeService: Search.Servicer {
    struct Counts: Sendable {
        var started = 0
        var active = 0
        var maximumActive = 0
        var cancelled = 0
        var completed = 0
        /// Calls whose handler started on an event loop's thread.
        var onEventLoop = 0
    }

    let counts = NIOLockedValueBox(Counts())
    /// Calls with the query "held" wait for `release()`.
    private let gate = NIOLockedValueBox<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    /// Lets every held call go on, and those that come later pass.
    func release() {
        let waiting = gate.withLockedValue { gate in
            gate.open = true
            defer { gate.waiting = [] }
            return gate.waiting
        }
        for call in waiting { call.resume() }
    }

    struct Secret: Error { let password = "hunter2" }

    func search(request: SearchRequest, context: ServerContext) async throws -> SearchResponses {
        let onEventLoop = MultiThreadedEventLoopGroup.currentEventLoop != nil
        counts.withLockedValue {
            if onEventLoop { $0.onEventLoop += 1 }
            $0.started += 1
            $0.active += 1
            $0.maximumActive = max($0.maximumActive, $0.active)
        }
        defer { counts.withLockedValue { $0.active -= 1 } }
        switch request.query.lowercased() {
        case "boom":
            throw Secret()
        case "held":
            await withCheckedContinuation { (call: CheckedContinuation<Void, Never>) in
                let open = gate.withLockedValue { gate in
                    if !gate.open { gate.waiting.append(call) }
                    return gate.open
                }
                if open { call.resume() }
            }
        case "invalid":
            throw RPCError(.invalidArgument, "bad query", metadata: ["x-reason": "testing"])
        case let q where q.hasPrefix("sleep"):
            let millis = Int(q.dropFirst(5)) ?? 10_000
            do {
                try await Task.sleep(for: .milliseconds(millis))
            } catch {
                counts.withLockedValue { $0.cancelled += 1 }
                throw error
            }
        default:
            break
        }
        counts.withLockedValue { $0.completed += 1 }
        return SearchResponses(responses: [SearchResponse(response: request.query)])
    }

    func monitor(request: Google_Protobuf_Empty, context: ServerContext) async throws -> MonitorResponse {
        MonitorResponse(nThings: Int32(context.requestMetadata.first("x-things") ?? "0") ?? 0)
    }

    /// Waits up to ten seconds (the machine may be busy) for `condition` to hold.
    func eventually(_ condition: @Sendable (Counts) -> Bool) async -> Bool {
        for _ in 0..<1000 {
            if condition(counts.withLockedValue { $0 }) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}
