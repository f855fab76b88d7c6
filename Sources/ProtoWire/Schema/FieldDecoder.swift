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
/// A singular field is only ever decoded once per message (both formats reject a repeated
/// singular field), so reading replaces: there is nothing to merge.
public protocol FieldDecoder {
    /// What the decoder throws.
    associatedtype Failure: Error

    /// The value of a singular field (or of a oneof member, an optional).
    mutating func read<C: FieldCodec>(_ codec: C.Type) throws(Failure) -> C.Value

    /// Appends the values of a repeated field.
    mutating func readRepeated<C: FieldCodec>(_ codec: C.Type, into values: inout [C.Value]) throws(Failure)

    /// Adds the entries of a map field.
    mutating func readMap<K: FieldCodec, V: FieldCodec>(
        _ key: K.Type, _ value: V.Type, into map: inout [K.Value: V.Value]
    ) throws(Failure) where K.Value: MapKey
}
