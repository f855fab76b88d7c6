// The field hook of google.protobuf.Duration (see ProtoMessage), written by hand until the
// generator emits it. Its JSON form (seconds with an "s") comes from the runtime.

extension Google_Protobuf_Duration {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 seconds int64
        2 nanos int32
        """)

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoInt64.self, 1, self.seconds)
        try visitor.implicit(ProtoInt32.self, 2, self.nanos)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.seconds = try decoder.read(ProtoInt64.self)
        case 2: self.nanos = try decoder.read(ProtoInt32.self)
        default: break
        }
    }
}
