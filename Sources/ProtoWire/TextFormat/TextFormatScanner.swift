/// A number literal of the text format, without its sign (a separate token).
struct TextNumber {
    enum Kind {
        /// `123`, `0x7F`, `017`: `value` is exact unless `overflow`.
        case integer(value: UInt64, overflow: Bool)
        /// `1.5`, `.5`, `1e5`, `2f`: the normalized decimal text, for `Double(_:)`.
        case float(String)
    }

    var kind: Kind
    /// The literal as written, for messages and for integers too large for `UInt64` read as floats.
    var text: String
    /// Whether the literal is decimal (so that an overflowing integer can still be read as a float).
    var isDecimal: Bool
}

/// Reads the protobuf text format's tokens from bytes: identifiers, string literals (adjacent
/// ones joined), number literals, punctuation; skips whitespace and `#` comments. Never traps
/// on bad input; errors carry the line and column.
struct TextFormatScanner {
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

    /// An error at `position` (default: the cursor), with its line and column.
    func error(_ code: TextFormatDecodingError.Code, _ message: String, at position: UnsafeRawPointer? = nil) -> TextFormatDecodingError {
        let p = Swift.min(position ?? cursor, end)
        var line = 1
        var lineStart = base
        var q = base
        while q < p {
            if q.load(as: UInt8.self) == 0x0A {
                line += 1
                lineStart = q + 1
            }
            q += 1
        }
        return TextFormatDecodingError(code, message: message, line: line, column: p - lineStart + 1, offset: p - base)
    }

    /// An error naming what was expected and the token found instead.
    func unexpected(_ expected: String) -> TextFormatDecodingError {
        if cursor >= end { return error(.truncated, "\(expected), found the end of the input") }
        return error(.syntax, "\(expected), found \(describeNext())")
    }

    /// The token at the cursor, for messages: `"x"`, `'{'`, `123`.
    func describeNext() -> String {
        guard cursor < end else { return "the end of the input" }
        let b = cursor.load(as: UInt8.self)
        if isIdentifierStart(b) || isDigit(b) || b == UInt8(ascii: ".") {
            var q = cursor
            while q < end, isIdentifierPart(q.load(as: UInt8.self)) || q.load(as: UInt8.self) == UInt8(ascii: ".") { q += 1 }
            return "\"" + String(decoding: UnsafeRawBufferPointer(start: cursor, count: Swift.min(q - cursor, 40)), as: UTF8.self) + "\""
        }
        if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { return "a string" }
        return describeByte(b)
    }

    // MARK: Whitespace, comments, punctuation

    /// Skips whitespace (space, tab, line feed, carriage return, vertical tab, form feed) and
    /// comments from `#` to the end of the line.
    mutating func skipIgnored() {
        while cursor < end {
            let b = cursor.load(as: UInt8.self)
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                cursor += 1
            } else if b == UInt8(ascii: "#") {
                while cursor < end, cursor.load(as: UInt8.self) != 0x0A { cursor += 1 }
            } else {
                return
            }
        }
    }

    /// The next byte after whitespace and comments; nil at the end.
    mutating func peek() -> UInt8? {
        skipIgnored()
        return cursor < end ? cursor.load(as: UInt8.self) : nil
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        if peek() == byte {
            cursor += 1
            return true
        }
        return false
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(TextFormatDecodingError) {
        guard consume(byte) else { throw unexpected(what) }
    }

    mutating func descend() throws(TextFormatDecodingError) {
        if depth >= TextFormatScanner.depthLimit {
            throw error(.recursionLimitExceeded, "messages nested more than \(TextFormatScanner.depthLimit) deep")
        }
        depth += 1
    }

    // MARK: Identifiers

    /// An identifier (`[A-Za-z_][A-Za-z0-9_]*`) if one comes next; nil (nothing consumed) otherwise.
    mutating func identifier() -> UnsafeRawBufferPointer? {
        guard let b = peek(), isIdentifierStart(b) else { return nil }
        let start = cursor
        cursor += 1
        while cursor < end, isIdentifierPart(cursor.load(as: UInt8.self)) { cursor += 1 }
        return UnsafeRawBufferPointer(start: start, count: cursor - start)
    }

    /// The name between `[` and `]` (already past `[`): an extension's full name, or an `Any`
    /// type URL (`type.googleapis.com/pkg.Msg`). Whitespace and comments may separate the parts.
    mutating func bracketedName() throws(TextFormatDecodingError) -> String {
        var name: [UInt8] = []
        while true {
            guard let b = peek() else { throw unexpected("expected ']'") }
            if b == UInt8(ascii: "]") {
                cursor += 1
                break
            }
            if isIdentifierPart(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "/") || b == UInt8(ascii: "-") {
                name.append(b)
                cursor += 1
            } else {
                throw unexpected("expected a name or ']'")
            }
        }
        guard !name.isEmpty else { throw error(.syntax, "empty name in brackets") }
        return String(decoding: name, as: UTF8.self)
    }

    // MARK: Strings

    /// Whether a string literal comes next.
    mutating func atString() -> Bool {
        let b = peek()
        return b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")
    }

    /// One or more adjacent string literals, joined, with escapes resolved: `\a \b \f \n \r \t
    /// \v \? \\ \' \"`, octal `\NNN`, hex `\xNN`, `\uNNNN` and `\UNNNNNNNN` (Unicode scalars,
    /// no surrogates). The result is bytes; `string` fields check it is UTF-8.
    mutating func stringLiterals() throws(TextFormatDecodingError) -> [UInt8] {
        guard atString() else { throw unexpected("expected a string") }
        var out: [UInt8] = []
        repeat {
            try stringLiteral(into: &out)
        } while atString()
        return out
    }

    private mutating func stringLiteral(into out: inout [UInt8]) throws(TextFormatDecodingError) {
        let open = cursor
        let quote = cursor.load(as: UInt8.self)
        cursor += 1
        while true {
            guard cursor < end else { throw error(.truncated, "unterminated string", at: open) }
            let b = cursor.load(as: UInt8.self)
            if b == quote {
                cursor += 1
                return
            }
            if b == 0x0A { throw error(.invalidString, "line break in a string") }
            if b != UInt8(ascii: "\\") {
                out.append(b)
                cursor += 1
                continue
            }
            let escape = cursor
            cursor += 1
            guard cursor < end else { throw error(.truncated, "unterminated string", at: open) }
            let e = cursor.load(as: UInt8.self)
            cursor += 1
            switch e {
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "?"), UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(e)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var v = UInt32(e - 48)
                for _ in 0..<2 {
                    guard cursor < end, cursor.load(as: UInt8.self) >= 48, cursor.load(as: UInt8.self) <= 55 else { break }
                    v = v * 8 + UInt32(cursor.load(as: UInt8.self) - 48)
                    cursor += 1
                }
                guard v <= 0xFF else { throw error(.invalidString, "octal escape above \\377", at: escape) }
                out.append(UInt8(v))
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                var v: UInt8 = 0
                var digits = 0
                while digits < 2, cursor < end, hexDigitValue(cursor.load(as: UInt8.self)) < 16 {
                    v = v << 4 | hexDigitValue(cursor.load(as: UInt8.self))
                    cursor += 1
                    digits += 1
                }
                guard digits > 0 else { throw error(.invalidString, "\\x without hex digits", at: escape) }
                out.append(v)
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                let count = e == UInt8(ascii: "u") ? 4 : 8
                guard end - cursor >= count else { throw error(.invalidString, "incomplete Unicode escape", at: escape) }
                var v: UInt32 = 0
                for _ in 0..<count {
                    let d = hexDigitValue(cursor.load(as: UInt8.self))
                    guard d < 16 else { throw error(.invalidString, "invalid Unicode escape", at: escape) }
                    v = v << 4 | UInt32(d)
                    cursor += 1
                }
                guard v <= 0x10FFFF else { throw error(.invalidString, "Unicode escape beyond U+10FFFF", at: escape) }
                guard v < 0xD800 || v > 0xDFFF else { throw error(.invalidString, "Unicode escape of a surrogate", at: escape) }
                withUnsafeTemporaryAllocation(byteCount: 4, alignment: 1) { buffer in
                    let n = writeUTF8(v, to: buffer.baseAddress!)
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                }
            default:
                throw error(.invalidString, "invalid escape \\\(Character(Unicode.Scalar(e)))", at: escape)
            }
        }
    }

    // MARK: Numbers

    /// Whether a number literal comes next (a digit, or `.` and a digit).
    mutating func atNumber() -> Bool {
        guard let b = peek() else { return false }
        if isDigit(b) { return true }
        return b == UInt8(ascii: ".") && end - cursor >= 2 && isDigit(cursor.load(fromByteOffset: 1, as: UInt8.self))
    }

    /// A number literal: decimal, octal (`0` and digits), hex (`0x`), or floating point
    /// (`1.5`, `.5`, `1e-3`, an `f` suffix). Must not run into an identifier (`1x`).
    mutating func number() throws(TextFormatDecodingError) -> TextNumber {
        guard atNumber() else { throw unexpected("expected a number") }
        let start = cursor
        func textSoFar() -> String { String(decoding: UnsafeRawBufferPointer(start: start, count: cursor - start), as: UTF8.self) }
        var kind: TextNumber.Kind
        var isDecimal = true
        let first = cursor.load(as: UInt8.self)
        if first == UInt8(ascii: "0"), end - cursor >= 2, cursor.load(fromByteOffset: 1, as: UInt8.self) | 0x20 == UInt8(ascii: "x") {
            cursor += 2
            var v: UInt64 = 0
            var overflow = false
            let digitsStart = cursor
            while cursor < end, hexDigitValue(cursor.load(as: UInt8.self)) < 16 {
                if v >> 60 != 0 { overflow = true }
                v = v << 4 | UInt64(hexDigitValue(cursor.load(as: UInt8.self)))
                cursor += 1
            }
            guard cursor > digitsStart else { throw error(.invalidNumber, "\"0x\" without hex digits", at: start) }
            kind = .integer(value: v, overflow: overflow)
            isDecimal = false
        } else if first == UInt8(ascii: "0"), end - cursor >= 2, isDigit(cursor.load(fromByteOffset: 1, as: UInt8.self)) {
            // A leading zero makes an octal literal.
            cursor += 1
            var v: UInt64 = 0
            var overflow = false
            while cursor < end, isDigit(cursor.load(as: UInt8.self)) {
                let d = cursor.load(as: UInt8.self) - 48
                guard d < 8 else { throw error(.invalidNumber, "\(textSoFar())\(d): octal literals have digits 0 to 7", at: start) }
                if v >> 61 != 0 { overflow = true }
                v = v << 3 | UInt64(d)
                cursor += 1
            }
            kind = .integer(value: v, overflow: overflow)
            isDecimal = false
        } else {
            var integer: [UInt8] = []
            var fraction: [UInt8] = []
            var exponent: [UInt8] = []
            var isFloat = false
            while cursor < end, isDigit(cursor.load(as: UInt8.self)) {
                integer.append(cursor.load(as: UInt8.self))
                cursor += 1
            }
            if cursor < end, cursor.load(as: UInt8.self) == UInt8(ascii: ".") {
                isFloat = true
                cursor += 1
                while cursor < end, isDigit(cursor.load(as: UInt8.self)) {
                    fraction.append(cursor.load(as: UInt8.self))
                    cursor += 1
                }
            }
            if cursor < end, cursor.load(as: UInt8.self) | 0x20 == UInt8(ascii: "e") {
                let e = cursor
                cursor += 1
                if cursor < end, cursor.load(as: UInt8.self) == UInt8(ascii: "+") || cursor.load(as: UInt8.self) == UInt8(ascii: "-") {
                    exponent.append(cursor.load(as: UInt8.self))
                    cursor += 1
                }
                let digits = cursor
                while cursor < end, isDigit(cursor.load(as: UInt8.self)) {
                    exponent.append(cursor.load(as: UInt8.self))
                    cursor += 1
                }
                guard cursor > digits else { throw error(.invalidNumber, "exponent without digits", at: e) }
                isFloat = true
            }
            if cursor < end, cursor.load(as: UInt8.self) | 0x20 == UInt8(ascii: "f") {
                isFloat = true
                cursor += 1
            }
            if isFloat {
                var text = integer.isEmpty ? "0" : String(decoding: integer, as: UTF8.self)
                text += "." + (fraction.isEmpty ? "0" : String(decoding: fraction, as: UTF8.self))
                if !exponent.isEmpty { text += "e" + String(decoding: exponent, as: UTF8.self) }
                kind = .float(text)
            } else {
                var v: UInt64 = 0
                var overflow = false
                for d in integer {
                    let (m, o1) = v.multipliedReportingOverflow(by: 10)
                    let (a, o2) = m.addingReportingOverflow(UInt64(d - 48))
                    if o1 || o2 { overflow = true }
                    v = a
                }
                kind = .integer(value: v, overflow: overflow)
            }
        }
        if cursor < end, isIdentifierPart(cursor.load(as: UInt8.self)) || cursor.load(as: UInt8.self) == UInt8(ascii: ".") {
            throw error(.invalidNumber, "number \(textSoFar()) runs into \(describeNext())", at: start)
        }
        return TextNumber(kind: kind, text: textSoFar(), isDecimal: isDecimal)
    }
}

@inline(__always)
func isIdentifierStart(_ b: UInt8) -> Bool {
    let lower = b | 0x20
    return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || b == UInt8(ascii: "_")
}

@inline(__always)
func isIdentifierPart(_ b: UInt8) -> Bool { isIdentifierStart(b) || isDigit(b) }
