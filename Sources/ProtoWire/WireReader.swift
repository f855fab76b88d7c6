#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads protobuf wire format from a contiguous buffer, checking every bound.
///
/// A reader never traps on bad input: every problem is a `WireDecodingError`
/// naming the field and the byte offset. Generated `merge(from:)` methods
/// drive it with `nextTag()` and the typed `read` functions.
public struct WireReader {
    /// How deep messages and groups may nest before decoding gives up.
    public static let recursionLimit = 100

    @usableFromInline let base: UnsafeRawPointer
    @usableFromInline var cursor: UnsafeRawPointer
    @usableFromInline var end: UnsafeRawPointer
    @usableFromInline var depth: Int = 0
    @usableFromInline var tagStart: UnsafeRawPointer
    /// The field number of the innermost group being read, 0 outside groups, -1 once its
    /// end-group tag has been read (see `readGroup`).
    @usableFromInline var openGroup: Int = 0
    /// The nesting depth at which `openGroup` was opened: an end-group tag closes it only there,
    /// not inside a length-delimited message nested in the group.
    @usableFromInline var openGroupDepth: Int = 0
    /// Where the `Data` whose bytes are read is, when `bytes` fields are to share its storage
    /// instead of copying out of it (`ProtoMessage.init(sharingBytesOf:)`); `base` points at its
    /// first byte. A pointer, not the `Data`, so that the reader stays a plain value that costs
    /// nothing to make and drop.
    @usableFromInline var shared: UnsafePointer<Data>?

    /// Reads `buffer`. It must stay valid while the reader is used.
    @inlinable
    public init(_ buffer: UnsafeRawBufferPointer) {
        // An empty buffer may have no base address; any non-null pointer serves.
        let start = buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 0x10)!
        base = start
        cursor = start
        end = start + buffer.count
        tagStart = start
    }

    /// Reads `data.pointee`, whose storage the `Data` values read from `bytes` fields share: each
    /// is a slice of it. `buffer` must be its bytes, and both must stay valid while the reader is used.
    @inlinable
    public init(_ buffer: UnsafeRawBufferPointer, sharing data: UnsafePointer<Data>) {
        self.init(buffer)
        shared = data
    }

    /// The value of a `bytes` field whose bytes are `bytes`: a slice of the shared input, or a copy.
    @inlinable
    func bytesValue(_ bytes: UnsafeRawBufferPointer) -> Data {
        guard let shared, bytes.count > 0 else { return Data(bytes) }
        let start = shared.pointee.startIndex + (bytes.baseAddress! - base)
        return shared.pointee[start..<(start + bytes.count)]
    }

    /// The offset of the next byte from the start of the input.
    @inlinable
    public var offset: Int { cursor - base }

    /// True when the current message has no more bytes.
    @inlinable
    public var isAtEnd: Bool { cursor == end }

    /// An error at the cursor, naming the field whose tag was read last.
    @inlinable
    func error(_ code: WireDecodingError.Code) -> WireDecodingError {
        WireDecodingError(code, fieldNumber: currentFieldNumber, offset: cursor - base)
    }

    /// An error at `position`, naming the field whose tag was read last.
    @inlinable
    func error(_ code: WireDecodingError.Code, at position: UnsafeRawPointer) -> WireDecodingError {
        WireDecodingError(code, fieldNumber: currentFieldNumber, offset: position - base)
    }

    /// An error at the cursor naming `field`, or no field (0) for a problem in a tag itself.
    @inlinable
    func error(_ code: WireDecodingError.Code, field: Int) -> WireDecodingError {
        WireDecodingError(code, fieldNumber: field, offset: cursor - base)
    }

    /// The number of the field whose tag was read last, found again from the tag's bytes when an
    /// error needs it, so that reading a field costs no bookkeeping; 0 before the first tag or
    /// when the tag itself is what failed.
    @usableFromInline
    var currentFieldNumber: Int { fieldNumber(at: tagStart) }

    /// The field number of the tag at `position`, or 0 if there is no valid tag there.
    @usableFromInline
    func fieldNumber(at position: UnsafeRawPointer) -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var p = position
        while p < end, shift < 35 {
            let byte = p.load(as: UInt8.self)
            p += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                let field = value >> 3
                return field <= UInt64(maximumFieldNumber) && value & 7 <= 5 ? Int(field) : 0
            }
            shift += 7
        }
        return 0
    }

    // MARK: Tags

    /// The next field's tag, or `nil` at the end of the current message.
    @inlinable
    public mutating func nextTag() throws(WireDecodingError) -> FieldTag? {
        if cursor == end { return nil }
        tagStart = cursor
        // One-byte tags (fields 1 to 15) of wire types 0, 1, 2, 3 and 5 are read here; longer
        // tags and the ones that fail are handled out of line, so that the loop every generated
        // `merge(from:)` runs stays small.
        let byte = cursor.load(as: UInt8.self)
        if byte < 0x80, byte >= 8, (0x2F &>> (byte & 7)) & 1 != 0 {
            cursor += 1
            return FieldTag(uncheckedRawValue: UInt32(byte))
        }
        return try nextTagOutOfLine()
    }

    /// `nextTag` for tags of more than one byte, end-group tags and invalid tags. The end-group
    /// tag of the group being read ends it (`nil`, as the end of a message does).
    @usableFromInline
    mutating func nextTagOutOfLine() throws(WireDecodingError) -> FieldTag? {
        let tag = try readTag()
        if tag.wireType == .endGroup {
            if tag.fieldNumber == openGroup, depth == openGroupDepth {
                openGroup = -1
                return nil
            }
            cursor = tagStart
            throw error(.unmatchedEndGroup, field: tag.fieldNumber)
        }
        return tag
    }

    /// Reads and checks a tag (field number 1 ... 2^29-1, wire type 0 ... 5), end-group included.
    mutating func readTag() throws(WireDecodingError) -> FieldTag {
        let start = cursor
        let raw: UInt64
        let byte = cursor.load(as: UInt8.self)
        if byte < 0x80 {
            cursor += 1
            raw = UInt64(byte)
        } else {
            raw = try readVarint()
        }
        guard raw >> 3 != 0, raw >> 3 <= UInt64(maximumFieldNumber), raw & 7 <= 5 else {
            cursor = start
            throw error(.invalidTag, field: 0)
        }
        return FieldTag(uncheckedRawValue: UInt32(truncatingIfNeeded: raw))
    }

    // MARK: Primitive values

    @inlinable
    public mutating func readVarint() throws(WireDecodingError) -> UInt64 {
        let p = cursor
        if end - p >= 10 {
            // Enough bytes for the longest varint: no bound check per byte, and the first bytes
            // unrolled (most varints are short; the loop cost twice as many instructions).
            let b0 = UInt64(p.load(as: UInt8.self))
            if b0 < 0x80 { cursor = p + 1; return b0 }
            let b1 = UInt64(p.load(fromByteOffset: 1, as: UInt8.self))
            var result = (b0 & 0x7F) | (b1 & 0x7F) &<< 7
            if b1 < 0x80 { cursor = p + 2; return result }
            let b2 = UInt64(p.load(fromByteOffset: 2, as: UInt8.self))
            result |= (b2 & 0x7F) &<< 14
            if b2 < 0x80 { cursor = p + 3; return result }
            var shift: UInt64 = 21
            var q = p + 3
            while true {
                let byte = q.load(as: UInt8.self)
                q += 1
                result |= UInt64(byte & 0x7F) &<< shift
                if byte < 0x80 { cursor = q; return result }
                shift &+= 7
                if shift == 70 { throw error(.malformedVarint) }
            }
        }
        return try readVarintNearEnd()
    }

    /// `readVarint` with fewer than ten bytes left: every byte bound-checked.
    @inlinable
    mutating func readVarintNearEnd() throws(WireDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var p = cursor
        while p < end {
            let byte = p.load(as: UInt8.self)
            p += 1
            result |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 { cursor = p; return result }
            shift &+= 7
            if shift == 70 { throw error(.malformedVarint) }
        }
        throw error(.truncated)
    }

    @inlinable
    public mutating func readFixed32() throws(WireDecodingError) -> UInt32 {
        guard end - cursor >= 4 else { throw error(.truncated) }
        let v = cursor.loadUnaligned(as: UInt32.self)
        cursor += 4
        return UInt32(littleEndian: v)
    }

    @inlinable
    public mutating func readFixed64() throws(WireDecodingError) -> UInt64 {
        guard end - cursor >= 8 else { throw error(.truncated) }
        let v = cursor.loadUnaligned(as: UInt64.self)
        cursor += 8
        return UInt64(littleEndian: v)
    }

    /// Reads a length prefix and checks that many bytes remain.
    @inlinable
    public mutating func readLength() throws(WireDecodingError) -> Int {
        let start = cursor
        let length = try readVarint()
        guard length <= UInt64(end - cursor) else {
            cursor = start
            throw error(.lengthOutOfBounds)
        }
        return Int(length)
    }

    /// Reads a length-prefixed run of bytes and hands it to `body` without copying.
    @inlinable
    public mutating func readLengthDelimited<T>(
        _ body: (UnsafeRawBufferPointer) throws(WireDecodingError) -> T
    ) throws(WireDecodingError) -> T {
        let length = try readLength()
        let bytes = UnsafeRawBufferPointer(start: cursor, count: length)
        let value = try body(bytes)
        cursor += length
        return value
    }

    // MARK: Nested messages

    /// Decodes a length-delimited sub-message, merging into `message`. An error inside it that
    /// names no field (a broken tag) is reported for this field.
    @inlinable
    public mutating func readMessage<M: ProtoMessage>(into message: inout M) throws(WireDecodingError) {
        let fieldTag = tagStart
        let length = try readLength()
        guard depth < WireReader.recursionLimit else { throw error(.recursionLimitExceeded) }
        let outerEnd = end
        end = cursor + length
        depth += 1
        do { try message.merge(from: &self) } catch { throw error.inField(fieldNumber(at: fieldTag)) }
        depth -= 1
        end = outerEnd
    }

    // MARK: Unknown fields

    /// Skips the value of `tag` (already read) and keeps its bytes, tag included, in `unknown`.
    /// Out of line: unknown fields are the exception, and every message calls this.
    public mutating func skip(_ tag: FieldTag, into unknown: inout UnknownFields) throws(WireDecodingError) {
        let start = tagStart
        // Name the unknown field in errors from its value, as `read` does for known fields.
        do { try skipValue(tag) } catch { throw error.inField(tag.fieldNumber) }
        unknown.append(UnsafeRawBufferPointer(start: start, count: cursor - start))
    }

    /// Skips the value of `tag` (already read), discarding it.
    @usableFromInline
    mutating func skipValue(_ tag: FieldTag) throws(WireDecodingError) {
        switch tag.wireType {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed64()
        case .fixed32: _ = try readFixed32()
        case .lengthDelimited: cursor += try readLength()
        case .startGroup: try skipGroup(tag.fieldNumber)
        case .endGroup: throw error(.unmatchedEndGroup, field: tag.fieldNumber)
        }
    }

    @usableFromInline
    mutating func skipGroup(_ fieldNumber: Int) throws(WireDecodingError) {
        guard depth < WireReader.recursionLimit else { throw error(.recursionLimitExceeded, field: fieldNumber) }
        depth += 1
        defer { depth -= 1 }
        while cursor < end {
            let start = cursor
            let tag = try readTag()
            if tag.wireType == .endGroup {
                guard tag.fieldNumber == fieldNumber else {
                    cursor = start
                    throw error(.unmatchedEndGroup, field: tag.fieldNumber)
                }
                return
            }
            try skipValue(tag)
        }
        throw error(.truncated, field: fieldNumber)
    }
}

@available(*, unavailable)
extension WireReader: Sendable {}

extension WireDecodingError {
    /// The same error, naming `field` if no inner field was named already.
    @inlinable
    func inField(_ field: Int) -> WireDecodingError {
        if fieldNumber != 0 { return self }
        var e = self
        e.fieldNumber = field
        return e
    }
}
