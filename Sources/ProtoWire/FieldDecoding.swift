// Decoding of the field kinds that hold many values, packed runs and map entries, generic over
// the values' codecs (see FieldEncoding.swift for where each is specialised).

extension WireReader {
    /// Reads a packed run (its length, then values up to it) into `values`.
    @inlinable @inline(never)
    mutating func readPacked<C: PackableCodec>(_: C.Type, into values: inout [C.Value]) throws(WireDecodingError) {
        let length = try readLength()
        let packedEnd = cursor + length
        switch C.wireType {
        case .fixed32, .fixed64:
            let width = C.wireType == .fixed32 ? 4 : 8
            guard length % width == 0 else { throw error(.malformedPacked) }
            // Reserve room for the run, but never less than double the current capacity: an exact
            // reservation per run would copy the array for every one of many small runs (quadratic).
            let needed = values.count &+ length / width
            if needed > values.capacity {
                values.reserveCapacity(Swift.max(needed, values.capacity &* 2))
            }
        default:
            // Varints: one value ends at each byte below 0x80, so the run's count is known before
            // decoding and the values go straight into new storage (appending one by one cost a
            // uniqueness and capacity check per value, 40% of decoding 1,000 packed int64s).
            var count = 0
            var p = cursor
            while packedEnd - p >= 8 {
                // Eight bytes at a time: count the bytes whose top bit is clear.
                let word = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
                count &+= (~word & 0x8080_8080_8080_8080).nonzeroBitCount
                p += 8
            }
            while p < packedEnd {
                count &+= Int(p.load(as: UInt8.self) >> 7 ^ 1)
                p += 1
            }
            let outerEnd = end
            end = packedEnd
            defer { end = outerEnd }
            var failure: WireDecodingError?
            let run: [C.Value]
            if count <= 128 {
                // Short runs: allocated by specialised code (see `PackedRun`), where the metadata
                // lookup of the path below is a large share of the run.
                var short: [C.Value] = []
                withUnsafeMutablePointer(to: &self) { reader in
                    withUnsafeMutablePointer(to: &failure) { failure in
                        short.append(contentsOf: PackedRun<C>(reader: reader, failure: failure, count: count))
                    }
                }
                run = short
            } else {
                // Long runs: this loop decodes ~3 instructions a value faster than `PackedRun`'s.
                run = [C.Value](unsafeUninitializedCapacity: count) { buffer, initialized in
                    do throws(WireDecodingError) {
                        while initialized < count {
                            buffer.initializeElement(at: initialized, to: try C.read(from: &self))
                            initialized &+= 1
                        }
                    } catch {
                        failure = error
                    }
                }
            }
            if let failure { throw failure }
            // Bytes left after the last complete varint: reading one more fails as it always did.
            if cursor < packedEnd { _ = try C.read(from: &self) }
            if values.isEmpty { values = run } else { values.append(contentsOf: run) }
            return
        }
        let outerEnd = end
        end = packedEnd
        defer { end = outerEnd }
        while cursor < packedEnd {
            values.append(try C.read(from: &self))
        }
    }

    /// Reads one map entry (the tag, length-delimited, has been read) into `map`. A missing key or
    /// value takes its type's default; other fields in the entry, and a key or value of the wrong
    /// wire type, are skipped. Errors inside the entry name the map's field, unless they come from
    /// a message value's own fields.
    public mutating func readMapEntry<K: FieldCodec, V: FieldCodec>(
        _: K.Type, _: V.Type, into map: inout [K.Value: V.Value]
    ) throws(WireDecodingError) where K.Value: MapKey {
        let fieldTag = tagStart
        do throws(WireDecodingError) {
            let length = try readLength()
            guard depth < WireReader.recursionLimit else { throw error(.recursionLimitExceeded) }
            let outerEnd = end
            end = cursor + length
            depth += 1
            var key = K.defaultValue
            var value = V.defaultValue
            while let t = try nextTag() {
                tagStart = fieldTag  // the entry's own fields are named as the map's
                switch t.rawValue {
                case 1 << 3 | UInt32(K.wireType.rawValue): key = try K.read(from: &self)
                case 2 << 3 | UInt32(V.wireType.rawValue): value = try V.read(from: &self)
                default: try skipValue(t)
                }
            }
            depth -= 1
            end = outerEnd
            map[key] = value
        } catch {
            throw error.inField(fieldNumber(at: fieldTag))
        }
    }
}

/// `count` values of a packed run, decoded by `Array.append(contentsOf:)` straight into the
/// array's new storage. `Array(unsafeUninitializedCapacity:)` did the same through the standard
/// library's unspecialised buffer initializer, with a metadata lookup per run (~280 instructions).
/// A decoding error is stored in `failure` and the rest of the run filled with defaults (the
/// array must get `count` values); the caller then throws and drops the array.
@usableFromInline
struct PackedRun<C: PackableCodec>: Sequence {
    @usableFromInline let reader: UnsafeMutablePointer<WireReader>
    @usableFromInline let failure: UnsafeMutablePointer<WireDecodingError?>
    @usableFromInline let count: Int

    @inlinable
    init(reader: UnsafeMutablePointer<WireReader>, failure: UnsafeMutablePointer<WireDecodingError?>, count: Int) {
        self.reader = reader
        self.failure = failure
        self.count = count
    }

    @usableFromInline
    struct Iterator: IteratorProtocol {
        @inlinable init() {}
        @inlinable mutating func next() -> C.Value? { nil }
    }

    @inlinable
    func makeIterator() -> Iterator { Iterator() }

    @inlinable
    var underestimatedCount: Int { count }

    @inlinable
    func _copyContents(
        initializing buffer: UnsafeMutableBufferPointer<C.Value>
    ) -> (Iterator, UnsafeMutableBufferPointer<C.Value>.Index) {
        // `append(contentsOf:)` has reserved `underestimatedCount` values.
        precondition(buffer.count >= count, "PackedRun: buffer smaller than its count")
        var i = 0
        var r = reader.pointee  // a local copy keeps the cursor in a register
        do throws(WireDecodingError) {
            while i < count {
                buffer.initializeElement(at: i, to: try C.read(from: &r))
                i &+= 1
            }
        } catch {
            failure.pointee = error
        }
        reader.pointee = r
        while i < count {
            buffer.initializeElement(at: i, to: C.defaultValue)
            i &+= 1
        }
        return (Iterator(), count)
    }
}
