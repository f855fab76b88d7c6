import GeneratedFixtures
import GRPCRuntime
import GRPCTestSupport
import NIOCore
import Testing

/// Server-streamed messages that a handler on the event loop writes in one pass share DATA
/// frames, and still arrive whole and in order, large ones included.
@Suite struct MessageCoalescingTests {
    @Test func messagesWrittenInOnePassShareDataFrames() async throws {
        // 100 small messages with a 40,000-byte one in the middle.
        let sizes = (0..<101).map { $0 == 50 ? 40_000 : 10 + $0 }
        let request = Grpc_Testing_StreamingOutputCallRequest(responseParameters: sizes.map { Grpc_Testing_ResponseParameters(size: Int32($0)) })
        let (dataFrames, body, status) = try await withServer(services: [FlakyService()]) { _, port in
            let client = try await RawHTTP2Client.connect(port: port)
            let headers = RawHTTP2Client.requestHeaders(path: "/grpc.testing.TestService/StreamingOutputCall")
            return try await client.exchange(headers, body: RawHTTP2Client.frame(request.serializedBytes())) { inbound in
                var dataFrames = 0
                var body = ByteBuffer()
                for try await frame in inbound {
                    switch frame {
                    case .data(let data):
                        dataFrames += 1
                        if case .byteBuffer(var bytes) = data.data { body.writeBuffer(&bytes) }
                    case .headers(let block) where block.endStream:
                        return (dataFrames, body, block.headers.first(name: "grpc-status"))
                    default:
                        break
                    }
                }
                return (dataFrames, body, nil as String?)
            }
        }
        #expect(status == "0")
        var received: [Int] = []
        var rest = body
        while rest.readableBytes >= 5, let flag = rest.readInteger(as: UInt8.self), let length = rest.readInteger(as: UInt32.self),
            let bytes = rest.readBytes(length: Int(length))
        {
            #expect(flag == 0)
            let response = try Grpc_Testing_StreamingOutputCallResponse(serializedBytes: bytes)
            received.append(response.payload?.body.count ?? -1)
        }
        #expect(rest.readableBytes == 0)
        #expect(received == sizes)
        // One frame a message would be 101 and more; the large message alone takes three
        // (16 KiB frames). Writes wait for the loop every 16 messages, so at least 7 flushes.
        #expect(dataFrames < 30, "\(dataFrames) DATA frames for 101 messages")
    }
}
