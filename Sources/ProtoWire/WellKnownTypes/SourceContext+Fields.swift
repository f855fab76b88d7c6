// The field hook of google.protobuf.SourceContext (see ProtoMessage), written by hand until the
// generator emits it.

extension Google_Protobuf_SourceContext {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 file_name string
        """)

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoString.self, 1, self.fileName)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.fileName = try decoder.read(ProtoString.self)
        default: break
        }
    }
}
