// The generic per-field calls that hand-written test messages use for the binary format
// (`writer.implicit(ProtoInt32.self, 1, x)`, `reader.read(ProtoInt32.self, tag)`). Generated
// code calls concrete per-kind functions instead; these keep the hand-written messages that
// exercise the JSON mapping and the text format short, on top of the codecs' own calls.

@testable import ProtoWire

extension WireSize {
    static func implicit<C: FieldCodec>(_: C.Type, _ field: Int, _ value: C.Value) -> Int {
        C.isDefault(value) ? 0 : tag(field) &+ C.size(of: value)
    }

    static func optional<C: FieldCodec>(_: C.Type, _ field: Int, _ value: C.Value?) -> Int {
        guard let value else { return 0 }
        return tag(field) &+ C.size(of: value)
    }

    static func field<C: FieldCodec>(_: C.Type, _ field: Int, _ value: C.Value) -> Int {
        tag(field) &+ C.size(of: value)
    }

    static func repeated<C: FieldCodec>(_: C.Type, _ field: Int, _ values: [C.Value]) -> Int {
        var n = values.count &* tag(field)
        for v in values { n &+= C.size(of: v) }
        return n
    }
}

extension WireWriter {
    mutating func implicit<C: FieldCodec>(_: C.Type, _ field: Int, _ value: C.Value) {
        if C.isDefault(value) { return }
        writeTag(field, C.wireType)
        C.write(value, to: &self)
    }

    mutating func optional<C: FieldCodec>(_: C.Type, _ field: Int, _ value: C.Value?) {
        guard let value else { return }
        writeTag(field, C.wireType)
        C.write(value, to: &self)
    }

    mutating func field<C: FieldCodec>(_: C.Type, _ field: Int, _ value: C.Value) {
        writeTag(field, C.wireType)
        C.write(value, to: &self)
    }

    mutating func repeated<C: FieldCodec>(_: C.Type, _ field: Int, _ values: [C.Value]) {
        for v in values {
            writeTag(field, C.wireType)
            C.write(v, to: &self)
        }
    }
}

extension WireReader {
    /// A field whose wire type is not its type's: generated code keeps such a field as unknown;
    /// these hand-written messages reject it.
    func wrongWireType(_ tag: FieldTag) -> WireDecodingError {
        WireDecodingError(WireDecodingError.Code("wrong wire type for field"), fieldNumber: tag.fieldNumber, offset: tagStart - base)
    }

    mutating func read<C: FieldCodec>(_: C.Type, _ tag: FieldTag) throws(WireDecodingError) -> C.Value {
        guard tag.wireType == C.wireType else { throw wrongWireType(tag) }
        do { return try C.read(from: &self) } catch { throw error.inField(tag.fieldNumber) }
    }

    mutating func readMessage<M: ProtoMessage>(_ tag: FieldTag, into message: inout M?) throws(WireDecodingError) {
        guard tag.wireType == .lengthDelimited else { throw wrongWireType(tag) }
        do { try readMessage(into: &message) } catch { throw error.inField(tag.fieldNumber) }
    }

    mutating func readMessage<M: ProtoMessage>(_ tag: FieldTag, into message: inout M) throws(WireDecodingError) {
        guard tag.wireType == .lengthDelimited else { throw wrongWireType(tag) }
        do { try readMessage(into: &message) } catch { throw error.inField(tag.fieldNumber) }
    }

    mutating func readRepeated<C: FieldCodec>(_: C.Type, _ tag: FieldTag, into values: inout [C.Value]) throws(WireDecodingError) {
        guard tag.wireType == C.wireType else { throw wrongWireType(tag) }
        do { values.append(try C.read(from: &self)) } catch { throw error.inField(tag.fieldNumber) }
    }

    mutating func readRepeated<C: PackableCodec>(_: C.Type, _ tag: FieldTag, into values: inout [C.Value]) throws(WireDecodingError) {
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

    mutating func readMapEntry<K: FieldCodec, V: FieldCodec>(
        _: K.Type, _: V.Type, _ tag: FieldTag, into map: inout [K.Value: V.Value]
    ) throws(WireDecodingError) where K.Value: MapKey {
        guard tag.wireType == .lengthDelimited else { throw wrongWireType(tag) }
        try readMapEntry(K.self, V.self, into: &map)
    }

    mutating func readClosedEnum<E: ProtoEnum>(_: E.Type, _ tag: FieldTag, unknown: inout UnknownFields) throws(WireDecodingError) -> E? {
        guard tag.wireType == .varint else { throw wrongWireType(tag) }
        let raw: Int32
        do { raw = try ProtoInt32.read(from: &self) } catch { throw error.inField(tag.fieldNumber) }
        if let e = E(rawValue: raw) { return e }
        unknown.appendVarintField(tag.fieldNumber, UInt64(bitPattern: Int64(raw)))
        return nil
    }

    mutating func readRepeatedClosedEnum<E: ProtoEnum>(
        _: E.Type, _ tag: FieldTag, into values: inout [E], unknown: inout UnknownFields
    ) throws(WireDecodingError) {
        if tag.wireType == .lengthDelimited {
            var raws: [Int32] = []
            do { try readPacked(ProtoInt32.self, into: &raws) } catch { throw error.inField(tag.fieldNumber) }
            for raw in raws {
                if let e = E(rawValue: raw) {
                    values.append(e)
                } else {
                    unknown.appendVarintField(tag.fieldNumber, UInt64(bitPattern: Int64(raw)))
                }
            }
        } else if let e = try readClosedEnum(E.self, tag, unknown: &unknown) {
            values.append(e)
        }
    }
}
