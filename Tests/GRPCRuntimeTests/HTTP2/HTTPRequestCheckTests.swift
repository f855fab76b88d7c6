import GeneratedFixtures
import GRPCRuntime
import GRPCTestSupport
import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import Testing

/// What only the HTTP/2 transport checks: a request that is not gRPC at all gets an HTTP status,
/// never reaches the gRPC layer, and the connection goes on serving.
@Suite struct HTTPRequestCheckTests {
    typealias Stream = NIOAsyncChannel<HTTP2Frame.FramePayload, HTTP2Frame.FramePayload>

    @Test func requestsThatAreNotGRPCGetHTTPStatuses() async throws {
        let log = InterceptionLog()
        try await withServer(services: [ProbeService()], interceptors: [RecordingServerInterceptor(name: "s", log: log)]) { _, port in
            let multiplexer = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureAsyncHTTP2Pipeline(mode: .client) { $0.eventLoop.makeSucceededVoidFuture() }
                }
            }
            for (method, contentType, expected) in [("GET", "application/grpc", "405"), ("POST", "text/plain", "415"), ("POST", "application/grpc", "200")] {
                let stream = try await multiplexer.openStream { channel in
                    channel.eventLoop.makeCompletedFuture { try Stream(wrappingChannelSynchronously: channel) }
                }
                let status: String? = try await stream.executeThenClose { inbound, outbound in
                    var headers = HPACKHeaders()
                    headers.add(name: ":method", value: method)
                    headers.add(name: ":scheme", value: "http")
                    headers.add(name: ":path", value: Search.Method.monitor.path)
                    headers.add(name: ":authority", value: "127.0.0.1")
                    headers.add(name: "content-type", value: contentType)
                    headers.add(name: "te", value: "trailers")
                    var body = ByteBuffer()
                    body.writeBytes([0, 0, 0, 0, 0])  // one empty message
                    try await outbound.write(contentsOf: [.headers(.init(headers: headers)), .data(.init(data: .byteBuffer(body), endStream: true))])
                    for try await frame in inbound {
                        if case .headers(let response) = frame { return response.headers.first(name: ":status") }
                    }
                    return nil
                }
                #expect(status == expected, "\(method) \(contentType)")
            }
        }
        // Only the gRPC request reached the gRPC layer.
        #expect(log.all == ["s in /Search/monitor unary deadline:false", "s out OK"])
    }
}
