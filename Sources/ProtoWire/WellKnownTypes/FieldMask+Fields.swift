// The field hook of google.protobuf.FieldMask (see ProtoMessage), written by hand until the
// generator emits it. Its JSON form (one string of lowerCamelCase paths) comes from the runtime.

extension Google_Protobuf_FieldMask {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 paths repeated string
        """)

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.repeated(ProtoString.self, 1, self.paths)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: try decoder.readRepeated(ProtoString.self, into: &self.paths)
        default: break
        }
    }
}
