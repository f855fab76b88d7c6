@testable import GRPCRuntime
import NIOCore
import Testing
import TestSupport

/// `FrameBoundaries` (the reset guard's frame follower) reads a frame header in place when it is
/// whole in a chunk and byte by byte when a chunk ends inside it; both must find the same frames.
@Suite struct FrameBoundariesTests {
    /// Random frames (type, flags, payload length), as bytes after `preface` bytes.
    static func stream(_ rng: inout SplitMix64, frames: Int, preface: Int) -> (bytes: [UInt8], frames: [(UInt8, UInt8)]) {
        var bytes = rng.bytes(preface)
        var expected: [(UInt8, UInt8)] = []
        for _ in 0..<frames {
            let length = rng.chance(30) ? 0 : rng.int(1...300)
            let (type, flags) = (UInt8(rng.int(0...9)), rng.byte())
            bytes += [UInt8(length >> 16), UInt8((length >> 8) & 0xff), UInt8(length & 0xff), type, flags]
            bytes += rng.bytes(4)  // stream id
            bytes += rng.bytes(length)
            expected.append((type, flags))
        }
        return (bytes, expected)
    }

    @Test(arguments: [0, 24]) func chunkingDoesNotChangeTheFramesFound(preface: Int) {
        var rng = SplitMix64(seed: 0xF4A3E + UInt64(preface))
        for round in 0..<200 {
            let (bytes, expected) = Self.stream(&rng, frames: rng.int(1...40), preface: preface)
            var boundaries = FrameBoundaries(skipping: preface)
            var found: [(UInt8, UInt8)] = []
            var offset = 0
            while offset < bytes.count {
                // Chunks from 1 byte (every header split) to whole runs of frames.
                let size = min(bytes.count - offset, rng.chance(50) ? rng.int(1...12) : rng.int(1...2_000))
                let chunk = ByteBuffer(bytes: bytes[offset..<offset + size])
                let stop = boundaries.scan(chunk) { type, flags in
                    found.append((type, flags))
                    return false
                }
                #expect(stop == nil)
                offset += size
            }
            #expect(found.map(\.0) == expected.map(\.0) && found.map(\.1) == expected.map(\.1), "round \(round)")
        }
    }

    /// The index returned is just past the frame chosen (its payload included), in the chunk
    /// where that frame ends.
    @Test func aChosenFrameEndsTheScanAfterItsPayload() {
        // HEADERS (5 payload bytes), RST_STREAM (4), PING (8).
        let frames: [UInt8] = [0, 0, 5, 1, 4, 0, 0, 0, 1] + [1, 2, 3, 4, 5]
            + [0, 0, 4, 3, 0, 0, 0, 0, 1] + [0, 0, 0, 8]
            + [0, 0, 8, 6, 0, 0, 0, 0, 0] + [UInt8](repeating: 9, count: 8)
        var whole = FrameBoundaries(skipping: 0)
        #expect(whole.scan(ByteBuffer(bytes: frames)) { type, _ in type == 3 } == 27)
        // The same, cut inside the reset's header and inside its payload.
        var split = FrameBoundaries(skipping: 0)
        #expect(split.scan(ByteBuffer(bytes: frames[0..<17])) { type, _ in type == 3 } == nil)
        #expect(split.scan(ByteBuffer(bytes: frames[17..<25])) { type, _ in type == 3 } == nil)
        #expect(split.scan(ByteBuffer(bytes: frames[25...])) { type, _ in type == 3 } == 2)
    }
}
