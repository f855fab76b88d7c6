/// Writes protobuf wire format into memory already sized for it.
///
/// Encoding is one pass: `ProtoMessage.encodedSize()` gives the exact size, a
/// buffer of that size is allocated once, and the writer fills it front to back.
/// The writer never checks bounds: the size computation is its contract.
public struct WireWriter {
    @usableFromInline var cursor: UnsafeMutablePointer<UInt8>

    /// Starts writing at `start`, which must have room for everything written.
    @inlinable
    public init(start: UnsafeMutableRawPointer) {
        cursor = start.assumingMemoryBound(to: UInt8.self)
    }

    /// Where the next byte goes.
    @inlinable
    public var position: UnsafeMutableRawPointer { UnsafeMutableRawPointer(cursor) }

    @inlinable
    public mutating func writeByte(_ byte: UInt8) {
        cursor.pointee = byte
        cursor += 1
    }

    @inlinable
    public mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            cursor.pointee = UInt8(truncatingIfNeeded: v) | 0x80
            cursor += 1
            v &>>= 7
        }
        cursor.pointee = UInt8(truncatingIfNeeded: v)
        cursor += 1
    }

    @inlinable
    public mutating func writeVarint(_ value: UInt32) { writeVarint(UInt64(value)) }

    @inlinable @inline(__always)
    public mutating func writeTag(_ fieldNumber: Int, _ wireType: WireType) {
        // Field numbers below 16 (one-byte tags) are the common case; the field number is
        // usually a constant here, so the branch folds away.
        let raw = UInt32(truncatingIfNeeded: fieldNumber) << 3 | UInt32(wireType.rawValue)
        if raw < 0x80 {
            writeByte(UInt8(truncatingIfNeeded: raw))
        } else {
            writeVarint(raw)
        }
    }

    @inlinable
    public mutating func writeFixed32(_ value: UInt32) {
        UnsafeMutableRawPointer(cursor).storeBytes(of: value.littleEndian, as: UInt32.self)
        cursor += 4
    }

    @inlinable
    public mutating func writeFixed64(_ value: UInt64) {
        UnsafeMutableRawPointer(cursor).storeBytes(of: value.littleEndian, as: UInt64.self)
        cursor += 8
    }

    @inlinable
    public mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        UnsafeMutableRawPointer(cursor).copyMemory(from: base, byteCount: bytes.count)
        cursor += bytes.count
    }

    /// Writes what `body` writes, preceded by its length as a varint, without computing the
    /// length first: one byte is left for the prefix, and a body of 128 bytes or more is moved
    /// right to make room for a longer one. The move stays inside the buffer: the buffer is sized
    /// for the prefix the body really needs. A nested message's or a packed field's size was
    /// otherwise computed again at each level of nesting, and for each field that holds it.
    @inlinable
    public mutating func writeLengthDelimited(_ body: (inout WireWriter) -> Void) {
        let start = cursor
        cursor += 1
        body(&self)
        let length = cursor - (start + 1)
        if length < 0x80 {
            start.pointee = UInt8(truncatingIfNeeded: length)
            return
        }
        let prefix = Varint.size(UInt64(length))
        (start + prefix).update(from: start + 1, count: length)  // regions may overlap: moves as memmove
        cursor = start
        writeVarint(UInt64(length))
        cursor = start + prefix + length
    }

    /// Writes a varint length prefix followed by the UTF-8 of `string`.
    @inlinable
    public mutating func writeLengthPrefixed(_ string: String) {
        // Native and small strings lend their UTF-8 without the copy `withUTF8` needs (it is
        // mutating); the copy is kept for strings that are not contiguous UTF-8.
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { utf8 in
            writeVarint(UInt64(utf8.count))
            writeBytes(UnsafeRawBufferPointer(utf8))
        }
        if done != nil { return }
        var s = string
        s.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            writeBytes(UnsafeRawBufferPointer(utf8))
        }
    }
}

@available(*, unavailable)
extension WireWriter: Sendable {}
