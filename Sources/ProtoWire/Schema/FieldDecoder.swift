/// Supplies the value of one field to `ProtoMessage.decodeField(_:from:)`.
///
/// The JSON reader and the text-format parser find a field by name in the message's
/// `MessageSchema`, check what the format requires of it (duplicates, oneofs, `null`), and then
/// call `decodeField` with its number; the message's switch names the field's codec and stores
/// what the decoder returns:
///
///     switch number {
///     case 1: self.query = try decoder.read(ProtoString.self)
///     case 3: try decoder.readRepeated(ProtoString.self, into: &self.tags)
///     case 4: try decoder.readMap(ProtoString.self, ProtoInt64.self, into: &self.counts)
///     case 6: self.choice = .name(try decoder.read(ProtoString.self))
///     default: break
///     }
///
/// The calls throw untyped errors, for the reason given at `FieldVisitor`; each decoder throws
/// errors of its own type (`JSONDecodingError`, `TextFormatDecodingError`).
///
/// A singular field is only ever decoded once per message (both formats reject a repeated
/// singular field), so reading replaces: there is nothing to merge. Repeated fields and maps are
/// read element by element (`nextElement`, `nextEntry`) by loops inlined into the message's
/// `decodeField`, which are specialised for the element type there.
public protocol FieldDecoder {
    /// The value of a singular field (or of a oneof member, an optional).
    mutating func read<C: FieldCodec>(_ codec: C.Type) throws -> C.Value

    /// Reads the next value of a repeated field into `element`, which holds the codec's default;
    /// false, leaving `element` as it is, when the field has no more. `cursor` starts as
    /// `ListCursor()` for each field.
    mutating func nextElement<C: FieldCodec>(
        _ codec: C.Type, into element: inout C.Value, _ cursor: inout ListCursor
    ) throws -> Bool

    /// Reads the next entry of a map field into `key` and `value`; false when the field has no
    /// more. `cursor` starts as `ListCursor()` for each field.
    mutating func nextEntry<K: FieldCodec, V: FieldCodec>(
        _ keyCodec: K.Type, _ valueCodec: V.Type, key: inout K.Value, value: inout V.Value, _ cursor: inout ListCursor
    ) throws -> Bool
}

/// Where a decoder is in a repeated field or map: kept by the loop reading it, read and
/// updated only by the decoder.
public struct ListCursor: Sendable {
    /// 0 before the first element; the decoders' own states after.
    @usableFromInline var state: Int
    /// Elements read so far (for error paths).
    @usableFromInline var index: Int

    @inlinable
    public init() {
        state = 0
        index = 0
    }

    /// Whether nothing has been read yet: for decoders of one's own, with `advance()`.
    public var isFirst: Bool { state == 0 && index == 0 }

    /// Marks one element read.
    public mutating func advance() {
        state = 1
        index += 1
    }
}

extension FieldDecoder {
    /// Appends the values of a repeated field.
    @inlinable @inline(__always)
    public mutating func readRepeated<C: FieldCodec>(_ codec: C.Type, into values: inout [C.Value]) throws {
        // Each element is read straight into the array's storage: a slot is added, filled, and
        // taken back off at the end (or on an error). The count is not known in advance: room
        // for about 256 bytes of elements first saves the doublings from one element up.
        var cursor = ListCursor()
        if values.isEmpty {
            values.reserveCapacity(Swift.max(2, Swift.min(16, 256 / Swift.max(1, MemoryLayout<C.Value>.stride))))
        }
        while true {
            values.append(C.defaultValue)
            let more: Bool
            do throws {
                more = try nextElement(C.self, into: &values[values.count &- 1], &cursor)
            } catch {
                values.removeLast()
                throw error
            }
            if !more {
                values.removeLast()
                return
            }
        }
    }

    /// Adds the entries of a map field; a later entry with a key replaces an earlier one.
    @inlinable @inline(__always)
    public mutating func readMap<K: FieldCodec, V: FieldCodec>(
        _ key: K.Type, _ value: V.Type, into map: inout [K.Value: V.Value]
    ) throws where K.Value: MapKey {
        var cursor = ListCursor()
        var k = K.defaultValue
        var v = V.defaultValue
        while try nextEntry(K.self, V.self, key: &k, value: &v, &cursor) { map[k] = v }
    }
}
