// Encoding of the field kinds that hold many values, packed runs and maps, generic over the
// values' codecs. Packed runs are specialised here once per kind (behind the concrete
// `writePackedInt32`, … of FieldWriting.swift). Maps are not specialised in generated code at
// all: the common string-keyed kinds have concrete entry points compiled here (MapKernels.swift),
// and every other map runs this generic code as it is, from ProtoWire.

/// Encoded sizes of whole fields, tags included.
public enum WireSize {
    @inlinable
    public static func tag(_ fieldNumber: Int) -> Int { Varint.size(UInt64(fieldNumber &<< 3)) }

    /// A packed repeated field: one tag, one length, the values back to back; 0 when empty.
    @inlinable
    public static func packed<C: PackableCodec>(_: C.Type, _ field: Int, _ values: [C.Value]) -> Int {
        if values.isEmpty { return 0 }
        let body = packedBody(C.self, values)
        return tag(field) &+ Varint.size(UInt64(body)) &+ body
    }

    @inlinable
    static func packedBody<C: PackableCodec>(_: C.Type, _ values: [C.Value]) -> Int {
        switch C.wireType {
        case .fixed32: return values.count &* 4
        case .fixed64: return values.count &* 8
        default:
            var n = 0
            for v in values { n &+= C.size(of: v) }
            return n
        }
    }

    /// A map field: one length-delimited entry (key 1, value 2) per pair.
    public static func map<K: FieldCodec, V: FieldCodec>(
        _: K.Type, _: V.Type, _ field: Int, _ map: [K.Value: V.Value]
    ) -> Int {
        var n = map.count &* tag(field)
        for (k, v) in map {
            let entry = 2 &+ K.size(of: k) &+ V.size(of: v)
            n &+= Varint.size(UInt64(entry)) &+ entry
        }
        return n
    }
}

extension WireWriter {
    /// A packed repeated field; nothing when empty.
    @inlinable
    public mutating func packed<C: PackableCodec>(_: C.Type, _ field: Int, _ values: [C.Value]) {
        if values.isEmpty { return }
        writeTag(field, .lengthDelimited)
        switch C.wireType {
        case .fixed32, .fixed64:
            // The length is known up front: no body written first and moved after.
            writeVarint(UInt64(WireSize.packedBody(C.self, values)))
            for v in values { C.write(v, to: &self) }
        default:
            writeLengthDelimited { writer in
                for v in values { C.write(v, to: &writer) }
            }
        }
    }

    /// Writes map entries in key order, so equal maps always give equal bytes.
    ///
    /// Pairs are reached through their dictionary indices (copying them out cost a retain per key
    /// and, on destruction, the runtime's generic tuple witness per pair). The keys' order is
    /// found by `MapOrder.sort`, which is not generic.
    public mutating func map<K: FieldCodec, V: FieldCodec>(
        _: K.Type, _: V.Type, _ field: Int, _ map: [K.Value: V.Value]
    ) where K.Value: MapKey {
        let n = map.count
        if n == 0 { return }
        if n == 1, let (k, v) = map.first {
            mapEntry(K.self, V.self, field, k, v)
            return
        }
        withUnsafeTemporaryAllocation(of: [K.Value: V.Value].Index.self, capacity: n) { indices in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 3 &* n) { words in
                let order = words.baseAddress!
                let prefixes = order + n
                var index = map.startIndex
                var i = 0
                while i < n {
                    indices.initializeElement(at: i, to: index)
                    (prefixes + i).initialize(to: K.Value.mapOrderPrefix(map.keys[index]))
                    map.formIndex(after: &index)
                    i &+= 1
                }
                let mask = MapOrder.sort(
                    order, prefixes: prefixes, scratch: order + 2 &* n, count: n,
                    deeper: { i, depth in K.Value.mapOrderPrefix(map.keys[indices[i]], depth: depth) }
                ) { a, b in
                    K.Value.mapKeyPrecedes(map.keys[indices[a]], map.keys[indices[b]])
                }
                for j in 0..<n {
                    let entry = map[indices[Int(truncatingIfNeeded: order[j] & mask)]]
                    mapEntry(K.self, V.self, field, entry.key, entry.value)
                }
                indices.baseAddress!.deinitialize(count: n)
            }
        }
    }

    @usableFromInline
    mutating func mapEntry<K: FieldCodec, V: FieldCodec>(_: K.Type, _: V.Type, _ field: Int, _ k: K.Value, _ v: V.Value) {
        writeTag(field, .lengthDelimited)
        // The entry is written before its length (see `writeLengthDelimited`), so the key's and
        // value's sizes are not computed a second time; the bytes are the same.
        writeLengthDelimited { writer in
            writer.writeByte(1 << 3 | K.wireType.rawValue)
            K.write(k, to: &writer)
            writer.writeByte(2 << 3 | V.wireType.rawValue)
            V.write(v, to: &writer)
        }
    }

    /// Writes preserved unknown fields back out, byte for byte.
    @inlinable
    public mutating func unknown(_ fields: UnknownFields) {
        if fields.bytes.isEmpty { return }
        fields.bytes.withUnsafeBytes { writeBytes($0) }
    }
}

/// A type that can be a map key: integers, `Bool` and `String`, ordered for deterministic output.
public protocol MapKey: Hashable, Sendable {
    /// True when `a` comes before `b` in the order protobuf writes map entries.
    static func mapKeyPrecedes(_ a: Self, _ b: Self) -> Bool
    /// A number that orders as the keys do, except that keys with equal numbers need
    /// `mapOrderPrefix(_:depth:)` (only strings sharing their first eight bytes).
    static func mapOrderPrefix(_ key: Self) -> UInt64
    /// The key's next eight bytes of order after `8 * depth`, as `mapOrderPrefix` gives the
    /// first eight; nil when the key has nothing left there (every key but a long string).
    static func mapOrderPrefix(_ key: Self, depth: Int) -> UInt64?
}

extension MapKey where Self: Comparable {
    @inlinable public static func mapKeyPrecedes(_ a: Self, _ b: Self) -> Bool { a < b }
}

extension MapKey {
    @inlinable public static func mapOrderPrefix(_ key: Self, depth: Int) -> UInt64? { nil }
}

extension Int32: MapKey {
    /// Signed keys with the sign bit flipped order as unsigned numbers.
    @inlinable public static func mapOrderPrefix(_ key: Int32) -> UInt64 { UInt64(bitPattern: Int64(key)) ^ (1 << 63) }
}
extension Int64: MapKey {
    @inlinable public static func mapOrderPrefix(_ key: Int64) -> UInt64 { UInt64(bitPattern: key) ^ (1 << 63) }
}
extension UInt32: MapKey {
    @inlinable public static func mapOrderPrefix(_ key: UInt32) -> UInt64 { UInt64(key) }
}
extension UInt64: MapKey {
    @inlinable public static func mapOrderPrefix(_ key: UInt64) -> UInt64 { key }
}
extension Bool: MapKey {
    @inlinable public static func mapKeyPrecedes(_ a: Bool, _ b: Bool) -> Bool { !a && b }
    @inlinable public static func mapOrderPrefix(_ key: Bool) -> UInt64 { key ? 1 : 0 }
}
extension String: MapKey {
    /// The first eight bytes of the UTF-8, big-endian, zero-padded: orders as the bytes do,
    /// except that strings equal in these bytes need a whole comparison.
    @inlinable public static func mapOrderPrefix(_ s: String) -> UInt64 {
        // Without the copy `withUTF8` needs, for strings that are contiguous UTF-8.
        if let v = s.utf8.withContiguousStorageIfAvailable({ utf8Prefix(UnsafeRawBufferPointer($0)) }) { return v }
        var s = s
        return s.withUTF8 { utf8Prefix(UnsafeRawBufferPointer($0)) }
    }

    /// The eight bytes of the UTF-8 from `8 * depth` on, as `mapOrderPrefix(_:)` reads the first.
    /// (`mapOrderPrefix(_:)` written as `mapOrderPrefix(s, depth: 0) ?? 0` cost 1.2k instructions
    /// more per 100-entry map encode, measured: it stays a copy.)
    @inlinable public static func mapOrderPrefix(_ s: String, depth: Int) -> UInt64? {
        let offset = 8 &* depth
        let read = { (bytes: UnsafeRawBufferPointer) -> UInt64? in
            bytes.count > offset ? utf8Prefix(UnsafeRawBufferPointer(rebasing: bytes[offset...])) : nil
        }
        if let v = s.utf8.withContiguousStorageIfAvailable({ read(UnsafeRawBufferPointer($0)) }) { return v }
        var s = s
        return s.withUTF8 { read(UnsafeRawBufferPointer($0)) }
    }

    @inlinable static func utf8Prefix(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = bytes.baseAddress else { return 0 }
        let n = bytes.count
        if n >= 8 { return UInt64(bigEndian: base.loadUnaligned(as: UInt64.self)) }
        // Fewer than eight bytes: four, two and one at a time, never past the end.
        var v: UInt64 = 0
        var i = 0
        if n & 4 != 0 {
            v = UInt64(UInt32(bigEndian: base.loadUnaligned(as: UInt32.self))) &<< 32
            i = 4
        }
        if n & 2 != 0 {
            v |= UInt64(UInt16(bigEndian: base.loadUnaligned(fromByteOffset: i, as: UInt16.self))) &<< UInt64(48 &- 8 &* i)
            i &+= 2
        }
        if n & 1 != 0 {
            v |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) &<< UInt64(56 &- 8 &* i)
        }
        return v
    }

    /// Protobuf orders string keys by their UTF-8 bytes, not by Swift's Unicode-aware `<`.
    /// Compared as contiguous bytes: `utf8.lexicographicallyPrecedes` walks two iterators and
    /// cost 85% of encoding a map<string, int64> of 100 entries.
    @inlinable public static func mapKeyPrecedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = Swift.min(x.count, y.count)
                var i = 0
                while i < n {
                    let p = x[i], q = y[i]
                    if p != q { return p < q }
                    i &+= 1
                }
                return x.count < y.count
            }
        }
    }
}
