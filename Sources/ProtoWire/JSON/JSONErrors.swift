/// A step of the path from a JSON document's root to a value, for error messages.
enum JSONPathComponent: Hashable, Sendable {
    /// An object member: a message field or a `Struct` key.
    case member(String)
    /// An array element.
    case index(Int)
    /// A map entry, by its key as written.
    case key(String)
}

/// Letters, digits, `_` and `@`: a member name made of these is written after a dot.
private func isPlainPathByte(_ b: UInt8) -> Bool {
    let lower = b | 0x20
    return (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
        || b == UInt8(ascii: "_") || b == UInt8(ascii: "@")
}

/// Renders path components (outermost first) as `$.items[2].id`.
func renderJSONPath(_ components: some Sequence<JSONPathComponent>) -> String {
    var out = "$"
    for c in components {
        switch c {
        case .member(let name):
            if !name.isEmpty, name.utf8.allSatisfy(isPlainPathByte) {
                out += "." + name
            } else {
                out += "[" + String(reflecting: name) + "]"
            }
        case .index(let i): out += "[\(i)]"
        case .key(let k): out += "[" + String(reflecting: k) + "]"
        }
    }
    return out
}

/// Thrown when JSON input is not a valid encoding of the message being read.
///
/// Names what went wrong, where in the document (`$.items[2].id`) and at which byte:
/// `$.items[2].id: expected a number, at byte 341`.
public struct JSONDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An extensible set of codes, compared with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }

        /// Not JSON: an unexpected character, a missing `:` or `,`, a trailing comma, a comment.
        public static let syntax = Code("invalid JSON")
        /// The input ended inside a value.
        public static let truncated = Code("unexpected end of input")
        /// A string with a bad escape, an unpaired surrogate, a raw control character or bytes
        /// that are not UTF-8.
        public static let invalidString = Code("invalid string")
        /// A value of the wrong JSON type for the field (a string for a number field, …).
        public static let wrongType = Code("wrong JSON type for the field")
        /// A number that is not valid for the field: not an integer, leading zeros, `+1`.
        public static let invalidNumber = Code("invalid number")
        /// A number outside the field type's range.
        public static let numberOutOfRange = Code("number out of range")
        /// A `bytes` value that is not base64.
        public static let invalidBase64 = Code("invalid base64")
        /// A name that is not a field of the message.
        public static let unknownField = Code("unknown field")
        /// A field given twice (possibly once by its JSON name and once by its `.proto` name).
        public static let duplicateField = Code("duplicate field")
        /// Two members of one oneof.
        public static let oneofConflict = Code("second member of a oneof")
        /// An enum name the enum does not declare, or a number a closed enum does not declare.
        public static let unknownEnumValue = Code("unknown enum value")
        /// `null` where a value is required: an element of a list, a map value.
        public static let nullNotAllowed = Code("null is not allowed here")
        /// A map key that does not parse as the key type.
        public static let invalidMapKey = Code("invalid map key")
        /// A `google.protobuf.Timestamp` that is not RFC 3339, or outside 0001–9999.
        public static let invalidTimestamp = Code("invalid timestamp")
        /// A `google.protobuf.Duration` that is not `<seconds>[.<fraction>]s`, or out of range.
        public static let invalidDuration = Code("invalid duration")
        /// A `google.protobuf.FieldMask` path that is not lowerCamelCase.
        public static let invalidFieldMask = Code("invalid field mask")
        /// A `google.protobuf.Any` without `@type`, or whose type is not registered.
        public static let invalidAny = Code("invalid Any")
        /// Objects and arrays nested more than 100 deep.
        public static let recursionLimitExceeded = Code("nesting too deep")
        /// Something after the top-level value.
        public static let trailingContent = Code("content after the JSON value")
        /// A message type generated without a field table, which JSON cannot read.
        public static let unsupportedMessage = Code("message type has no field table")
    }

    public var code: Code
    /// What was expected or found, in words (`expected a number`); the code's description when
    /// there is nothing more specific.
    public var message: String
    /// The byte offset, from the start of the input, where the problem was found.
    public var offset: Int
    /// The path components, innermost first (they are added as the error leaves each level).
    var reversedPath: [JSONPathComponent]

    public init(_ code: Code, message: String? = nil, offset: Int) {
        self.code = code
        self.message = message ?? code.description
        self.offset = offset
        self.reversedPath = []
    }

    /// Where the problem is, from the document's root: `$`, `$.items[2].id`, `$.counts["a"]`.
    public var path: String { renderJSONPath(reversedPath.reversed()) }

    /// `$.items[2].id: expected a number, at byte 341`.
    public var description: String { "\(path): \(message), at byte \(offset)" }

    /// The same error one level further out.
    func inside(_ component: JSONPathComponent) -> JSONDecodingError {
        var e = self
        e.reversedPath.append(component)
        return e
    }

    /// An error from a message's `decodeField`: the reader's own, passed through (a hand-written
    /// `decodeField` throwing something else becomes `unsupportedMessage`).
    static func from(_ error: any Error, offset: Int) -> JSONDecodingError {
        error as? JSONDecodingError ?? JSONDecodingError(.unsupportedMessage, message: "decodeField threw \(error)", offset: offset)
    }
}

/// Thrown when a message cannot be written as JSON: a value the JSON mapping cannot express
/// (a timestamp before year 1, a `FieldMask` path that does not round-trip, a `Value` holding
/// NaN), or an `Any` whose type is not registered.
public struct JSONEncodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An extensible set of codes, compared with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }

        /// A `google.protobuf.Timestamp` outside 0001-01-01 to 9999-12-31, or with `nanos` out
        /// of range.
        public static let invalidTimestamp = Code("timestamp out of range")
        /// A `google.protobuf.Duration` beyond ±315,576,000,000 s, or with `nanos` out of range
        /// or of the wrong sign.
        public static let invalidDuration = Code("duration out of range")
        /// A `google.protobuf.FieldMask` path that would not read back the same in lowerCamelCase.
        public static let invalidFieldMask = Code("field mask path does not round-trip")
        /// A `google.protobuf.Value` holding NaN or an infinity, or holding nothing.
        public static let invalidValue = Code("Value cannot be written as JSON")
        /// A `google.protobuf.Any` whose type is not registered, or whose bytes do not decode.
        public static let invalidAny = Code("invalid Any")
        /// A message type generated without a field table, which JSON cannot write.
        public static let unsupportedMessage = Code("message type has no field table")
        /// Messages nested more than 100 deep.
        public static let recursionLimitExceeded = Code("nesting too deep")
    }

    public var code: Code
    /// What is wrong, in words.
    public var message: String
    var reversedPath: [JSONPathComponent]

    public init(_ code: Code, message: String? = nil) {
        self.code = code
        self.message = message ?? code.description
        self.reversedPath = []
    }

    /// Where in the message the value is, as the JSON path it would have had: `$.start`.
    public var path: String { renderJSONPath(reversedPath.reversed()) }

    /// `$.start: timestamp out of range`.
    public var description: String { "\(path): \(message)" }

    func inside(_ component: JSONPathComponent) -> JSONEncodingError {
        var e = self
        e.reversedPath.append(component)
        return e
    }

    /// An error from a message's `visitFields`: the writer's own, passed through (a hand-written
    /// `visitFields` throwing something else becomes `unsupportedMessage`).
    static func from(_ error: any Error) -> JSONEncodingError {
        error as? JSONEncodingError ?? JSONEncodingError(.unsupportedMessage, message: "visitFields threw \(error)")
    }
}
