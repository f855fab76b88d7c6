// Defaults of the field hook (`messageSchema`, `visitFields(_:)`, `decodeField(_:from:)`) for
// message types generated before it existed. Their fields are unknown to the runtime: the
// schema is empty and marked opaque, so the JSON writer and reader refuse the type with an
// error naming it, and the text format shows the message's wire bytes as unknown fields, by
// number. A type regenerated with the current plugin replaces all three.

extension ProtoMessage {
    /// An empty, opaque schema: the type's fields are not known.
    public static var messageSchema: MessageSchema { MessageSchema.opaque(for: Self.self) }

    /// Visits the whole message as unknown fields.
    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.unknown(UnknownFields(bytes: writtenBytes()))
    }

    /// Never called: an opaque schema has no fields to decode.
    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {}
}
