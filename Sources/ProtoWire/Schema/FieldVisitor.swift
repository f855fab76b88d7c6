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
///
/// The calls throw untyped errors: a visitor throws errors of its own type and its caller
/// knows it (the JSON writer's are `JSONEncodingError`). A typed throw of a generic error type
/// (`throws(V.Failure)`) costs a metadata lookup and a dynamically sized error buffer at every
/// call in `visitFields`, which is not specialised; an untyped one, a register check.
///
/// Repeated fields and maps reach the visitor element by element, between a `begin` and an
/// `end` call: the loops over them run in `repeated(_:_:_:)` and `map(_:_:_:_:)`, which are
/// inlined into each message's `visitFields` and so specialised for the element type (a loop in
/// the visitor would be generic over it, and pay for it at every element).
public protocol FieldVisitor {
    /// A singular field without presence, whatever its value.
    mutating func implicit<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ value: C.Value) throws

    /// A field that is set: the member a oneof holds, a proto2 `required` field.
    mutating func field<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ value: C.Value) throws

    /// The start of a repeated field (packed or not) of `count` values; false when the visitor
    /// wants neither its elements nor its end.
    mutating func beginList<C: FieldCodec>(_ codec: C.Type, _ number: Int, count: Int) throws -> Bool

    /// One value of the repeated field begun last.
    mutating func listElement<C: FieldCodec>(_ codec: C.Type, _ value: C.Value) throws

    /// The end of the repeated field begun last.
    mutating func endList<C: FieldCodec>(_ codec: C.Type) throws

    /// The start of a map field of `count` entries; false when the visitor wants neither its
    /// entries nor its end.
    mutating func beginMap<K: FieldCodec, V: FieldCodec>(_ key: K.Type, _ value: V.Type, _ number: Int, count: Int) throws -> Bool

    /// One entry of the map begun last; entries come in key order.
    mutating func mapEntry<K: FieldCodec, V: FieldCodec>(_ key: K.Type, _ value: V.Type, _ k: K.Value, _ v: V.Value) throws

    /// The end of the map begun last.
    mutating func endMap<K: FieldCodec, V: FieldCodec>(_ key: K.Type, _ value: V.Type) throws

    /// The fields the message kept without knowing them, as wire bytes.
    mutating func unknown(_ fields: UnknownFields) throws
}

extension FieldVisitor {
    /// A singular field with explicit presence, `nil` when it is not set: a set value is visited
    /// as `field(_:_:_:)`, an unset one not at all.
    ///
    /// Not a requirement, so that it is inlined into each message's `visitFields` and tests the
    /// optional there, where its type is known: as a requirement its default implementation ran
    /// generic over the value's type and looked up `Optional<Value>`'s metadata at every call
    /// (~450 instructions, a tenth of writing a small nested message as JSON).
    @inlinable @inline(__always)
    public mutating func optional<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ value: C.Value?) throws {
        if let value { try field(codec, number, value) }
    }

    /// A repeated field, packed or not, possibly empty: `beginList`, each value, `endList`.
    @inlinable @inline(__always)
    public mutating func repeated<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ values: [C.Value]) throws {
        guard try beginList(C.self, number, count: values.count) else { return }
        for v in values { try listElement(C.self, v) }
        try endList(C.self)
    }

    /// A map field, possibly empty: `beginMap`, each entry in key order (so that equal maps are
    /// visited alike), `endMap`.
    @inlinable @inline(__always)
    public mutating func map<K: FieldCodec, V: FieldCodec>(
        _ key: K.Type, _ value: V.Type, _ number: Int, _ map: [K.Value: V.Value]
    ) throws where K.Value: MapKey {
        guard try beginMap(K.self, V.self, number, count: map.count) else { return }
        if map.count == 1, let (k, v) = map.first {
            try mapEntry(K.self, V.self, k, v)
        } else {
            for k in map.keys.sorted(by: K.Value.mapKeyPrecedes) { try mapEntry(K.self, V.self, k, map[k]!) }
        }
        try endMap(K.self, V.self)
    }
}
