import ProtoWire
import Testing

/// The ASCII fast path reads eight bytes at a time: a non-ASCII byte must be seen at every
/// position and length, including the tail that is read byte by byte.
@Suite struct UTF8ValidationTests {
    @Test func everyPositionOfAnInvalidByteIsSeen() {
        for length in 1..<40 {
            for position in 0..<length {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                bytes[position] = 0xFF
                let result = bytes.withUnsafeBytes { UTF8Validation.string($0) }
                #expect(result == nil, "0xFF at \(position) of \(length)")
            }
        }
    }

    @Test func asciiAndMultiByteTextDecodeUnchanged() {
        for text in ["", "a", "exactly8", "sixteen-bytes-xx", "café", "日本語のテキスト", "emoji 😈 at the end", String(repeating: "x", count: 1000)] {
            let result = Array(text.utf8).withUnsafeBytes { UTF8Validation.string($0) }
            #expect(result == text)
        }
    }
}
