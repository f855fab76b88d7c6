// The field hook of google.protobuf.Empty (see ProtoMessage), written by hand until the
// generator emits it.

extension Google_Protobuf_Empty {
    public static let messageSchema = MessageSchema(for: Self.self, fields: [])

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {}
}
