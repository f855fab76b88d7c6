import GRPCRuntime
import GRPCTestSupport
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP2
import NIOPosix
import ProtoWire
import GeneratedFixtures
import Testing
import TestSupport

/// An HTTP/2 server that takes every call's headers and turns the stream down, as a server that
/// is shedding load or shutting down does: the client may safely send such calls elsewhere.
final class RefusingServer: Sendable {
    enum Mode: Sendable, CaseIterable {
        /// RST_STREAM with REFUSED_STREAM.
        case refuseStream
        /// GOAWAY whose last stream id is below the call's.
        case goAway
    }

    let channel: any Channel
    let streams = NIOLockedValueBox(0)

    init(_ mode: Mode) async throws {
        let streams = self.streams
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOHTTP2Handler(mode: .server))
                    try channel.pipeline.syncOperations.addHandler(Refuser(mode: mode, streams: streams))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    var port: Int { channel.localAddress?.port ?? 0 }

    final class Refuser: ChannelInboundHandler {
        typealias InboundIn = HTTP2Frame
        typealias OutboundOut = HTTP2Frame
        let mode: Mode
        let streams: NIOLockedValueBox<Int>

        init(mode: Mode, streams: NIOLockedValueBox<Int>) {
            self.mode = mode
            self.streams = streams
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let frame = unwrapInboundIn(data)
            guard case .headers = frame.payload else { return }
            streams.withLockedValue { $0 += 1 }
            switch mode {
            case .refuseStream:
                context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: frame.streamID, payload: .rstStream(.refusedStream))), promise: nil)
            case .goAway:
                context.writeAndFlush(wrapOutboundOut(HTTP2Frame(streamID: .rootStream, payload: .goAway(lastStreamID: .rootStream, errorCode: .noError, opaqueData: nil))), promise: nil)
            }
        }
    }
}

@Suite struct RefusalTests {
    /// Calls the refusing server turned down arrive at the healthy one instead; none fails.
    @Test(arguments: RefusingServer.Mode.allCases)
    func refusedCallsAreRetriedElsewhere(mode: RefusingServer.Mode) async throws {
        let refusing = try await RefusingServer(mode)
        defer { refusing.channel.close(promise: nil) }
        let live = CountingSearch()
        try await withServer(services: [live]) { _, port in
            var configuration = testChannelConfiguration()
            configuration.healthCheckService = nil
            // The refusing server first, so that pick-first sends every call there first.
            configuration.loadBalancingPolicy = .pickFirst
            let channel = try GRPCChannel(target: "ipv4:127.0.0.1:\(refusing.port),127.0.0.1:\(port)", configuration: configuration)
            defer { channel.close() }
            let client = Search.Client(channel: channel)
            // A generous deadline: only there to turn a hang into a failure on a busy machine.
            for _ in 0..<10 { _ = try await client.monitor(Google_Protobuf_Empty(), options: CallOptions(timeout: .seconds(30))) }
            #expect(live.count == 10)
            #expect(refusing.streams.withLockedValue { $0 } >= 1, "no call went to the refusing server first")
        }
    }
}
