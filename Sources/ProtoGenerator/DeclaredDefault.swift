// Declared defaults (`[default = …]`): what a field with explicit presence reads as while it is
// not set. protoc hands the default over as text (see `FieldDescriptor.defaultValue`); the
// generator turns it into a Swift literal of the field's type, checked here so that a default
// the generated code could not compile is reported by name instead.

extension FieldPlan {
    /// The Swift expression for `text`, the declared default of a field of `type`; nil when the
    /// text is not a value of that type. `enumSymbol` is the field's enum, for enum fields.
    static func defaultLiteral(_ text: String, type: FieldDescriptor.FieldType, enumSymbol: SymbolTable.EnumSymbol?) -> String? {
        switch type {
        case .double:
            return floatingLiteral(text, Double(text).flatMap { $0.isFinite ? $0.description : nil })
        case .float:
            return floatingLiteral(text, Float(text).flatMap { $0.isFinite ? $0.description : nil })
        case .int32, .sint32, .sfixed32: return Int32(text).map(String.init)
        case .int64, .sint64, .sfixed64: return Int64(text).map(String.init)
        case .uint32, .fixed32: return UInt32(text).map(String.init)
        case .uint64, .fixed64: return UInt64(text).map(String.init)
        case .bool: return text == "true" || text == "false" ? text : nil
        case .string: return stringLiteral(text)
        case .bytes:
            guard let bytes = unescapedBytes(text) else { return nil }
            if bytes.isEmpty { return "Data()" }
            return "Data([" + bytes.map { ($0 < 16 ? "0x0" : "0x") + String($0, radix: 16, uppercase: true) }.joined(separator: ", ") + "])"
        case .enum: return enumSymbol?.cases[text].map { "." + $0 }
        case .message, .group: return nil
        }
    }

    /// protoc writes infinities and NaN as words; other values in decimal, which `description`
    /// writes back in the shortest form that reads as the same value, a valid Swift literal.
    private static func floatingLiteral(_ text: String, _ described: String?) -> String? {
        switch text {
        case "inf": return ".infinity"
        case "-inf": return "-.infinity"
        case "nan": return ".nan"
        default: return described
        }
    }

    /// A Swift string literal holding `text`: quotes, backslashes and control characters escaped.
    static func stringLiteral(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar.properties.generalCategory == .lineSeparator || scalar.properties.generalCategory == .paragraphSeparator:
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The bytes of a C-escaped default (protoc escapes bytes defaults so: `\n`, `\"`, `\\`,
    /// three octal digits, and `\x` with hex digits); nil for a malformed escape.
    static func unescapedBytes(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        func digit(_ c: UInt8, radix: UInt8) -> UInt8? {
            let v: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            return v < radix ? v : nil
        }
        while i < input.count {
            let c = input[i]
            i += 1
            guard c == UInt8(ascii: "\\") else { out.append(c); continue }
            guard i < input.count else { return nil }
            let e = input[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "v"): out.append(0x0B)
            case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "?"): out.append(e)
            case UInt8(ascii: "x"), UInt8(ascii: "X"):
                var value = 0
                var count = 0
                while i < input.count, count < 2, let d = digit(input[i], radix: 16) {
                    value = value * 16 + Int(d)
                    i += 1
                    count += 1
                }
                guard count > 0 else { return nil }
                out.append(UInt8(value))
            default:
                guard var value = digit(e, radix: 8).map(Int.init) else { return nil }
                var count = 1
                while i < input.count, count < 3, let d = digit(input[i], radix: 8) {
                    value = value * 8 + Int(d)
                    i += 1
                    count += 1
                }
                guard value <= 0xFF else { return nil }
                out.append(UInt8(value))
            }
        }
        return out
    }
}
