/// Thrown when text is not a valid text-format encoding of the message being read.
///
/// Names what went wrong, the line and column (both from 1; columns count bytes) and the field
/// path: `line 3, column 12: optional_nested_message.a: expected an integer, found "x"`.
public struct TextFormatDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An extensible set of codes, compared with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }

        /// Not the text format: an unexpected character or token, a missing `:` or `}`.
        public static let syntax = Code("invalid text format")
        /// The input ended inside a message or value.
        public static let truncated = Code("unexpected end of input")
        /// A string literal with a bad escape, a line break, an escaped surrogate, or (for a
        /// `string` field) bytes that are not UTF-8.
        public static let invalidString = Code("invalid string")
        /// A value of the wrong kind for the field.
        public static let wrongType = Code("wrong value for the field")
        /// A malformed number, or a number outside the field type's range.
        public static let invalidNumber = Code("invalid number")
        /// A name that is not a field of the message.
        public static let unknownField = Code("unknown field")
        /// An extension or `Any` type name in brackets that is not known.
        public static let unknownExtension = Code("unknown extension or type")
        /// A singular field given twice.
        public static let duplicateField = Code("duplicate field")
        /// Two members of one oneof.
        public static let oneofConflict = Code("second member of a oneof")
        /// An enum name or number the enum does not declare.
        public static let unknownEnumValue = Code("unknown enum value")
        /// Messages nested more than 100 deep.
        public static let recursionLimitExceeded = Code("nesting too deep")
        /// A message type generated without a field table, which the text format cannot read.
        public static let unsupportedMessage = Code("message type has no field table")
    }

    public var code: Code
    /// What was expected or found, in words.
    public var message: String
    /// The line of the problem, from 1.
    public var line: Int
    /// The column of the problem in bytes, from 1.
    public var column: Int
    /// The byte offset from the start of the input.
    public var offset: Int
    /// The path components, innermost first (they are added as the error leaves each level).
    var reversedPath: [TextPathComponent]

    public init(_ code: Code, message: String? = nil, line: Int, column: Int, offset: Int) {
        self.code = code
        self.message = message ?? code.description
        self.line = line
        self.column = column
        self.offset = offset
        self.reversedPath = []
    }

    /// The fields from the top-level message to the one with the problem: `items[2].id`; empty
    /// for a problem at the top level.
    public var path: String {
        var out = ""
        for c in reversedPath.reversed() {
            switch c {
            case .field(let name): out += out.isEmpty ? name : "." + name
            case .index(let i): out += "[\(i)]"
            }
        }
        return out
    }

    /// `line 3, column 12: items[2].id: expected an integer, found "x"`.
    public var description: String {
        let p = path
        return "line \(line), column \(column): " + (p.isEmpty ? "" : p + ": ") + message
    }

    func inside(_ component: TextPathComponent) -> TextFormatDecodingError {
        var e = self
        e.reversedPath.append(component)
        return e
    }
}

/// A step of the path from the top-level message to a value, for error messages.
enum TextPathComponent: Hashable, Sendable {
    /// A field, by the name written in the text.
    case field(String)
    /// An element of a list or a repeated field.
    case index(Int)
}
