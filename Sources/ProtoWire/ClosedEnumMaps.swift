// Maps whose values are a closed enum (proto2, or editions' `enum_type = CLOSED`).

extension WireReader {
    /// Decodes one entry of a map whose values are the closed enum `E`. An entry holding a number
    /// `E` does not declare is not added to the map: the whole entry, tag included, goes to
    /// `unknown` and is written back as it came, as upb and C++ keep it.
    @inlinable
    public mutating func readMapEntry<K: FieldCodec, E: ProtoEnum>(
        _: K.Type, closedEnum _: E.Type, into map: inout [K.Value: E], unknown: inout UnknownFields
    ) throws(WireDecodingError) where K.Value: MapKey {
        let fieldTag = tagStart
        do throws(WireDecodingError) {
            let length = try readLength()
            guard depth < WireReader.recursionLimit else { throw error(.recursionLimitExceeded) }
            let outerEnd = end
            end = cursor + length
            depth += 1
            var key = K.defaultValue
            var raw = E().rawValue
            while let t = try nextTag() {
                tagStart = fieldTag  // the entry's own fields are named as the map's
                switch t.rawValue {
                case 1 << 3 | UInt32(K.wireType.rawValue): key = try K.read(from: &self)
                case 2 << 3 | UInt32(WireType.varint.rawValue): raw = Int32(truncatingIfNeeded: try readVarint())
                default: try skipValue(t)
                }
            }
            depth -= 1
            end = outerEnd
            tagStart = fieldTag
            if let value = E(rawValue: raw) {
                map[key] = value
            } else {
                preserveField(in: &unknown)
            }
        } catch {
            throw error.inField(fieldNumber(at: fieldTag))
        }
    }
}
