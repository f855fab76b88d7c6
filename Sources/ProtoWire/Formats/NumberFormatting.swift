// Numbers as text, for the JSON writer and the text-format printer: integers in decimal,
// floating-point values in the shortest form that reads back to the same value.

extension OutputBuffer {
    /// Two decimal digits per entry, "00" to "99" (a `StaticString`: no reference counting).
    private static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// Appends `value` in decimal.
    mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            append(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        let digits = OutputBuffer.decimalDigitCount(value)
        write(upTo: digits) { p in
            var v = value
            var i = digits
            let pairs = OutputBuffer.digitPairs.utf8Start
            while v >= 100 {
                let r = Int(v % 100)
                v /= 100
                i &-= 2
                p[i] = pairs[r &* 2]
                p[i &+ 1] = pairs[r &* 2 &+ 1]
            }
            if v >= 10 {
                let r = Int(v)
                p[0] = pairs[r &* 2]
                p[1] = pairs[r &* 2 &+ 1]
            } else {
                p[0] = UInt8(truncatingIfNeeded: v) &+ 48
            }
            return digits
        }
    }

    /// The number of decimal digits of `v`, by comparisons against constants.
    @inline(__always)
    static func decimalDigitCount(_ v: UInt64) -> Int {
        if v < 100_000_000 {
            if v < 10_000 { return v < 100 ? (v < 10 ? 1 : 2) : (v < 1000 ? 3 : 4) }
            return v < 1_000_000 ? (v < 100_000 ? 5 : 6) : (v < 10_000_000 ? 7 : 8)
        }
        if v < 10_000_000_000_000_000 {
            if v < 1_000_000_000_000 {
                return v < 10_000_000_000 ? (v < 1_000_000_000 ? 9 : 10) : (v < 100_000_000_000 ? 11 : 12)
            }
            return v < 100_000_000_000_000 ? (v < 10_000_000_000_000 ? 13 : 14)
                : (v < 1_000_000_000_000_000 ? 15 : 16)
        }
        return v < 1_000_000_000_000_000_000 ? (v < 100_000_000_000_000_000 ? 17 : 18)
            : (v < 10_000_000_000_000_000_000 ? 19 : 20)
    }

    /// Appends `value` in decimal, with a `-` when negative.
    mutating func appendDecimal(_ value: Int64) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            appendDecimal(value.magnitude)
        } else {
            appendDecimal(UInt64(value))
        }
    }

    /// Appends a finite `value` in the shortest decimal form that reads back as the same
    /// `Double` (Swift's own shortest-digits conversion), without the `.0` Swift gives integral
    /// values: `1`, `0.1`, `1e+16`, `5e-324`, `-0`.
    mutating func appendShortest(_ value: Double) {
        let start = count
        var stream = OutputStream(buffer: self)
        value.write(to: &stream)
        self = stream.buffer
        dropPointZero(after: start)
    }

    /// Appends a finite `value` in the shortest decimal form that reads back as the same `Float`.
    mutating func appendShortest(_ value: Float) {
        let start = count
        var stream = OutputStream(buffer: self)
        value.write(to: &stream)
        self = stream.buffer
        dropPointZero(after: start)
    }

    /// "100.0" → "100"; Swift writes no ".0" before an exponent ("1e+16").
    private mutating func dropPointZero(after start: Int) {
        if count - start >= 2, base[count - 1] == UInt8(ascii: "0"), base[count - 2] == UInt8(ascii: ".") {
            truncate(to: count - 2)
        }
    }

    /// The buffer as a text stream. The standard library writes numbers to a stream through
    /// `_writeASCII` straight from its own digit buffer; `description` would make a `String`
    /// (an allocation for 16 characters or more) to copy from.
    private struct OutputStream: TextOutputStream {
        var buffer: OutputBuffer

        mutating func write(_ string: String) {
            buffer.append(string)
        }

        mutating func _writeASCII(_ ascii: UnsafeBufferPointer<UInt8>) {
            buffer.append(UnsafeRawBufferPointer(ascii))
        }
    }
}
