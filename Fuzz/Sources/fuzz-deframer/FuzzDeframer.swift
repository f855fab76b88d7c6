// The fuzz target: the gRPC message deframer with decompression. The deframer's and the
// compressor's files are linked into this folder from Sources/GRPCRuntime, so this module sees
// their internal types; re-point the links if those files move.
import FuzzSupport
import GeneratedFixtures
import NIOCore
import ProtoWire

private let encodings: [CompressionAlgorithm?] = [nil, .identity, .gzip, .deflate]
private let limits = [0, 1, 64, 4096, 65_536, 4 << 20]

/// Input: one byte choosing the `grpc-encoding` (low 2 bits) and the maximum message size (the
/// rest), one byte seeding how the stream is cut into DATA frames, then the stream itself.
func fuzzDeframer(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: start, count: count)
    guard input.count >= 2 else { return 0 }
    let encoding = encodings[Int(input[0] & 3)]
    let limit = limits[Int(input[0] >> 2) % limits.count]
    var cut = UInt32(input[1]) | 0x100
    let stream = UnsafeRawBufferPointer(rebasing: input[2...])

    var deframer = MessageDeframer(maximumMessageSize: limit, encoding: encoding)
    var offset = 0
    while offset < stream.count {
        // Frames of 1 to 64 bytes, or the rest of the stream when the seed is 0.
        cut ^= cut << 13; cut ^= cut >> 17; cut ^= cut << 5
        let size = input[1] == 0 ? stream.count - offset : min(stream.count - offset, Int(cut % 64) + 1)
        deframer.append(ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: stream[offset..<(offset + size)])))
        offset += size
        do {
            while let (payload, compressed) = try deframer.nextWithFlag() {
                guard payload.readableBytes <= limit else {
                    fuzzFailure("a \(payload.readableBytes)-byte message passed the \(limit)-byte limit")
                }
                checkReframing(payload, compressed: compressed, encoding: encoding)
            }
        } catch {
            // A failed message ends the call: it must say why with a status the peer understands.
            guard error.code == .resourceExhausted || error.code == .internal else {
                fuzzFailure("deframing failed with \(error.code): \(error.message)")
            }
            return 0
        }
    }
    return 0
}

/// Whatever message decodes from a payload is framed again (compressed when the original was)
/// and must come back out of a fresh deframer as the same message.
private func checkReframing(_ payload: ByteBuffer, compressed: Bool, encoding: CompressionAlgorithm?) {
    guard let message = try? Fixtures_Scalars.decode(from: payload) else { return }
    var compressor = encoding.map { MessageCompressor(algorithm: $0) }
    let framed: ByteBuffer
    do {
        framed = try MessageFramer.frame(message, compressor: &compressor, compress: compressed, allocator: .init())
    } catch {
        fuzzFailure("framing a decoded message failed: \(error)")
    }
    var again = MessageDeframer(maximumMessageSize: 1 << 30, encoding: encoding)
    again.append(framed)
    do {
        guard let (bytes, _) = try again.nextWithFlag(), again.isEmpty else {
            fuzzFailure("a framed message did not come back whole")
        }
        guard try Fixtures_Scalars.decode(from: bytes).serializedBytes() == message.serializedBytes() else {
            fuzzFailure("a message changed through framing")
        }
    } catch {
        fuzzFailure("a framed message does not deframe: \(error)")
    }
}
