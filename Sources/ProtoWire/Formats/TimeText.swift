// google.protobuf.Timestamp as RFC 3339 text (`1972-01-01T10:00:20.021Z`) and
// google.protobuf.Duration as seconds with a suffix (`-1.5s`), both ways, with the range checks
// the JSON mapping requires. Dates are proleptic Gregorian, computed with integer arithmetic.

enum TimeText {
    static let minTimestampSeconds: Int64 = -62_135_596_800  // 0001-01-01T00:00:00Z
    static let maxTimestampSeconds: Int64 = 253_402_300_799  // 9999-12-31T23:59:59Z
    static let maxDurationSeconds: Int64 = 315_576_000_000

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date `days` after 1970-01-01.
    static func date(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(_ month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Appends `seconds`/`nanos` as RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits; false (and
    /// nothing appended) when outside 0001-01-01T00:00:00Z … 9999-12-31T23:59:59.999999999Z or
    /// when `nanos` is not in 0 … 999,999,999.
    static func appendTimestamp(seconds: Int64, nanos: Int32, to out: inout OutputBuffer) -> Bool {
        guard seconds >= minTimestampSeconds, seconds <= maxTimestampSeconds, nanos >= 0, nanos < 1_000_000_000 else {
            return false
        }
        let dayCount = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - dayCount * 86400
        let (year, month, day) = date(days: dayCount)
        appendDigits(year, 4, &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(month, 2, &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(day, 2, &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, 2, &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, 2, &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, 2, &out)
        appendFraction(Int64(nanos), &out)
        out.append(UInt8(ascii: "Z"))
        return true
    }

    /// `.ddd`, `.dddddd` or `.ddddddddd`: the fewest of those that show `nanos` exactly; nothing for 0.
    static func appendFraction(_ nanos: Int64, _ out: inout OutputBuffer) {
        guard nanos != 0 else { return }
        out.append(UInt8(ascii: "."))
        if nanos % 1_000_000 == 0 {
            appendDigits(nanos / 1_000_000, 3, &out)
        } else if nanos % 1000 == 0 {
            appendDigits(nanos / 1000, 6, &out)
        } else {
            appendDigits(nanos, 9, &out)
        }
    }

    static func appendDigits(_ value: Int64, _ width: Int, _ out: inout OutputBuffer) {
        out.write(upTo: width) { p in
            var v = value
            for i in stride(from: width - 1, through: 0, by: -1) {
                p[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
                v /= 10
            }
            return width
        }
    }

    /// Parses RFC 3339 (`2017-01-15T01:30:15.01Z`, `1970-01-01T08:00:01+08:00`): a four-digit
    /// year, up to nine fraction digits, `Z` or an offset, uppercase `T` and `Z`. Nil when the
    /// text is not that or the instant is outside 0001–9999.
    static func parseTimestamp(_ text: UnsafeRawBufferPointer) -> (seconds: Int64, nanos: Int32)? {
        var i = 0
        let n = text.count
        func digits(_ count: Int) -> Int64? {
            guard n - i >= count else { return nil }
            var v: Int64 = 0
            for _ in 0..<count {
                let b = text[i]
                guard isDigit(b) else { return nil }
                v = v * 10 + Int64(b - 48)
                i += 1
            }
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < n, text[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
              let day = digits(2), expect(UInt8(ascii: "T")), let hour = digits(2), expect(UInt8(ascii: ":")),
              let minute = digits(2), expect(UInt8(ascii: ":")), let second = digits(2)
        else { return nil }
        guard year >= 1, month >= 1, month <= 12, day >= 1, day <= daysInMonth(month, year: year),
              hour <= 23, minute <= 59, second <= 59
        else { return nil }
        var nanos: Int64 = 0
        if i < n, text[i] == UInt8(ascii: ".") {
            i += 1
            var count = 0
            while i < n, isDigit(text[i]) {
                guard count < 9 else { return nil }
                nanos = nanos * 10 + Int64(text[i] - 48)
                count += 1
                i += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<9 { nanos *= 10 }
        }
        var offset: Int64 = 0
        guard i < n else { return nil }
        switch text[i] {
        case UInt8(ascii: "Z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = text[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = digits(2), expect(UInt8(ascii: ":")), let om = digits(2), oh <= 23, om <= 59 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        default:
            return nil
        }
        guard i == n else { return nil }
        let seconds = days(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second - offset
        guard seconds >= minTimestampSeconds, seconds <= maxTimestampSeconds else { return nil }
        return (seconds, Int32(nanos))
    }

    /// Appends a duration as `<seconds>[.<fraction>]s` (`1.5s`, `-0.010s`); false (nothing
    /// appended) when beyond ±315,576,000,000 s, `nanos` beyond ±999,999,999, or the two of
    /// different signs.
    static func appendDuration(seconds: Int64, nanos: Int32, to out: inout OutputBuffer) -> Bool {
        guard seconds >= -maxDurationSeconds, seconds <= maxDurationSeconds,
              nanos > -1_000_000_000, nanos < 1_000_000_000,
              !(seconds > 0 && nanos < 0), !(seconds < 0 && nanos > 0)
        else { return false }
        if seconds < 0 || nanos < 0 { out.append(UInt8(ascii: "-")) }
        out.appendDecimal(seconds.magnitude)
        appendFraction(Int64(nanos.magnitude), &out)
        out.append(UInt8(ascii: "s"))
        return true
    }

    /// Parses `-?<digits>[.<1 to 9 digits>]s`; nil when the text is not that or is out of range.
    static func parseDuration(_ text: UnsafeRawBufferPointer) -> (seconds: Int64, nanos: Int32)? {
        let n = text.count
        var i = 0
        var negative = false
        if i < n, text[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var seconds: Int64 = 0
        let start = i
        while i < n, isDigit(text[i]) {
            seconds = seconds * 10 + Int64(text[i] - 48)
            guard seconds <= maxDurationSeconds else { return nil }
            i += 1
        }
        guard i > start else { return nil }
        var nanos: Int64 = 0
        if i < n, text[i] == UInt8(ascii: ".") {
            i += 1
            var count = 0
            while i < n, isDigit(text[i]) {
                guard count < 9 else { return nil }
                nanos = nanos * 10 + Int64(text[i] - 48)
                count += 1
                i += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<9 { nanos *= 10 }
        }
        guard i == n - 1, text[i] == UInt8(ascii: "s") else { return nil }
        return negative ? (-seconds, Int32(-nanos)) : (seconds, Int32(nanos))
    }
}
