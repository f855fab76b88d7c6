@testable import GRPCRuntime
import NIOCore
import ProtoWire
import NIOHPACK
import Testing

@Suite struct TimeoutHeaderTests {
    static let cases: [(String, Int64)] = [
        ("51m", 51_000_000), ("1010m", 1_010_000_000), ("20S", 20_000_000_000), ("3610S", 3_610_000_000_000),
        ("43300M", 43_300 * 60_000_000_000), ("1H", 3_600_000_000_000), ("7u", 7_000), ("99999999n", 99_999_999),
    ]

    @Test(arguments: cases)
    func parsesEveryUnit(text: String, nanoseconds: Int64) {
        #expect(GRPCTimeout.parse(text) == nanoseconds)
    }

    @Test(arguments: ["", "m", "123456789S", "12x", "-1S", "1.5S", " 1S"])
    func rejectsMalformedValues(text: String) {
        #expect(GRPCTimeout.parse(text) == nil)
    }

    @Test func formatsWithTheFinestUnitThatFits() {
        #expect(GRPCTimeout.format(nanoseconds: 50_000_000) == "50000000n")
        #expect(GRPCTimeout.format(nanoseconds: 1_000_000_000) == "1000000u")
        #expect(GRPCTimeout.format(nanoseconds: 200_000_000_000) == "200000m")
        #expect(GRPCTimeout.format(nanoseconds: 1) == "1n")
        // Rounded up, never down: a deadline must not shrink on the wire.
        #expect(GRPCTimeout.format(nanoseconds: 100_000_000_001) == "100001m")
        for n: Int64 in [1, 999, 123_456_789, 98_765_432_100, 7_200_000_000_000] {
            #expect(GRPCTimeout.parse(GRPCTimeout.format(nanoseconds: n))! >= n)
        }
    }
}

@Suite struct StatusMessageTests {
    @Test func percentEncodingRoundTrips() {
        let message = "\t\ntest with whitespace\r\nand Unicode BMP ☺ and non-BMP 😈\t\n % 100%"
        let encoded = PercentEncoding.encode(message)
        #expect(encoded.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E })
        #expect(encoded.hasPrefix("%09%0Atest with whitespace%0D%0Aand Unicode BMP %E2%98%BA"))
        #expect(PercentEncoding.decode(encoded) == message)
    }

    @Test func malformedPercentSequencesAreKept() {
        #expect(PercentEncoding.decode("100% sure %zz %4") == "100% sure %zz %4")
    }
}

@Suite struct MetadataTests {
    @Test func binaryValuesTravelAsUnpaddedBase64() {
        var metadata = Metadata()
        metadata.add("x-trace-bin", binary: [0xAB, 0xAB, 0xAB, 0x01])
        metadata.add("X-Name", "value")
        var headers = HPACKHeaders()
        metadata.write(to: &headers)
        #expect(headers.first(name: "x-trace-bin") == "q6urAQ")
        #expect(headers.first(name: "x-name") == "value")
        #expect(Metadata(headers: headers) == metadata)
    }

    @Test func paddedAndCommaJoinedBinaryValuesDecode() {
        let headers = HPACKHeaders([("a-bin", "q6urAQ==, AAE"), (":path", "/x"), ("grpc-timeout", "1S"), ("te", "trailers")])
        let metadata = Metadata(headers: headers)
        #expect(metadata[binaryValues: "a-bin"] == [[0xAB, 0xAB, 0xAB, 0x01], [0x00, 0x01]])
        #expect(metadata.count == 2, "protocol headers are not metadata")
    }

    @Test func base64RejectsForeignCharacters() {
        #expect(Base64.bytes("q6u*") == nil)
        #expect(Base64.bytes("q6urA") == nil, "one character over a whole group is not base64")
        #expect(Base64.bytes("") == [])
        for length in 0..<10 {
            let bytes = (0..<length).map { UInt8($0 * 37 & 0xFF) }
            let text = Base64.unpaddedString(bytes)
            #expect(!text.hasSuffix("="))
            #expect(Base64.bytes(Substring(text)) == bytes)
        }
    }
}

@Suite struct DeframerTests {
    func framed(_ payloads: [[UInt8]]) -> ByteBuffer {
        var buffer = ByteBuffer()
        for p in payloads {
            buffer.writeInteger(UInt8(0))
            buffer.writeInteger(UInt32(p.count))
            buffer.writeBytes(p)
        }
        return buffer
    }

    @Test func messagesSplitAcrossFramesAndJoinedInOne() throws {
        let all = framed([[1, 2, 3], [], [4]])
        var deframer = MessageDeframer(maximumMessageSize: 100, encoding: nil)
        var got: [[UInt8]] = []
        // One byte at a time: every split point.
        for i in 0..<all.readableBytes {
            deframer.append(all.getSlice(at: i, length: 1)!)
            while let m = try deframer.next() { got.append(Array(m.readableBytesView)) }
        }
        #expect(got == [[1, 2, 3], [], [4]])
        #expect(deframer.isEmpty)
    }

    @Test func oversizedMessagesAreRefusedFromTheHeaderAlone() {
        var deframer = MessageDeframer(maximumMessageSize: 4, encoding: nil)
        var header = ByteBuffer()
        header.writeInteger(UInt8(0))
        header.writeInteger(UInt32(5))
        deframer.append(header)
        #expect(throws: RPCError.self) { try deframer.next() }
    }

    @Test func compressedFlagWithoutEncodingIsAnError() {
        var deframer = MessageDeframer(maximumMessageSize: 100, encoding: nil)
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt8(1))
        buffer.writeInteger(UInt32(1))
        buffer.writeInteger(UInt8(0))
        deframer.append(buffer)
        #expect(throws: RPCError(.internal, "compressed message without a grpc-encoding")) { try deframer.next() }
    }
}
