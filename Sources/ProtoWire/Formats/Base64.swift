#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Base64 for `bytes` fields in JSON (and, through the package-level entry points below, for
/// gRPC's `-bin` metadata): the standard alphabet with padding on output; on input the standard
/// and the URL-safe alphabets, with or without padding (RFC 4648 §4 and §5).
package enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// Each byte's six-bit value in either alphabet; 0xFF for bytes that are in neither.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// The encoded length of `count` bytes.
    static func encodedCount(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// Appends `bytes` in the standard alphabet, padded.
    static func encode(_ bytes: UnsafeRawBufferPointer, into out: inout OutputBuffer) {
        let n = bytes.count
        guard n > 0, let src = bytes.baseAddress else { return }
        out.write(upTo: encodedCount(n)) { p in
            alphabet.withUnsafeBufferPointer { a in
                var i = 0, o = 0
                while i + 3 <= n {
                    let v = UInt32(src.load(fromByteOffset: i, as: UInt8.self)) << 16
                        | UInt32(src.load(fromByteOffset: i + 1, as: UInt8.self)) << 8
                        | UInt32(src.load(fromByteOffset: i + 2, as: UInt8.self))
                    p[o] = a[Int(v >> 18)]
                    p[o + 1] = a[Int(v >> 12 & 63)]
                    p[o + 2] = a[Int(v >> 6 & 63)]
                    p[o + 3] = a[Int(v & 63)]
                    i += 3
                    o += 4
                }
                let rest = n - i
                if rest > 0 {
                    var v = UInt32(src.load(fromByteOffset: i, as: UInt8.self)) << 16
                    if rest == 2 { v |= UInt32(src.load(fromByteOffset: i + 1, as: UInt8.self)) << 8 }
                    p[o] = a[Int(v >> 18)]
                    p[o + 1] = a[Int(v >> 12 & 63)]
                    p[o + 2] = rest == 2 ? a[Int(v >> 6 & 63)] : UInt8(ascii: "=")
                    p[o + 3] = UInt8(ascii: "=")
                    o += 4
                }
                return o
            }
        }
    }

    /// Decodes `text` (either alphabet, padding optional but correct when present); nil when it
    /// is not base64: a byte outside both alphabets, padding in the middle or of the wrong
    /// length, or a length that leaves a single character over. Bits of the last character
    /// beyond the last whole byte are ignored, as other implementations do (`"-_"` is `0xFB`).
    static func decode(_ text: UnsafeRawBufferPointer) -> Data? {
        var n = text.count
        var padding = 0
        while n > 0, padding < 2, text[n - 1] == UInt8(ascii: "=") {
            n -= 1
            padding += 1
        }
        let rest = n % 4
        if rest == 1 { return nil }
        if padding > 0 && (n + padding) % 4 != 0 { return nil }
        let size = n / 4 * 3 + (rest == 0 ? 0 : rest - 1)
        if size == 0 { return Data() }
        // Decoded into temporary memory, then copied into the `Data` once: filling a
        // `Data(count:)` in place went through its exclusivity checks and zero-filling.
        return withUnsafeTemporaryAllocation(byteCount: size, alignment: 1) { buffer -> Data? in
            let o = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let ok = values.withUnsafeBufferPointer { table -> Bool in
                var i = 0, j = 0
                while i + 4 <= n {
                    let a = table[Int(text[i])], b = table[Int(text[i + 1])], c = table[Int(text[i + 2])], d = table[Int(text[i + 3])]
                    if (a | b | c | d) & 0xC0 != 0 { return false }
                    let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    o[j] = UInt8(truncatingIfNeeded: v >> 16)
                    o[j + 1] = UInt8(truncatingIfNeeded: v >> 8)
                    o[j + 2] = UInt8(truncatingIfNeeded: v)
                    i += 4
                    j += 3
                }
                if rest >= 2 {
                    let a = table[Int(text[i])], b = table[Int(text[i + 1])]
                    let c = rest == 3 ? table[Int(text[i + 2])] : 0
                    if (a | b | c) & 0xC0 != 0 { return false }
                    let v = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                    o[j] = UInt8(truncatingIfNeeded: v >> 16)
                    if rest == 3 { o[j + 1] = UInt8(truncatingIfNeeded: v >> 8) }
                }
                return true
            }
            return ok ? Data(bytes: o, count: size) : nil
        }
    }
}

extension Base64 {
    /// `bytes` as gRPC's `-bin` metadata values are written: the standard alphabet, unpadded.
    package static func unpaddedString(_ bytes: [UInt8]) -> String {
        var out = OutputBuffer(capacity: encodedCount(bytes.count))
        defer { out.free() }
        bytes.withUnsafeBytes { encode($0, into: &out) }
        var end = out.count
        while end > 0, out.base[end - 1] == UInt8(ascii: "=") { end -= 1 }
        out.truncate(to: end)
        return out.makeString()
    }

    /// The bytes of a `-bin` metadata value (either alphabet, padded or not); nil when it is not
    /// base64.
    package static func bytes(_ text: Substring) -> [UInt8]? {
        var text = text
        let data = text.withUTF8 { decode(UnsafeRawBufferPointer($0)) }
        return data.map { [UInt8]($0) }
    }
}
