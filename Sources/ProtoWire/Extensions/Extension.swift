/// A message that declares extension ranges (`extensions 100 to 199;`), which other `.proto`
/// files may fill with `extend` fields.
///
/// Extension fields live in the message's unknown fields, as the bytes they arrived as: a message
/// carries no storage for them, decoding needs no registry, and an extension the program does not
/// know is written back byte for byte. `get`, `set`, `has` and `clear` read and rewrite those
/// bytes through a generated `Extension` value, such as `Google_Api_Extensions_http`. Decoding
/// given an `ExtensionRegistry` (`init(serializedBytes:extensions:)`) also checks the required
/// fields of the messages held in the extensions it registers, at any depth.
public protocol ExtensibleMessage: ProtoMessage {}

/// An `extend` field: its number and full name, the message it extends and the Swift type of its
/// value (`Value` is an array for a repeated extension).
///
/// Generated code declares one per `extend` field, at file scope
/// (`Google_Api_Extensions_http`) or in the declaring message's `Extensions` namespace
/// (`Outer.Extensions.count`).
public struct Extension<Extended: ExtensibleMessage, Value: Sendable>: Sendable {
    /// The extension's field number in `Extended`.
    public let fieldNumber: Int
    /// The fully qualified name, such as `google.api.http`; JSON and the text format write it in
    /// brackets.
    public let fullName: String
    /// True for a `repeated` extension.
    public let isRepeated: Bool
    /// The value held in `bytes` (a message's unknown fields), nil when none is there.
    @usableFromInline let read: @Sendable (UnsafeRawBufferPointer) throws(WireDecodingError) -> Value?
    /// The field's bytes, tags included, holding `value`.
    @usableFromInline let write: @Sendable (Value) -> [UInt8]
    /// For a value that is or holds messages that can hold a required field: throws
    /// `.missingRequiredField` for the first one unset, named from the extension
    /// (`[full.name].id`), at offset `end`. Nil for every other value.
    let checkRequired: (@Sendable (Value, _ end: Int) throws(WireDecodingError) -> Void)?
    /// For a message value, or a list of them: the messages, for the check that looks inside
    /// registered extensions (`ExtensionRequiredFields.swift`). Nil for every other value.
    let messages: (@Sendable (Value) -> [any ProtoMessage])?
    /// Prints `value` in the text format, a `[full.name]` line per value.
    let writeText: @Sendable (Value, inout TextFormatEncoder) -> Void
    /// Reads a text-format value (after `[full.name]` and any `:`), or a list of them for a
    /// repeated extension, and returns its field's bytes.
    let readText: @Sendable (inout TextFormatDecoder) throws(TextFormatDecodingError) -> [UInt8]
    /// Writes `value` as a JSON value (an array for a repeated extension).
    let writeJSON: @Sendable (Value, inout ProtoJSONEncoder) throws(JSONEncodingError) -> Void
    /// Reads a JSON value (after `"[full.name]":`) and returns its field's bytes.
    let readJSON: @Sendable (inout ProtoJSONDecoder) throws(JSONDecodingError) -> [UInt8]

    init<C: FieldCodec & SendableMetatype>(
        fieldNumber: Int, fullName: String, isRepeated: Bool, textCodec: C.Type,
        read: @escaping @Sendable (UnsafeRawBufferPointer) throws(WireDecodingError) -> Value?,
        write: @escaping @Sendable (Value) -> [UInt8]
    ) {
        self.fieldNumber = fieldNumber
        self.fullName = fullName
        self.isRepeated = isRepeated
        self.read = read
        self.write = write
        // Decided once per extension, so that other values pay nothing: messages that can hold a
        // required field (singular, or elements of a repeated extension) are checked when read.
        let valueType: Any.Type = isRepeated ? C.Value.self : Value.self
        if valueType is any ProtoMessage.Type {
            if isRepeated {
                messages = { @Sendable value in (value as! [C.Value]).map { $0 as! any ProtoMessage } }
            } else {
                messages = { @Sendable value in [value as! any ProtoMessage] }
            }
        } else {
            messages = nil
        }
        if let m = valueType as? any ProtoMessage.Type, m.hasRequiredFields {
            let name = "[" + fullName + "]"
            checkRequired = { value, end throws(WireDecodingError) in
                let elements: [any ProtoMessage] = isRepeated ? (value as! [C.Value]).map { $0 as! any ProtoMessage } : [value as! any ProtoMessage]
                for (i, element) in elements.enumerated() {
                    guard let missing = element.firstMissingRequiredField() else { continue }
                    throw WireDecodingError(missing: isRepeated ? missing.inside(name, index: i) : missing.inside(name), offset: end)
                }
            }
        } else {
            checkRequired = nil
        }
        if isRepeated {
            // `Value` is `[C.Value]`: every repeated initializer makes it so.
            writeText = { values, encoder in
                for v in values as! [C.Value] { encoder.writeExtensionField(C.self, fullName, v) }
            }
            // One value, or a list `[a, b, …]` of them, as for a repeated field.
            readText = { decoder throws(TextFormatDecodingError) in
                var values: [C.Value] = []
                var cursor = ListCursor()
                var element = C.defaultValue
                while try decoder.nextElement(C.self, into: &element, &cursor) {
                    values.append(element)
                    element = C.defaultValue
                }
                return write(values as! Value)
            }
            writeJSON = { values, encoder throws(JSONEncodingError) in
                encoder.out.append(UInt8(ascii: "["))
                for (i, v) in (values as! [C.Value]).enumerated() {
                    if i > 0 { encoder.out.append(UInt8(ascii: ",")) }
                    try C.writeJSON(v, to: &encoder)
                }
                encoder.out.append(UInt8(ascii: "]"))
            }
            readJSON = { decoder throws(JSONDecodingError) in
                var values: [C.Value] = []
                var cursor = ListCursor()
                var element = C.defaultValue
                while try decoder.nextElement(C.self, into: &element, &cursor) {
                    values.append(element)
                    element = C.defaultValue
                }
                return write(values as! Value)
            }
        } else {
            writeText = { value, encoder in encoder.writeExtensionField(C.self, fullName, value as! C.Value) }
            readText = { decoder throws(TextFormatDecodingError) in
                write(try C.readText(from: &decoder) as! Value)
            }
            writeJSON = { value, encoder throws(JSONEncodingError) in try C.writeJSON(value as! C.Value, to: &encoder) }
            readJSON = { decoder throws(JSONDecodingError) in write(try C.readJSON(from: &decoder) as! Value) }
        }
    }
}

extension Extension {
    /// A singular scalar, string, bytes or open-enum extension: the last value on the wire wins.
    public init<C: FieldCodec & SendableMetatype>(_ fieldNumber: Int, _ fullName: String, codec: C.Type) where Value == C.Value {
        self.init(
            fieldNumber: fieldNumber, fullName: fullName, isRepeated: false, textCodec: C.self,
            read: { bytes throws(WireDecodingError) in
                // Only the last value counts: it is found first and read alone, so that no
                // `Value?` is kept across the fields (in this generic closure that would cost an
                // `Optional<Value>` metadata lookup and a heap box per call).
                guard let at = try ExtensionBytes.lastValueOffset(fieldNumber, C.wireType, in: bytes) else { return nil }
                var reader = WireReader(bytes)
                reader.cursor = reader.base + at
                return try C.read(from: &reader)
            },
            write: { value in
                ExtensionBytes.field(size: WireSize.tag(fieldNumber) + C.size(of: value)) { writer in
                    writer.writeTag(fieldNumber, C.wireType)
                    C.write(value, to: &writer)
                }
            }
        )
    }
}

extension Extension where Value: ProtoMessage & SendableMetatype {
    /// A singular message extension: every occurrence on the wire is merged into one value.
    public init(_ fieldNumber: Int, _ fullName: String, message: Value.Type) {
        typealias M = Value
        self.init(
            fieldNumber: fieldNumber, fullName: fullName, isRepeated: false, textCodec: MessageCodec<M>.self,
            read: { bytes throws(WireDecodingError) in
                var value: M?
                try ExtensionBytes.forEach(fieldNumber, in: bytes) { tag, reader throws(WireDecodingError) in
                    guard tag.wireType == .lengthDelimited else { return false }
                    var m = value ?? M()
                    try reader.readMessage(into: &m)
                    value = m
                    return true
                }
                return value
            },
            write: { value in
                ExtensionBytes.field(size: WireSize.tag(fieldNumber) + MessageCodec<M>.size(of: value)) { writer in
                    writer.writeTag(fieldNumber, .lengthDelimited)
                    MessageCodec<M>.write(value, to: &writer)
                }
            }
        )
    }

}

extension Extension where Value: ProtoMessage & SendableMetatype {
    /// A singular group extension (proto2's `optional group`, editions' delimited message
    /// encoding): the message between start-group and end-group tags; every occurrence is merged
    /// into one value.
    public init(_ fieldNumber: Int, _ fullName: String, group: Value.Type) {
        typealias M = Value
        self.init(
            fieldNumber: fieldNumber, fullName: fullName, isRepeated: false, textCodec: MessageCodec<M>.self,
            read: { bytes throws(WireDecodingError) in
                var value: M?
                try ExtensionBytes.forEach(fieldNumber, in: bytes) { tag, reader throws(WireDecodingError) in
                    guard tag.wireType == .startGroup else { return false }
                    try reader.readGroup(into: &value)
                    return true
                }
                return value
            },
            write: { value in
                ExtensionBytes.field(size: WireSize.tag(fieldNumber) * 2 + value.encodedSize()) { writer in
                    writer.writeGroup(fieldNumber, value)
                }
            }
        )
    }
}

extension Extension {
    /// A repeated group extension: one message per start-group/end-group pair.
    public init<M: ProtoMessage & SendableMetatype>(_ fieldNumber: Int, _ fullName: String, repeatedGroup: M.Type)
    where Value == [M] {
        self.init(
            fieldNumber: fieldNumber, fullName: fullName, isRepeated: true, textCodec: MessageCodec<M>.self,
            read: { bytes throws(WireDecodingError) in
                try ExtensionBytes.readRepeated(fieldNumber, in: bytes, .startGroup) { reader throws(WireDecodingError) -> M in
                    try reader.readGroup()
                }
            },
            write: { values in
                let size = values.reduce(0) { $0 + WireSize.tag(fieldNumber) * 2 + $1.encodedSize() }
                return ExtensionBytes.field(size: size) { writer in
                    for v in values { writer.writeGroup(fieldNumber, v) }
                }
            }
        )
    }
}

extension Extension where Value: ProtoEnum & SendableMetatype {
    /// A singular closed-enum extension: a number the enum does not declare is not a value of
    /// the extension, and stays in the unknown fields as it came.
    public init(_ fieldNumber: Int, _ fullName: String, closedEnum: Value.Type) {
        typealias E = Value
        self.init(
            fieldNumber: fieldNumber, fullName: fullName, isRepeated: false, textCodec: ClosedEnumCodec<E>.self,
            read: { bytes throws(WireDecodingError) in
                var value: E?
                try ExtensionBytes.forEach(fieldNumber, in: bytes) { tag, reader throws(WireDecodingError) in
                    guard tag.wireType == .varint else { return false }
                    if let e = E(rawValue: Int32(truncatingIfNeeded: try reader.readVarint())) { value = e }
                    return true
                }
                return value
            },
            write: { value in
                ExtensionBytes.field(size: WireSize.tag(fieldNumber) + ClosedEnumCodec<E>.size(of: value)) { writer in
                    writer.writeTag(fieldNumber, .varint)
                    ClosedEnumCodec<E>.write(value, to: &writer)
                }
            }
        )
    }

}

extension Extension {
    /// A repeated extension of any codec. Packable values are read packed or not, whatever the
    /// `.proto` says, and written packed when `packed` is true.
    public init<C: FieldCodec & SendableMetatype>(_ fieldNumber: Int, _ fullName: String, repeated: C.Type, packed: Bool = false)
    where Value == [C.Value] {
        self.init(
            fieldNumber: fieldNumber, fullName: fullName, isRepeated: true, textCodec: C.self,
            read: { bytes throws(WireDecodingError) in
                try ExtensionBytes.readRepeated(fieldNumber, in: bytes, C.wireType) { reader throws(WireDecodingError) in
                    try C.read(from: &reader)
                }
            },
            write: { values in
                ExtensionBytes.repeated(fieldNumber, values, C.wireType, packed: packed, size: C.size(of:), write: C.write)
            }
        )
    }

    /// A repeated closed-enum extension: numbers the enum does not declare are left out.
    public init<E: ProtoEnum & SendableMetatype>(_ fieldNumber: Int, _ fullName: String, repeatedClosedEnum: E.Type, packed: Bool = false)
    where Value == [E] {
        self.init(
            fieldNumber: fieldNumber, fullName: fullName, isRepeated: true, textCodec: ClosedEnumCodec<E>.self,
            read: { bytes throws(WireDecodingError) in
                try ExtensionBytes.readRepeated(fieldNumber, in: bytes, .varint) { reader throws(WireDecodingError) in
                    E(rawValue: Int32(truncatingIfNeeded: try reader.readVarint()))
                }.map { $0.compactMap { $0 } }
            },
            write: { values in
                ExtensionBytes.repeated(
                    fieldNumber, values, .varint, packed: packed,
                    size: ClosedEnumCodec<E>.size(of:), write: ClosedEnumCodec<E>.write)
            }
        )
    }
}

extension ExtensibleMessage {
    /// The value of `extension`, or nil when the message does not hold it.
    /// - Throws: `WireDecodingError` when the bytes kept for it are not a valid value (a string
    ///   that is not UTF-8, a broken sub-message), or `.missingRequiredField` when a message held
    ///   lacks a required field, named by its path from the extension (`[full.name].id`,
    ///   `[full.name][2].id`); `get(_:partial: true)` returns such a message.
    public func get<Value>(_ extension: Extension<Self, Value>) throws(WireDecodingError) -> Value? {
        try get(`extension`, partial: false)
    }

    /// The value of `extension`, or nil when the message does not hold it; with `partial`, a
    /// message lacking a required field is returned as it is.
    public func get<Value>(_ extension: Extension<Self, Value>, partial: Bool) throws(WireDecodingError) -> Value? {
        var failure: WireDecodingError?
        let value: Value? = unknownFields.bytes.withUnsafeBytes { bytes in
            do throws(WireDecodingError) { return try `extension`.read(bytes) } catch {
                failure = error
                return nil
            }
        }
        if let failure { throw failure }
        if !partial, let value, let check = `extension`.checkRequired { try check(value, unknownFields.bytes.count) }
        return value
    }

    /// True when the message holds a field numbered as `extension`.
    public func has<Value>(_ extension: Extension<Self, Value>) -> Bool {
        unknownFields.bytes.withUnsafeBytes { ExtensionBytes.ranges(of: `extension`.fieldNumber, in: $0).isEmpty == false }
    }

    /// Stores `value`, replacing what the message held for `extension`; an empty array clears a
    /// repeated extension. The value is stored as its bytes, whatever required fields a message
    /// in it lacks: `get` is where they are checked (the extended message's `isInitialized` and
    /// encoding see its own fields, not its extensions'; `isInitialized(extensions:)` and
    /// `serializedBytes(extensions:)` look inside the registered ones too).
    public mutating func set<Value>(_ extension: Extension<Self, Value>, to value: Value) {
        clear(`extension`)
        unknownFields.bytes += `extension`.write(value)
    }

    /// Removes every field numbered as `extension`; the other unknown fields keep their bytes and order.
    public mutating func clear<Value>(_ extension: Extension<Self, Value>) {
        let ranges = unknownFields.bytes.withUnsafeBytes { ExtensionBytes.ranges(of: `extension`.fieldNumber, in: $0) }
        for range in ranges.reversed() { unknownFields.bytes.removeSubrange(range) }
    }
}

/// Reading and writing extension fields in a message's unknown-field bytes.
@usableFromInline
enum ExtensionBytes {
    /// Calls `body` with each field numbered `fieldNumber`, its tag read; `body` reads the value
    /// and returns true, or returns false to have it skipped (another wire type).
    static func forEach(
        _ fieldNumber: Int, in bytes: UnsafeRawBufferPointer,
        _ body: (FieldTag, inout WireReader) throws(WireDecodingError) -> Bool
    ) throws(WireDecodingError) {
        var reader = WireReader(bytes)
        while let tag = try reader.nextTag() {
            if tag.fieldNumber == fieldNumber, try body(tag, &reader) { continue }
            try reader.skipValue(tag)
        }
    }

    /// The offset of the value (after its tag) of the last field numbered `fieldNumber` with
    /// wire type `wireType`, nil when there is none. Every field is checked as it is skipped.
    static func lastValueOffset(
        _ fieldNumber: Int, _ wireType: WireType, in bytes: UnsafeRawBufferPointer
    ) throws(WireDecodingError) -> Int? {
        var reader = WireReader(bytes)
        var last = -1
        while let tag = try reader.nextTag() {
            if tag.fieldNumber == fieldNumber && tag.wireType == wireType { last = reader.offset }
            try reader.skipValue(tag)
        }
        return last < 0 ? nil : last
    }

    /// The byte ranges of the fields numbered `fieldNumber`, tags included. Bytes that do not
    /// parse (which decoding never keeps) end the search.
    static func ranges(of fieldNumber: Int, in bytes: UnsafeRawBufferPointer) -> [Range<Int>] {
        var reader = WireReader(bytes)
        var ranges: [Range<Int>] = []
        while let tag = try? reader.nextTag() {
            let start = reader.tagStart - reader.base
            guard (try? reader.skipValue(tag)) != nil else { break }
            if tag.fieldNumber == fieldNumber { ranges.append(start..<reader.offset) }
        }
        return ranges
    }

    static func readRepeated<T>(
        _ fieldNumber: Int, in bytes: UnsafeRawBufferPointer, _ wireType: WireType,
        _ readOne: (inout WireReader) throws(WireDecodingError) -> T
    ) throws(WireDecodingError) -> [T]? {
        var values: [T] = []
        var found = false
        // Only scalars pack: a length-delimited occurrence of a group or message field is not a run.
        let packable = wireType == .varint || wireType == .fixed32 || wireType == .fixed64
        try forEach(fieldNumber, in: bytes) { tag, reader throws(WireDecodingError) in
            if tag.wireType == wireType {
                values.append(try readOne(&reader))
                found = true
                return true
            }
            guard tag.wireType == .lengthDelimited, packable else { return false }
            let length = try reader.readLength()
            let runEnd = reader.offset + length
            while reader.offset < runEnd { values.append(try readOne(&reader)) }
            guard reader.offset == runEnd else { throw reader.error(.lengthOutOfBounds) }
            found = true
            return true
        }
        return found ? values : nil
    }

    /// `size` bytes written by `body`.
    static func field(size: Int, _ body: (inout WireWriter) -> Void) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: size)
        bytes.withUnsafeMutableBytes { buffer in
            var writer = WireWriter(start: buffer.baseAddress!)
            body(&writer)
        }
        return bytes
    }

    static func repeated<T>(
        _ fieldNumber: Int, _ values: [T], _ wireType: WireType, packed: Bool,
        size: (T) -> Int, write: @escaping (T, inout WireWriter) -> Void
    ) -> [UInt8] {
        if values.isEmpty { return [] }
        let tagSize = WireSize.tag(fieldNumber)
        if packed, wireType != .lengthDelimited {
            let body = values.reduce(0) { $0 + size($1) }
            return field(size: tagSize + Varint.size(UInt64(body)) + body) { writer in
                writer.writeTag(fieldNumber, .lengthDelimited)
                writer.writeVarint(UInt64(body))
                for v in values { write(v, &writer) }
            }
        }
        return field(size: values.reduce(0) { $0 + tagSize + size($1) }) { writer in
            for v in values {
                writer.writeTag(fieldNumber, wireType)
                write(v, &writer)
            }
        }
    }
}
