// The field-level helpers generated `merge(from:)` methods call, one per
// cardinality, generic over the field's codec. Each checks the wire type and
// names the field in any error it throws.

extension WireReader {
    /// Reads one value of a singular field.
    @inlinable
    public mutating func read<C: FieldCodec>(_: C.Type, _ tag: FieldTag) throws(WireDecodingError) -> C.Value {
        guard tag.wireType == C.wireType else { throw wrongWireType(tag) }
        do { return try C.read(from: &self) } catch { throw error.inField(tag.fieldNumber) }
    }

    /// Merges a singular message field into what it already holds.
    @inlinable
    public mutating func readMessage<M: ProtoMessage>(_ tag: FieldTag, into message: inout M?) throws(WireDecodingError) {
        guard tag.wireType == .lengthDelimited else { throw wrongWireType(tag) }
        var m = message ?? M()
        message = nil  // keeps `m` uniquely referenced while it is decoded into
        do { try readMessage(into: &m) } catch {
            message = m
            throw error.inField(tag.fieldNumber)
        }
        message = m
    }

    /// Merges a message field that is always present (a map value, a oneof member being merged).
    @inlinable
    public mutating func readMessage<M: ProtoMessage>(_ tag: FieldTag, into message: inout M) throws(WireDecodingError) {
        guard tag.wireType == .lengthDelimited else { throw wrongWireType(tag) }
        do { try readMessage(into: &message) } catch { throw error.inField(tag.fieldNumber) }
    }

    /// Appends to a repeated field. Packable types accept both packed and one-per-tag encodings.
    @inlinable
    public mutating func readRepeated<C: FieldCodec>(_: C.Type, _ tag: FieldTag, into values: inout [C.Value]) throws(WireDecodingError) {
        guard tag.wireType == C.wireType else { throw wrongWireType(tag) }
        do { values.append(try C.read(from: &self)) } catch { throw error.inField(tag.fieldNumber) }
    }

    @inlinable
    public mutating func readRepeated<C: PackableCodec>(_: C.Type, _ tag: FieldTag, into values: inout [C.Value]) throws(WireDecodingError) {
        do throws(WireDecodingError) {
            if tag.wireType == C.wireType {
                values.append(try C.read(from: &self))
            } else if tag.wireType == .lengthDelimited {
                try readPacked(C.self, into: &values)
            } else {
                throw wrongWireType(tag)
            }
        } catch {
            throw error.inField(tag.fieldNumber)
        }
    }

    @inlinable
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

    /// Reads one map entry into `map`. A missing key or value takes its type's default.
    @inlinable
    public mutating func readMapEntry<K: FieldCodec, V: FieldCodec>(
        _: K.Type, _: V.Type, _ tag: FieldTag, into map: inout [K.Value: V.Value]
    ) throws(WireDecodingError) {
        guard tag.wireType == .lengthDelimited else { throw wrongWireType(tag) }
        do throws(WireDecodingError) {
            let length = try readLength()
            guard depth < WireReader.recursionLimit else { throw error(.recursionLimitExceeded) }
            let outerEnd = end
            end = cursor + length
            depth += 1
            var key = K.defaultValue
            var value = V.defaultValue
            var ignored = UnknownFields()
            while let t = try nextTag() {
                switch t.fieldNumber {
                case 1:
                    guard t.wireType == K.wireType else { throw wrongWireType(t) }
                    key = try K.read(from: &self)
                case 2:
                    guard t.wireType == V.wireType else { throw wrongWireType(t) }
                    value = try V.read(from: &self)
                default:
                    try skip(t, into: &ignored)
                }
            }
            depth -= 1
            end = outerEnd
            map[key] = value
        } catch {
            throw error.inField(tag.fieldNumber)
        }
    }

    /// Reads a closed enum. A number the enum does not declare is kept, with its tag, in `unknown`.
    @inlinable
    public mutating func readClosedEnum<E: ProtoEnum>(
        _: E.Type, _ tag: FieldTag, unknown: inout UnknownFields
    ) throws(WireDecodingError) -> E? {
        guard tag.wireType == .varint else { throw wrongWireType(tag) }
        let start = tagStart
        let raw: UInt64
        do { raw = try readVarint() } catch { throw error.inField(tag.fieldNumber) }
        if let e = E(rawValue: Int32(truncatingIfNeeded: raw)) { return e }
        unknown.append(UnsafeRawBufferPointer(start: start, count: cursor - start))
        return nil
    }

    /// Appends to a repeated closed enum; numbers the enum does not declare go to `unknown`.
    @inlinable
    public mutating func readRepeatedClosedEnum<E: ProtoEnum>(
        _: E.Type, _ tag: FieldTag, into values: inout [E], unknown: inout UnknownFields
    ) throws(WireDecodingError) {
        if tag.wireType == .lengthDelimited {
            do throws(WireDecodingError) {
                var raws: [Int32] = []
                try readPacked(ProtoInt32.self, into: &raws)
                for raw in raws {
                    if let e = E(rawValue: raw) {
                        values.append(e)
                    } else {
                        unknown.appendVarintField(tag.fieldNumber, UInt64(bitPattern: Int64(raw)))
                    }
                }
            } catch {
                throw error.inField(tag.fieldNumber)
            }
        } else if let e = try readClosedEnum(E.self, tag, unknown: &unknown) {
            values.append(e)
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
