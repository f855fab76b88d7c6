// Numbers as text, for the JSON writer and the text-format printer: integers in decimal,
// floating-point values in the shortest form that reads back to the same value.

extension OutputBuffer {
    /// Two decimal digits per entry, "00" to "99".
    private static let digitPairs: [UInt8] = Array("00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899".utf8)

    /// Appends `value` in decimal.
    mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            append(UInt8(truncatingIfNeeded: value) &+ 48)
            return
        }
        var digits = 1
        var v = value
        while v >= 10_000 { v /= 10_000; digits &+= 4 }
        while v >= 10 { v /= 10; digits &+= 1 }
        write(upTo: digits) { p in
            var v = value
            var i = digits
            OutputBuffer.digitPairs.withUnsafeBufferPointer { pairs in
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
            }
            return digits
        }
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
        appendShortest(value.description)
    }

    /// Appends a finite `value` in the shortest decimal form that reads back as the same `Float`.
    mutating func appendShortest(_ value: Float) {
        appendShortest(value.description)
    }

    private mutating func appendShortest(_ text: String) {
        let start = count
        append(text)
        // "100.0" → "100"; Swift writes no ".0" before an exponent ("1e+16").
        if count - start >= 2, base[count - 1] == UInt8(ascii: "0"), base[count - 2] == UInt8(ascii: ".") {
            truncate(to: count - 2)
        }
    }
}
