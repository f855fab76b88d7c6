/// Thrown when bytes are not a valid encoding of the message being decoded.
///
/// It names what went wrong, the number of the field being read (0 when the
/// problem is in a tag itself) and the byte offset from the start of the input.
public struct WireDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong. An extensible set of codes, compared with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let description: String
        @usableFromInline init(_ description: String) { self.description = description }

        /// The input ended in the middle of a value.
        public static let truncated = Code("truncated input")
        /// A varint ran over ten bytes.
        public static let malformedVarint = Code("varint longer than 10 bytes")
        /// A length prefix points past the end of the enclosing message.
        public static let lengthOutOfBounds = Code("length past the end of the input")
        /// Wire type 6 or 7, or field number 0 or over 536,870,911.
        public static let invalidTag = Code("invalid field tag")
        /// An end-group tag with no matching start-group tag.
        public static let unmatchedEndGroup = Code("end-group tag without start-group")
        /// A required field is not set once the message is read (see `path`).
        public static let missingRequiredField = Code("required field not set")
        /// A group's start-group tag with no end-group tag before its enclosing message ends.
        public static let unterminatedGroup = Code("start-group tag without end-group")
        /// A `string` field held bytes that are not UTF-8.
        public static let invalidUTF8 = Code("string field is not valid UTF-8")
        /// Messages or groups nested deeper than `WireReader.recursionLimit`.
        public static let recursionLimitExceeded = Code("message nesting too deep")
        /// A packed field's length does not hold a whole number of values.
        public static let malformedPacked = Code("packed field length is not a multiple of the element size")
        /// An item of a MessageSet (`message_set_wire_format`) without a `type_id` from 1 to
        /// 536,870,911.
        public static let malformedMessageSetItem = Code("MessageSet item without a valid type_id")
    }

    public var code: Code
    /// The number of the field being decoded, or 0 for a problem in a tag.
    public var fieldNumber: Int
    /// The offset in bytes, from the start of the input, where the problem was found.
    public var offset: Int
    /// For `.missingRequiredField`, the field's path from the message decoded, such as
    /// `outer.items[2].id`; for an error in a registered extension's bytes, found after decoding
    /// given an `ExtensionRegistry`, the extension's path (`items[2].[pkg.ext]`); empty otherwise.
    public var path: String = ""

    public init(_ code: Code, fieldNumber: Int, offset: Int) {
        self.code = code
        self.fieldNumber = fieldNumber
        self.offset = offset
    }

    public var description: String {
        if !path.isEmpty { return "\(code) \(path) (field \(fieldNumber)) at byte \(offset)" }
        return fieldNumber == 0
            ? "\(code) at byte \(offset)"
            : "\(code) in field \(fieldNumber) at byte \(offset)"
    }
}
