/// Reads JSON (RFC 8259) from bytes, one token at a time, checking every bound.
///
/// Never traps on bad input: every problem is a `JSONDecodingError` with the byte offset.
/// Objects and arrays may nest `depthLimit` deep; whitespace is the four JSON allows.
struct JSONScanner {
    static let depthLimit = 100

    let base: UnsafeRawPointer
    var cursor: UnsafeRawPointer
    let end: UnsafeRawPointer
    var depth = 0

    init(_ buffer: UnsafeRawBufferPointer) {
        let start = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 0x10)!
        base = start
        cursor = start
        end = start + buffer.count
    }

    var offset: Int { cursor - base }

    func error(_ code: JSONDecodingError.Code, _ message: String? = nil, at position: UnsafeRawPointer? = nil) -> JSONDecodingError {
        JSONDecodingError(code, message: message, offset: (position ?? cursor) - base)
    }

    /// An error for the byte at the cursor: `truncated` at the end of the input.
    func unexpected(_ expected: String) -> JSONDecodingError {
        if cursor >= end { return error(.truncated, "\(expected), found the end of the input") }
        return error(.syntax, "\(expected), found \(describeByte(cursor.load(as: UInt8.self)))")
    }

    // MARK: Whitespace and structure

    @inline(__always)
    mutating func skipWhitespace() {
        while cursor < end {
            let b = cursor.load(as: UInt8.self)
            // Space, tab, line feed, carriage return; nothing else is JSON whitespace.
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            cursor += 1
        }
    }

    /// The next byte after whitespace, not consumed; nil at the end of the input.
    @inline(__always)
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return cursor < end ? cursor.load(as: UInt8.self) : nil
    }

    /// Consumes `byte` if it comes next (after whitespace).
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        if peek() == byte {
            cursor += 1
            return true
        }
        return false
    }

    /// Whether the next value is `null`; consumes it if so.
    mutating func consumeNull() -> Bool {
        skipWhitespace()
        if end - cursor >= 4, cursor.loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x6C6C_756E) {
            cursor += 4
            return true
        }
        return false
    }

    /// Whether the next value is `null`, without consuming it.
    mutating func nextIsNull() -> Bool {
        skipWhitespace()
        return end - cursor >= 4 && cursor.loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x6C6C_756E)
    }

    /// Consumes `{` and enters an object. Returns false for an empty object (`{}` consumed too).
    @inline(__always)
    mutating func enterObject() throws(JSONDecodingError) -> Bool {
        guard consume(UInt8(ascii: "{")) else { throw unexpected("expected an object") }
        try descend()
        if consume(UInt8(ascii: "}")) {
            depth -= 1
            return false
        }
        return true
    }

    /// Consumes `[` and enters an array. Returns false for an empty array (`[]` consumed too).
    mutating func enterArray(_ what: String = "expected an array") throws(JSONDecodingError) -> Bool {
        guard consume(UInt8(ascii: "[")) else { throw unexpected(what) }
        try descend()
        if consume(UInt8(ascii: "]")) {
            depth -= 1
            return false
        }
        return true
    }

    @inline(__always)
    mutating func descend() throws(JSONDecodingError) {
        if depth >= JSONScanner.depthLimit { throw tooDeep() }
        depth += 1
    }

    func tooDeep() -> JSONDecodingError {
        error(.recursionLimitExceeded, "objects and arrays nested more than \(JSONScanner.depthLimit) deep")
    }

    /// After a member: consumes `,` (true: another member follows) or `}` (false: the object ended).
    @inline(__always)
    mutating func nextMember() throws(JSONDecodingError) -> Bool {
        switch peek() {
        case UInt8(ascii: ","):
            cursor += 1
            return true
        case UInt8(ascii: "}"):
            cursor += 1
            depth -= 1
            return false
        default:
            throw unexpected("expected ',' or '}'")
        }
    }

    /// After an element: consumes `,` (true) or `]` (false: the array ended).
    @inline(__always)
    mutating func nextElement() throws(JSONDecodingError) -> Bool {
        switch peek() {
        case UInt8(ascii: ","):
            cursor += 1
            return true
        case UInt8(ascii: "]"):
            cursor += 1
            depth -= 1
            return false
        default:
            throw unexpected("expected ',' or ']'")
        }
    }

    /// Consumes the `:` after a key.
    @inline(__always)
    mutating func expectColon() throws(JSONDecodingError) {
        guard consume(UInt8(ascii: ":")) else { throw unexpected("expected ':' after the key") }
    }

    // MARK: Strings

    /// Reads a string and hands its contents, unescaped, to `body`. The bytes are the input's
    /// own when the string has no escapes, else a temporary copy; they are valid only inside
    /// `body` and are not checked to be UTF-8 (`string()` checks).
    mutating func readString<T>(
        _ body: (UnsafeRawBufferPointer, _ escaped: Bool) throws(JSONDecodingError) -> T
    ) throws(JSONDecodingError) -> T {
        guard peek() == UInt8(ascii: "\"") else { throw unexpected("expected a string") }
        cursor += 1
        let start = cursor
        // Eight bytes at a time: stop at a quote, a backslash or a control character.
        while end - cursor >= 8 {
            let w = cursor.loadUnaligned(as: UInt64.self)
            let quote = w ^ 0x2222_2222_2222_2222
            let slash = w ^ 0x5C5C_5C5C_5C5C_5C5C
            let found = ((quote &- 0x0101_0101_0101_0101) & ~quote
                | (slash &- 0x0101_0101_0101_0101) & ~slash
                | (w &- 0x2020_2020_2020_2020) & ~w) & 0x8080_8080_8080_8080
            if found != 0 {
                cursor += Int(UInt64(littleEndian: found).trailingZeroBitCount >> 3)
                break
            }
            cursor += 8
        }
        while cursor < end {
            let b = cursor.load(as: UInt8.self)
            if b == UInt8(ascii: "\"") {
                let bytes = UnsafeRawBufferPointer(start: start, count: cursor - start)
                cursor += 1
                return try body(bytes, false)
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error(.invalidString, "control character \(describeByte(b)) in a string") }
            cursor += 1
        }
        if cursor >= end { throw error(.truncated, "unterminated string", at: start - 1) }
        // Escapes: unescaped text is never longer than the escaped text, which ends at the
        // first quote not preceded by a backslash.
        var stop = cursor
        while stop < end {
            let b = stop.load(as: UInt8.self)
            if b == UInt8(ascii: "\\") {
                stop += 2
            } else if b == UInt8(ascii: "\"") {
                break
            } else {
                stop += 1
            }
        }
        let capacity = Swift.min(stop, end) - start
        return try withUnsafeTemporaryAllocation(byteCount: Swift.max(capacity, 1), alignment: 1) {
            buffer throws(JSONDecodingError) -> T in
            let out = buffer.baseAddress!
            let prefix = cursor - start
            out.copyMemory(from: start, byteCount: prefix)
            let count = try unescape(into: out + prefix, start: start) + prefix
            return try body(UnsafeRawBufferPointer(start: out, count: count), true)
        }
    }

    /// Copies the rest of a string from the cursor (at a backslash) into `out`, resolving
    /// escapes, and consumes the closing quote. Returns the number of bytes written.
    private mutating func unescape(into out: UnsafeMutableRawPointer, start: UnsafeRawPointer) throws(JSONDecodingError) -> Int {
        var o = 0
        while true {
            guard cursor < end else { throw error(.truncated, "unterminated string", at: start - 1) }
            let b = cursor.load(as: UInt8.self)
            if b == UInt8(ascii: "\"") {
                cursor += 1
                return o
            }
            if b < 0x20 { throw error(.invalidString, "control character \(describeByte(b)) in a string") }
            if b != UInt8(ascii: "\\") {
                out.storeBytes(of: b, toByteOffset: o, as: UInt8.self)
                o += 1
                cursor += 1
                continue
            }
            let escapeStart = cursor
            cursor += 1
            guard cursor < end else { throw error(.truncated, "unterminated escape", at: escapeStart) }
            let e = cursor.load(as: UInt8.self)
            cursor += 1
            let simple: UInt8
            switch e {
            case UInt8(ascii: "\""): simple = 0x22
            case UInt8(ascii: "\\"): simple = 0x5C
            case UInt8(ascii: "/"): simple = 0x2F
            case UInt8(ascii: "b"): simple = 0x08
            case UInt8(ascii: "f"): simple = 0x0C
            case UInt8(ascii: "n"): simple = 0x0A
            case UInt8(ascii: "r"): simple = 0x0D
            case UInt8(ascii: "t"): simple = 0x09
            case UInt8(ascii: "u"):
                var scalar = try hex4(escapeStart)
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate must be followed by an escaped low surrogate.
                    guard end - cursor >= 2, cursor.load(as: UInt8.self) == UInt8(ascii: "\\"),
                          cursor.load(fromByteOffset: 1, as: UInt8.self) == UInt8(ascii: "u")
                    else { throw error(.invalidString, "unpaired surrogate \\u\(hexString(scalar))", at: escapeStart) }
                    cursor += 2
                    let low = try hex4(escapeStart)
                    guard low >= 0xDC00 && low < 0xE000 else {
                        throw error(.invalidString, "unpaired surrogate \\u\(hexString(scalar))", at: escapeStart)
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw error(.invalidString, "unpaired surrogate \\u\(hexString(scalar))", at: escapeStart)
                }
                o += writeUTF8(scalar, to: out + o)
                continue
            default:
                throw error(.invalidString, "invalid escape \\\(describeEscape(e))", at: escapeStart)
            }
            out.storeBytes(of: simple, toByteOffset: o, as: UInt8.self)
            o += 1
        }
    }

    /// Four hex digits after `\u`.
    private mutating func hex4(_ escapeStart: UnsafeRawPointer) throws(JSONDecodingError) -> UInt32 {
        guard end - cursor >= 4 else { throw error(.truncated, "unterminated \\u escape", at: escapeStart) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let d = hexDigitValue(cursor.load(as: UInt8.self))
            guard d < 16 else { throw error(.invalidString, "invalid \\u escape", at: escapeStart) }
            v = v << 4 | UInt32(d)
            cursor += 1
        }
        return v
    }

    /// Consumes the string `"name"` (no escapes) if it comes next, at the cursor (whitespace
    /// skipped already).
    @inline(__always)
    mutating func consumeKey(_ name: UnsafeRawBufferPointer) -> Bool {
        let n = name.count
        guard end - cursor >= n &+ 2, cursor.load(as: UInt8.self) == UInt8(ascii: "\""),
              (cursor + 1 + n).load(as: UInt8.self) == UInt8(ascii: "\""),
              n == 0 || bytesEqual(cursor + 1, name.baseAddress!, n)
        else { return false }
        cursor += n &+ 2
        return true
    }

    /// Reads a string as a `String`, which must be UTF-8.
    mutating func string() throws(JSONDecodingError) -> String {
        _ = peek()
        let start = offset
        return try readString { bytes, _ throws(JSONDecodingError) -> String in
            guard let s = UTF8Validation.string(bytes) else {
                throw JSONDecodingError(.invalidString, message: "string is not valid UTF-8", offset: start)
            }
            return s
        }
    }

    // MARK: Numbers and literals

    /// Reads a number (`-`, digits without leading zeros, optional fraction and exponent).
    mutating func number() throws(JSONDecodingError) -> DecimalNumber {
        skipWhitespace()
        let start = cursor
        guard let (n, stop) = JSONScanner.parseNumber(cursor, end) else {
            if cursor < end, cursor.load(as: UInt8.self) == UInt8(ascii: "-") || isDigit(cursor.load(as: UInt8.self)) {
                throw error(.invalidNumber, "malformed number", at: start)
            }
            throw unexpected("expected a number")
        }
        cursor = stop
        return n
    }

    /// A plain integer at the cursor (after whitespace): `-`, digits without a leading zero,
    /// not followed by a fraction or an exponent, that fits in 64 bits: its sign and magnitude.
    /// Nil, with nothing consumed, for anything else, which `number()` then reads (and judges).
    @inline(__always)
    mutating func plainInteger() -> (negative: Bool, magnitude: UInt64)? {
        var p = cursor
        var negative = false
        if p < end, p.load(as: UInt8.self) == UInt8(ascii: "-") {
            negative = true
            p += 1
        }
        let start = p
        var value: UInt64 = 0
        while p < end {
            let d = p.load(as: UInt8.self) &- 48
            if d >= 10 { break }
            if p - start >= 19 {
                // The 20th digit may overflow.
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(d))
                if o1 || o2 || p - start >= 20 { return nil }
                value = a
            } else {
                value = value &* 10 &+ UInt64(d)
            }
            p += 1
        }
        let count = p - start
        if count == 0 || (count > 1 && start.load(as: UInt8.self) == UInt8(ascii: "0")) { return nil }
        if p < end {
            let b = p.load(as: UInt8.self)
            if b == UInt8(ascii: ".") || b | 0x20 == UInt8(ascii: "e") { return nil }
        }
        cursor = p
        return (negative, value)
    }

    /// `plainInteger()` in quotes (64-bit integers are written as strings): `"-12"`.
    @inline(__always)
    mutating func plainQuotedInteger() -> (negative: Bool, magnitude: UInt64)? {
        guard cursor < end, cursor.load(as: UInt8.self) == UInt8(ascii: "\"") else { return nil }
        let start = cursor
        cursor += 1
        if let v = plainInteger(), cursor < end, cursor.load(as: UInt8.self) == UInt8(ascii: "\"") {
            cursor += 1
            return v
        }
        cursor = start
        return nil
    }

    private static let exactPowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// A plain decimal number at the cursor (after whitespace) with at most 19 significant
    /// digits and no exponent, read exactly: up to 15 digits a 53-bit significand divided by an
    /// exact power of ten (correctly rounded), beyond that `DecimalToDouble`. Nil, with nothing
    /// consumed, for anything else.
    @inline(__always)
    mutating func plainDouble() -> Double? {
        var p = cursor
        var negative = false
        if p < end, p.load(as: UInt8.self) == UInt8(ascii: "-") {
            negative = true
            p += 1
        }
        let start = p
        var significand: UInt64 = 0
        var digits = 0
        var significant = 0
        while p < end {
            let d = p.load(as: UInt8.self) &- 48
            if d >= 10 { break }
            significand = significand &* 10 &+ UInt64(d)
            digits &+= 1
            if significand != 0 { significant &+= 1 }
            p += 1
        }
        if digits == 0 || (digits > 1 && start.load(as: UInt8.self) == UInt8(ascii: "0")) { return nil }
        var scale = 0
        if p < end, p.load(as: UInt8.self) == UInt8(ascii: ".") {
            p += 1
            let fraction = p
            while p < end {
                let d = p.load(as: UInt8.self) &- 48
                if d >= 10 { break }
                significand = significand &* 10 &+ UInt64(d)
                if significand != 0 { significant &+= 1 }
                p += 1
            }
            scale = p - fraction
            if scale == 0 { return nil }
        }
        if significant > 19 { return nil }
        if p < end, p.load(as: UInt8.self) | 0x20 == UInt8(ascii: "e") { return nil }
        let magnitude: Double
        if significant <= 15 && scale <= 22 {
            magnitude = Double(significand) / JSONScanner.exactPowers[scale]
        } else {
            guard let d = DecimalToDouble.convert(significand, -scale) else { return nil }
            magnitude = d
        }
        cursor = p
        return negative ? -magnitude : magnitude
    }

    /// Parses a JSON number starting at `p`; nil when the bytes there are not one. Returns the
    /// number and the first byte after it.
    static func parseNumber(_ p: UnsafeRawPointer, _ end: UnsafeRawPointer) -> (DecimalNumber, UnsafeRawPointer)? {
        var q = p
        var negative = false
        if q < end, q.load(as: UInt8.self) == UInt8(ascii: "-") {
            negative = true
            q += 1
        }
        let intStart = q
        guard q < end, isDigit(q.load(as: UInt8.self)) else { return nil }
        if q.load(as: UInt8.self) == UInt8(ascii: "0") {
            q += 1
            // No leading zeros: "01" is not a number.
            if q < end, isDigit(q.load(as: UInt8.self)) { return nil }
        } else {
            while q < end, isDigit(q.load(as: UInt8.self)) { q += 1 }
        }
        let integerDigits = UnsafeRawBufferPointer(start: intStart, count: q - intStart)
        var fractionDigits = UnsafeRawBufferPointer(start: q, count: 0)
        if q < end, q.load(as: UInt8.self) == UInt8(ascii: ".") {
            q += 1
            let f = q
            while q < end, isDigit(q.load(as: UInt8.self)) { q += 1 }
            if q == f { return nil }
            fractionDigits = UnsafeRawBufferPointer(start: f, count: q - f)
        }
        var exponent = 0
        if q < end, q.load(as: UInt8.self) | 0x20 == UInt8(ascii: "e") {
            q += 1
            var expNegative = false
            if q < end, q.load(as: UInt8.self) == UInt8(ascii: "+") || q.load(as: UInt8.self) == UInt8(ascii: "-") {
                expNegative = q.load(as: UInt8.self) == UInt8(ascii: "-")
                q += 1
            }
            let e = q
            while q < end, isDigit(q.load(as: UInt8.self)) {
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(q.load(as: UInt8.self) - 48) }
                q += 1
            }
            if q == e { return nil }
            if expNegative { exponent = -exponent }
        }
        let number = DecimalNumber(
            text: UnsafeRawBufferPointer(start: p, count: q - p), negative: negative,
            integerDigits: integerDigits, fractionDigits: fractionDigits, exponent: exponent)
        return (number, q)
    }

    /// Consumes `true` or `false`; nil (nothing consumed) when neither comes next.
    mutating func bool() -> Bool? {
        skipWhitespace()
        if end - cursor >= 4, cursor.loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x6575_7274) {
            cursor += 4
            return true
        }
        if end - cursor >= 5, cursor.loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x736C_6166),
           cursor.load(fromByteOffset: 4, as: UInt8.self) == UInt8(ascii: "e") {
            cursor += 5
            return false
        }
        return nil
    }

    // MARK: Skipping

    /// Skips one value of any kind, checking its syntax.
    mutating func skipValue() throws(JSONDecodingError) {
        switch peek() {
        case UInt8(ascii: "{"):
            guard try enterObject() else { return }
            repeat {
                try readString { _, _ throws(JSONDecodingError) in }
                try expectColon()
                try skipValue()
            } while try nextMember()
        case UInt8(ascii: "["):
            guard try enterArray() else { return }
            repeat {
                try skipValue()
            } while try nextElement()
        case UInt8(ascii: "\""):
            try readString { _, _ throws(JSONDecodingError) in }
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            guard bool() != nil else { throw unexpected("expected a value") }
        case UInt8(ascii: "n"):
            guard consumeNull() else { throw unexpected("expected a value") }
        default:
            _ = try number()
        }
    }
}

@inline(__always)
func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }

/// 0–15 for a hex digit, 16 or more for anything else.
@inline(__always)
func hexDigitValue(_ b: UInt8) -> UInt8 {
    if b &- 48 < 10 { return b &- 48 }
    let lower = b | 0x20
    if lower &- 97 < 6 { return lower &- 87 }
    return 16
}

/// Writes `scalar` (≤ 0x10FFFF, not a surrogate) as UTF-8; returns the byte count.
@inline(__always)
func writeUTF8(_ scalar: UInt32, to out: UnsafeMutableRawPointer) -> Int {
    if scalar < 0x80 {
        out.storeBytes(of: UInt8(scalar), as: UInt8.self)
        return 1
    }
    if scalar < 0x800 {
        out.storeBytes(of: UInt8(0xC0 | scalar >> 6), as: UInt8.self)
        out.storeBytes(of: UInt8(0x80 | scalar & 0x3F), toByteOffset: 1, as: UInt8.self)
        return 2
    }
    if scalar < 0x10000 {
        out.storeBytes(of: UInt8(0xE0 | scalar >> 12), as: UInt8.self)
        out.storeBytes(of: UInt8(0x80 | scalar >> 6 & 0x3F), toByteOffset: 1, as: UInt8.self)
        out.storeBytes(of: UInt8(0x80 | scalar & 0x3F), toByteOffset: 2, as: UInt8.self)
        return 3
    }
    out.storeBytes(of: UInt8(0xF0 | scalar >> 18), as: UInt8.self)
    out.storeBytes(of: UInt8(0x80 | scalar >> 12 & 0x3F), toByteOffset: 1, as: UInt8.self)
    out.storeBytes(of: UInt8(0x80 | scalar >> 6 & 0x3F), toByteOffset: 2, as: UInt8.self)
    out.storeBytes(of: UInt8(0x80 | scalar & 0x3F), toByteOffset: 3, as: UInt8.self)
    return 4
}

func hexString(_ v: UInt32) -> String {
    let s = String(v, radix: 16, uppercase: true)
    return String(repeating: "0", count: Swift.max(0, 4 - s.count)) + s
}

/// A byte for an error message: `'x'`, or `0x0A` when it is not printable ASCII.
func describeByte(_ b: UInt8) -> String {
    if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
    return "0x" + String(b, radix: 16, uppercase: true)
}

private func describeEscape(_ b: UInt8) -> String {
    b >= 0x21 && b < 0x7F ? String(Character(Unicode.Scalar(b))) : "0x" + String(b, radix: 16, uppercase: true)
}
