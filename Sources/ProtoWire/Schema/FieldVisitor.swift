/// Receives a message's fields, one call per field, from `ProtoMessage.visitFields(_:)`.
///
/// The JSON writer, the text-format printer and `description` are visitors; so can be any code
/// that walks a message generically. The calls mirror `WireWriter`'s: each names the field's
/// codec (which carries its type and how each format writes it), its number (which the visitor
/// looks up in the message's `MessageSchema` for names) and its value.
///
/// A message calls them in field-number order, and for implicit-presence fields whatever the
/// value: the visitor decides whether defaults are written. Fields without a value (`nil`
/// optionals, unset oneofs) are not visited, empty repeated fields and maps are.
public protocol FieldVisitor {
    /// What the visitor throws; `Never` for one that cannot fail.
    associatedtype Failure: Error

    /// A singular field without presence, whatever its value.
    mutating func implicit<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ value: C.Value) throws(Failure)

    /// A singular field with explicit presence; `nil` when it is not set.
    mutating func optional<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ value: C.Value?) throws(Failure)

    /// A field that is set: the member a oneof holds, a proto2 `required` field.
    mutating func field<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ value: C.Value) throws(Failure)

    /// A repeated field, packed or not, possibly empty.
    mutating func repeated<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ values: [C.Value]) throws(Failure)

    /// A map field, possibly empty.
    mutating func map<K: FieldCodec, V: FieldCodec>(
        _ key: K.Type, _ value: V.Type, _ number: Int, _ map: [K.Value: V.Value]
    ) throws(Failure) where K.Value: MapKey

    /// The fields the message kept without knowing them, as wire bytes.
    mutating func unknown(_ fields: UnknownFields) throws(Failure)
}

extension FieldVisitor {
    /// Visits a set optional as `field(_:_:_:)`.
    public mutating func optional<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ value: C.Value?) throws(Failure) {
        if let value { try field(codec, number, value) }
    }
}
