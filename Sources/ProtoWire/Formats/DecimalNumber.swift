/// A decimal number as written in text (`-12.50e3`), split into its parts, with exact
/// conversions: to an integer when its value is whole (`1e3`, `100.000`), and to the nearest
/// `Double`.
///
/// The JSON reader and the text-format parser scan the syntax; this holds what they found.
struct DecimalNumber {
    /// The text of the whole number, for the slow path of `double()`.
    var text: UnsafeRawBufferPointer
    var negative: Bool
    /// The digits before the point (possibly empty) and after it (possibly empty).
    var integerDigits: UnsafeRawBufferPointer
    var fractionDigits: UnsafeRawBufferPointer
    /// The exponent after `e`, clamped to ±1,000,000 (beyond that every result is 0 or out of range).
    var exponent: Int

    enum IntegerProblem: Error {
        /// The value has a fractional part.
        case notInteger
        /// The value does not fit in 64 bits.
        case overflow
    }

    /// The magnitude when the value is a whole number that fits in `UInt64`.
    func integerMagnitude() throws(IntegerProblem) -> UInt64 {
        if fractionDigits.isEmpty && exponent == 0 {
            // Plain digits, the common case: up to 19 cannot overflow.
            guard let p = integerDigits.baseAddress else { return 0 }
            let n = integerDigits.count
            var value: UInt64 = 0
            if n <= 19 {
                for i in 0..<n { value = value &* 10 &+ UInt64(p.load(fromByteOffset: i, as: UInt8.self) &- 48) }
                return value
            }
        }
        // All significant digits (the integer part's, then the fraction's), without leading and
        // trailing zeros, and the power of ten they are scaled by.
        let total = integerDigits.count + fractionDigits.count
        func digit(_ i: Int) -> UInt8 {
            i < integerDigits.count ? integerDigits[i] : fractionDigits[i - integerDigits.count]
        }
        var first = 0
        while first < total, digit(first) == UInt8(ascii: "0") { first += 1 }
        var last = total
        var scale = exponent - fractionDigits.count
        while last > first, digit(last - 1) == UInt8(ascii: "0") {
            last -= 1
            scale += 1
        }
        if first == last { return 0 }
        if scale < 0 { throw .notInteger }
        if last - first + scale > 20 { throw .overflow }
        var value: UInt64 = 0
        for i in first..<last {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(digit(i) &- 48))
            if o1 || o2 { throw .overflow }
            value = a
        }
        for _ in 0..<scale {
            let (m, o) = value.multipliedReportingOverflow(by: 10)
            if o { throw .overflow }
            value = m
        }
        return value
    }

    /// The whole value as an `Int64`, or the problem.
    func int64() throws(IntegerProblem) -> Int64 {
        let m = try integerMagnitude()
        if negative {
            if m > UInt64(Int64.max) + 1 { throw .overflow }
            return m == UInt64(Int64.max) + 1 ? Int64.min : -Int64(m)
        }
        if m > UInt64(Int64.max) { throw .overflow }
        return Int64(m)
    }

    /// The whole value as a `UInt64` (`-0` is 0), or the problem.
    func uint64() throws(IntegerProblem) -> UInt64 {
        let m = try integerMagnitude()
        if negative && m != 0 { throw .overflow }
        return m
    }

    private static let exactPowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The nearest `Double` (correctly rounded; ±infinity beyond the range).
    func double() -> Double {
        // Exact when the digits fit in a double's 53 bits and the power of ten is exact too
        // (Clinger's fast path); up to 19 significant digits by `DecimalToDouble`; otherwise
        // the C library's correctly rounded conversion.
        var significand: UInt64 = 0
        var significant = 0
        for b in integerDigits {
            significand = significand &* 10 &+ UInt64(b &- 48)
            if significand != 0 { significant &+= 1 }
        }
        for b in fractionDigits {
            significand = significand &* 10 &+ UInt64(b &- 48)
            if significand != 0 { significant &+= 1 }
        }
        if significant <= 19 {
            let scale = exponent - fractionDigits.count
            if significant <= 15 && scale >= -22 && scale <= 22 {
                var d = Double(significand)
                if scale >= 0 { d *= DecimalNumber.exactPowers[scale] } else { d /= DecimalNumber.exactPowers[-scale] }
                return negative ? -d : d
            }
            if let d = DecimalToDouble.convert(significand, scale) { return negative ? -d : d }
        }
        let string = String(decoding: text, as: UTF8.self)
        return Double(string) ?? (negative ? -.infinity : .infinity)
    }
}
