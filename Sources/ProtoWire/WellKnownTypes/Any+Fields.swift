// The field hook of google.protobuf.Any (see ProtoMessage), written by hand until the generator
// emits it. Its JSON form (the packed message's object with "@type") and the text format's
// expanded form come from the runtime, through a TypeRegistry.

extension Google_Protobuf_Any {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 type_url string
        2 value bytes
        """)

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoString.self, 1, self.typeUrl)
        try visitor.implicit(ProtoBytes.self, 2, self.value)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.typeUrl = try decoder.read(ProtoString.self)
        case 2: self.value = try decoder.read(ProtoBytes.self)
        default: break
        }
    }
}
