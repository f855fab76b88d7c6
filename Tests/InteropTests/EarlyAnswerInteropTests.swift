import Foundation
import GeneratedFixtures
import GRPCRuntime
import NIOConcurrencyHelpers
import Testing

// A server may answer a call before the client has finished sending: grpcio then writes the
// response and the trailers and resets the stream with NO_ERROR (RFC 9113 section 8.1), while
// the client's remaining requests are still on their way. A complete answer with its trailers
// decides the call, and a connection that carries many such calls stays up.

@Suite("Swift client → Python server: answers before the requests end", .timeLimit(.minutes(3)), PythonServerTrait())
struct EarlyAnswerInteropTests {
    /// 1,000 client-streaming calls on one channel, eight at a time. Each sends eight requests
    /// of 16 KiB; the grpcio server (`x-answer-after: 1`) answers after the first and resets the
    /// stream, so most calls are still sending when the answer and the reset arrive. Every call
    /// must end OK with the first request's size, within its deadline.
    ///
    /// Before the client relaxed NIO's limit on received resets (200 in 30 s), the 201st reset
    /// ended the connection with ENHANCE_YOUR_CALM and the calls on it went unanswered until
    /// their deadlines (7 to 11 of 1,000 in five runs).
    @Test func aCompleteAnswerWinsOverTheRequestsThatFollow() async throws {
        let server = try PythonServerTrait.current.get()
        let channel = GRPCChannel(host: "127.0.0.1", port: server.port)
        defer { channel.close() }
        let client = Grpc_Testing_TestService.Client(channel: channel)
        let calls = 1_000
        let lanes = 8
        let messageSize: Int32 = 16 << 10
        let options = CallOptions(timeout: .seconds(10), metadata: ["x-answer-after": "1"])
        let failures = NIOLockedValueBox<[String]>([])

        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    for _ in stride(from: lane, to: calls, by: lanes) {
                        // How far the requests got, for a failure's message.
                        let progress = NIOLockedValueBox("no request written")
                        do {
                            let response = try await client.streamingInputCall(options: options) { writer in
                                for i in 0..<8 {
                                    progress.withLockedValue { $0 = "writing request \(i)" }
                                    try await writer.write(Grpc_Testing_StreamingInputCallRequest(payload: Interop.zeros(messageSize)))
                                }
                                progress.withLockedValue { $0 = "all requests written" }
                            }
                            if response.aggregatedPayloadSize != messageSize {
                                failures.withLockedValue { $0.append("aggregated_payload_size \(response.aggregatedPayloadSize), expected \(messageSize)") }
                            }
                        } catch {
                            let at = progress.withLockedValue { $0 }
                            failures.withLockedValue { $0.append("\(error) (\(at))") }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }

        let failed = failures.withLockedValue { $0 }
        let kinds = Dictionary(grouping: failed, by: { $0 }).map { "\($0.value.count) x \($0.key)" }.sorted()
        #expect(failed.isEmpty, "\(failed.count) of \(calls) calls failed: \(kinds.prefix(5).joined(separator: "; "))")
        print("early answers: \(calls - failed.count) of \(calls) calls answered OK after their first request")
    }
}
