// The field-level helpers generated `encodedSize()` and `encode(to:)` call:
// one per presence and cardinality, generic over the field's codec.

/// Encoded sizes of whole fields, tags included.
public enum WireSize {
    @inlinable
    public static func tag(_ fieldNumber: Int) -> Int { Varint.size(UInt64(fieldNumber &<< 3)) }

    /// An implicit-presence field: nothing when it holds the default. Always inlined, so that the
    /// tag's size folds to a constant.
    @inlinable @inline(__always)
    public static func implicit<C: FieldCodec>(_: C.Type, _ field: Int, _ value: C.Value) -> Int {
        C.isDefault(value) ? 0 : tag(field) &+ C.size(of: value)
    }

    /// A field with explicit presence: nothing when absent.
    @inlinable
    public static func optional<C: FieldCodec>(_: C.Type, _ field: Int, _ value: C.Value?) -> Int {
        guard let value else { return 0 }
        return tag(field) &+ C.size(of: value)
    }

    /// A set field, whatever its value (a oneof member, a required field).
    @inlinable
    public static func field<C: FieldCodec>(_: C.Type, _ field: Int, _ value: C.Value) -> Int {
        tag(field) &+ C.size(of: value)
    }

    /// A repeated field with one tag per element.
    @inlinable
    public static func repeated<C: FieldCodec>(_: C.Type, _ field: Int, _ values: [C.Value]) -> Int {
        var n = values.count &* tag(field)
        for v in values { n &+= C.size(of: v) }
        return n
    }

    /// A packed repeated field: one tag, one length, the values back to back.
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
    @inlinable
    public static func map<K: FieldCodec, V: FieldCodec>(
        _: K.Type, _: V.Type, _ field: Int, _ map: [K.Value: V.Value]
    ) -> Int {
        var n = map.count &* tag(field)
        for (k, v) in map {
            let entry = entrySize(K.self, V.self, k, v)
            n &+= Varint.size(UInt64(entry)) &+ entry
        }
        return n
    }

    @inlinable
    static func entrySize<K: FieldCodec, V: FieldCodec>(_: K.Type, _: V.Type, _ k: K.Value, _ v: V.Value) -> Int {
        2 &+ K.size(of: k) &+ V.size(of: v)
    }
}

extension WireWriter {
    @inlinable
    public mutating func implicit<C: FieldCodec>(_: C.Type, _ field: Int, _ value: C.Value) {
        if C.isDefault(value) { return }
        writeTag(field, C.wireType)
        C.write(value, to: &self)
    }

    @inlinable
    public mutating func optional<C: FieldCodec>(_: C.Type, _ field: Int, _ value: C.Value?) {
        guard let value else { return }
        writeTag(field, C.wireType)
        C.write(value, to: &self)
    }

    @inlinable
    public mutating func field<C: FieldCodec>(_: C.Type, _ field: Int, _ value: C.Value) {
        writeTag(field, C.wireType)
        C.write(value, to: &self)
    }

    @inlinable
    public mutating func repeated<C: FieldCodec>(_: C.Type, _ field: Int, _ values: [C.Value]) {
        for v in values {
            writeTag(field, C.wireType)
            C.write(v, to: &self)
        }
    }

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
    @inlinable
    public mutating func map<K: FieldCodec, V: FieldCodec>(
        _: K.Type, _: V.Type, _ field: Int, _ map: [K.Value: V.Value]
    ) where K.Value: MapKey {
        if map.isEmpty { return }
        if map.count == 1, let (k, v) = map.first {
            mapEntry(K.self, V.self, field, k, v)
            return
        }
        if K.Value.self == String.self, map.count <= 1 << 16 {
            stringKeyedMap(K.self, V.self, field, map)
            return
        }
        var entries = Array(map)
        entries.sort { K.Value.mapKeyPrecedes($0.key, $1.key) }
        for (k, v) in entries {
            mapEntry(K.self, V.self, field, k, v)
        }
    }

    /// A map with `String` keys, in key order. Each pair is sorted as one integer, the first six
    /// UTF-8 bytes of its key above its position in the dictionary (a radix sort on the bytes
    /// that differ), and pairs whose six bytes tie are then ordered by their whole keys. Pairs are
    /// reached through their dictionary indices: copying them out (`Array(map)`) cost a retain
    /// per key and, on destruction, the runtime's generic tuple witness per pair.
    @inlinable
    mutating func stringKeyedMap<K: FieldCodec, V: FieldCodec>(
        _: K.Type, _: V.Type, _ field: Int, _ map: [K.Value: V.Value]
    ) where K.Value: MapKey {
        let n = map.count
        withUnsafeTemporaryAllocation(of: [K.Value: V.Value].Index.self, capacity: n) { indices in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 &* n) { words in
                let order = words.baseAddress!
                var index = map.startIndex
                var i = 0
                while i < n {
                    indices.initializeElement(at: i, to: index)
                    let key = unsafeBitCast(map.keys[index], to: String.self)
                    (order + i).initialize(to: String.utf8Prefix(key) & ~0xFFFF | UInt64(i))
                    map.formIndex(after: &index)
                    i &+= 1
                }
                MapOrder.sortByPrefix(order, scratch: order + n, count: n)
                var start = 0
                while start < n {
                    var stop = start &+ 1
                    while stop < n, order[stop] >> 16 == order[start] >> 16 { stop &+= 1 }
                    if stop &- start > 1 {
                        var group = UnsafeMutableBufferPointer(start: order + start, count: stop &- start)
                        group.sort {
                            K.Value.mapKeyPrecedes(map.keys[indices[Int($0 & 0xFFFF)]], map.keys[indices[Int($1 & 0xFFFF)]])
                        }
                    }
                    start = stop
                }
                for j in 0..<n {
                    let entry = map[indices[Int(order[j] & 0xFFFF)]]
                    mapEntry(K.self, V.self, field, entry.key, entry.value)
                }
                indices.baseAddress!.deinitialize(count: n)
            }
        }
    }

    @inlinable
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
    static func mapKeyPrecedes(_ a: Self, _ b: Self) -> Bool
}

extension MapKey where Self: Comparable {
    @inlinable public static func mapKeyPrecedes(_ a: Self, _ b: Self) -> Bool { a < b }
}

extension Int32: MapKey {}
extension Int64: MapKey {}
extension UInt32: MapKey {}
extension UInt64: MapKey {}
extension String: MapKey {
    /// The first eight bytes of the UTF-8, big-endian, zero-padded: orders as the bytes do,
    /// except that strings equal in these bytes need a whole comparison.
    @inlinable static func utf8Prefix(_ s: String) -> UInt64 {
        // Without the copy `withUTF8` needs, for strings that are contiguous UTF-8.
        if let v = s.utf8.withContiguousStorageIfAvailable({ utf8Prefix(UnsafeRawBufferPointer($0)) }) { return v }
        var s = s
        return s.withUTF8 { utf8Prefix(UnsafeRawBufferPointer($0)) }
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
extension Bool: MapKey {
    @inlinable public static func mapKeyPrecedes(_ a: Bool, _ b: Bool) -> Bool { !a && b }
}

/// Sorting of map pairs packed as `prefix << 16 | position`.
@usableFromInline
enum MapOrder {
    /// Sorts `count` words by their top 48 bits, stably: pairs with equal prefixes stay in
    /// position order. Small counts by insertion; otherwise a least-significant-byte radix sort
    /// that skips the bytes every word shares. `scratch` has room for `count` words.
    @inlinable
    static func sortByPrefix(_ words: UnsafeMutablePointer<UInt64>, scratch: UnsafeMutablePointer<UInt64>, count n: Int) {
        if n <= 24 {
            // Whole words: equal prefixes fall in position order, as in the radix sort.
            var i = 1
            while i < n {
                let w = words[i]
                var j = i
                while j > 0, words[j &- 1] > w {
                    words[j] = words[j &- 1]
                    j &-= 1
                }
                words[j] = w
                i &+= 1
            }
            return
        }
        var any: UInt64 = 0
        var all: UInt64 = ~0
        for i in 0..<n {
            any |= words[i]
            all &= words[i]
        }
        let varying = (any ^ all) & ~0xFFFF
        if varying == 0 { return }
        var source = words
        var target = scratch
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
            let slots = counts.baseAddress!
            var shift: UInt64 = 16
            while shift < 64 {
                if (varying &>> shift) & 0xFF != 0 {
                    slots.initialize(repeating: 0, count: 256)
                    for i in 0..<n {
                        slots[Int(truncatingIfNeeded: source[i] &>> shift) & 0xFF] &+= 1
                    }
                    var sum = 0
                    for b in 0..<256 {
                        let c = slots[b]
                        slots[b] = sum
                        sum &+= c
                    }
                    for i in 0..<n {
                        let w = source[i]
                        let b = Int(truncatingIfNeeded: w &>> shift) & 0xFF
                        target[slots[b]] = w
                        slots[b] &+= 1
                    }
                    swap(&source, &target)
                }
                shift &+= 8
            }
        }
        if source != words { words.update(from: source, count: n) }
    }
}
