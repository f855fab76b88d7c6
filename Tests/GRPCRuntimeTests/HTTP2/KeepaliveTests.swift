@testable import GRPCRuntime
import NIOCore
import NIOEmbedded
import NIOHTTP2
import Testing

@Suite struct KeepaliveTests {
    func pingsWritten(_ channel: EmbeddedChannel) throws -> [HTTP2PingData] {
        var pings: [HTTP2PingData] = []
        while let frame = try channel.readOutbound(as: HTTP2Frame.self) {
            if case .ping(let data, ack: false) = frame.payload { pings.append(data) }
        }
        return pings
    }

    @Test func pingsAfterTheIntervalAndKeepsTheConnectionWhenAcked() throws {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(handler: KeepaliveHandler(interval: .seconds(10), timeout: .seconds(2)), loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        loop.advanceTime(by: .seconds(9))
        #expect(try pingsWritten(channel).isEmpty)
        loop.advanceTime(by: .seconds(1))
        let pings = try pingsWritten(channel)
        #expect(pings.count == 1)
        try channel.writeInbound(HTTP2Frame(streamID: .rootStream, payload: .ping(pings[0], ack: true)))
        loop.advanceTime(by: .seconds(5))
        #expect(channel.isActive, "an acked ping keeps the connection")
        loop.advanceTime(by: .seconds(5))
        #expect(try pingsWritten(channel).count == 1, "the next ping follows one interval after the ack")
    }

    @Test func closesTheConnectionWhenThePingIsNotAcked() throws {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(handler: KeepaliveHandler(interval: .seconds(10), timeout: .seconds(2)), loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        loop.advanceTime(by: .seconds(10))
        #expect(try pingsWritten(channel).count == 1)
        loop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }
}
