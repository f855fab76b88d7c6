import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix

/// A bare HTTP/2 client on swift-nio-http2, for tests that send what a gRPC client would not
/// (a GET, another content type) or look at the frames the server answers with.
struct RawHTTP2Client {
    typealias Stream = NIOAsyncChannel<HTTP2Frame.FramePayload, HTTP2Frame.FramePayload>

    let multiplexer: NIOHTTP2Handler.AsyncStreamMultiplexer<Void>

    /// Connects to a server on the loopback interface.
    static func connect(port: Int) async throws -> RawHTTP2Client {
        let multiplexer = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.configureAsyncHTTP2Pipeline(mode: .client) { $0.eventLoop.makeSucceededVoidFuture() }
            }
        }
        return RawHTTP2Client(multiplexer: multiplexer)
    }

    /// A gRPC request's headers, with what the test changes.
    static func requestHeaders(path: String, method: String = "POST", contentType: String = "application/grpc") -> HPACKHeaders {
        var headers = HPACKHeaders()
        headers.add(name: ":method", value: method)
        headers.add(name: ":scheme", value: "http")
        headers.add(name: ":path", value: path)
        headers.add(name: ":authority", value: "127.0.0.1")
        headers.add(name: "content-type", value: contentType)
        headers.add(name: "te", value: "trailers")
        return headers
    }

    /// One uncompressed gRPC message: its flag, its length and `message`.
    static func frame(_ message: [UInt8]) -> ByteBuffer {
        var framed = ByteBuffer()
        framed.writeInteger(UInt8(0))
        framed.writeInteger(UInt32(message.count))
        framed.writeBytes(message)
        return framed
    }

    /// Opens a stream, sends `headers` and `body` as the whole request, and gives `read` the
    /// frames that come back; the stream closes when `read` returns.
    func exchange<Result: Sendable>(
        _ headers: HPACKHeaders, body: ByteBuffer,
        read: (NIOAsyncChannelInboundStream<HTTP2Frame.FramePayload>) async throws -> Result
    ) async throws -> Result {
        let stream = try await multiplexer.openStream { channel in
            channel.eventLoop.makeCompletedFuture { try Stream(wrappingChannelSynchronously: channel) }
        }
        return try await stream.executeThenClose { inbound, outbound in
            try await outbound.write(contentsOf: [.headers(.init(headers: headers)), .data(.init(data: .byteBuffer(body), endStream: true))])
            return try await read(inbound)
        }
    }
}
