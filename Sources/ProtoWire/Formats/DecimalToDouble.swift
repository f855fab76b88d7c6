/// Decimal significand and exponent to the nearest `Double`, by Eisel and Lemire's algorithm:
/// one or two 64×64-bit multiplications by a 128-bit approximation of the power of five, exact
/// for all but a vanishing set of inputs, for which it says it cannot decide (and the caller
/// falls back to the C library). `strtod` spends thousands of instructions on a 17-digit number;
/// this, about a hundred.
enum DecimalToDouble {
    static let smallestPowerOfTen = -342
    static let largestPowerOfTen = 308

    /// `w × 10^q` rounded to the nearest `Double` (ties to even), positive; nil when the
    /// algorithm cannot decide. `w` is at most 19 decimal digits.
    static func convert(_ w: UInt64, _ q: Int) -> Double? {
        if w == 0 || q < smallestPowerOfTen { return 0 }
        if q > largestPowerOfTen { return .infinity }
        let lz = w.leadingZeroBitCount
        let w = w << UInt64(lz)
        let index = 2 * (q - smallestPowerOfTen)
        // The product's top 55 bits give the mantissa (52), the implicit bit, a rounding bit
        // and one to spare; a second multiplication refines them when the first leaves them
        // uncertain (all ones below them).
        var (high, low) = w.multipliedFullWidth(by: powersOfFive[index])
        let precisionMask: UInt64 = 0x1FF
        if high & precisionMask == precisionMask {
            let (secondHigh, _) = w.multipliedFullWidth(by: powersOfFive[index + 1])
            let (sum, carry) = low.addingReportingOverflow(secondHigh)
            low = sum
            if carry { high &+= 1 }
            if low == .max && (q < -27 || q > 55) { return nil }
        }
        let upperBit = Int(high >> 63)
        let shift = UInt64(upperBit + 9)
        var mantissa = high >> shift
        // The binary exponent: ⌊q × log2(10)⌋ + 63, from a fixed-point approximation exact over
        // the table's range.
        var power2 = (((152_170 + 65_536) * q) >> 16) + 63 + upperBit - lz + 1023
        if power2 <= 0 {
            // A subnormal result.
            if -power2 + 1 >= 64 { return 0 }
            mantissa >>= UInt64(-power2 + 1)
            mantissa += mantissa & 1
            mantissa >>= 1
            power2 = mantissa < (1 << 52) ? 0 : 1
            return Double(bitPattern: UInt64(power2) << 52 | mantissa & ((1 << 52) - 1))
        }
        // An exact halfway case rounds to even: for these exponents the product is exact when
        // its low bits are zero.
        if low <= 1 && q >= -4 && q <= 23 && mantissa & 3 == 1 && mantissa << shift == high {
            mantissa &= ~1
        }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= (2 << 52) {
            mantissa = 1 << 52
            power2 += 1
        }
        mantissa &= ~(1 << 52)
        if power2 >= 0x7FF { return .infinity }
        return Double(bitPattern: UInt64(power2) << 52 | mantissa)
    }
}
