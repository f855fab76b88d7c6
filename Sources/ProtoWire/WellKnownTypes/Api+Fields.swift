// The field hooks of the messages in google/protobuf/api.proto (see ProtoMessage), written by
// hand until the generator emits them.

extension Google_Protobuf_Api {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 name string
        2 methods repeated message 0
        3 options repeated message 1
        4 version string
        5 source_context optional message 2
        6 mixins repeated message 3
        7 syntax enum 0
        """, messages: [Google_Protobuf_Method.self, Google_Protobuf_Option.self, Google_Protobuf_SourceContext.self, Google_Protobuf_Mixin.self], enums: [Google_Protobuf_Syntax.self])

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoString.self, 1, self.name)
        try visitor.repeated(MessageCodec<Google_Protobuf_Method>.self, 2, self.methods)
        try visitor.repeated(MessageCodec<Google_Protobuf_Option>.self, 3, self.options)
        try visitor.implicit(ProtoString.self, 4, self.version)
        try visitor.optional(MessageCodec<Google_Protobuf_SourceContext>.self, 5, self.sourceContext)
        try visitor.repeated(MessageCodec<Google_Protobuf_Mixin>.self, 6, self.mixins)
        try visitor.implicit(EnumCodec<Google_Protobuf_Syntax>.self, 7, self.syntax)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.name = try decoder.read(ProtoString.self)
        case 2: try decoder.readRepeated(MessageCodec<Google_Protobuf_Method>.self, into: &self.methods)
        case 3: try decoder.readRepeated(MessageCodec<Google_Protobuf_Option>.self, into: &self.options)
        case 4: self.version = try decoder.read(ProtoString.self)
        case 5: self.sourceContext = try decoder.read(MessageCodec<Google_Protobuf_SourceContext>.self)
        case 6: try decoder.readRepeated(MessageCodec<Google_Protobuf_Mixin>.self, into: &self.mixins)
        case 7: self.syntax = try decoder.read(EnumCodec<Google_Protobuf_Syntax>.self)
        default: break
        }
    }
}

extension Google_Protobuf_Method {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 name string
        2 request_type_url string
        3 request_streaming bool
        4 response_type_url string
        5 response_streaming bool
        6 options repeated message 0
        7 syntax enum 0
        """, messages: [Google_Protobuf_Option.self], enums: [Google_Protobuf_Syntax.self])

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoString.self, 1, self.name)
        try visitor.implicit(ProtoString.self, 2, self.requestTypeUrl)
        try visitor.implicit(ProtoBool.self, 3, self.requestStreaming)
        try visitor.implicit(ProtoString.self, 4, self.responseTypeUrl)
        try visitor.implicit(ProtoBool.self, 5, self.responseStreaming)
        try visitor.repeated(MessageCodec<Google_Protobuf_Option>.self, 6, self.options)
        try visitor.implicit(EnumCodec<Google_Protobuf_Syntax>.self, 7, self.syntax)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.name = try decoder.read(ProtoString.self)
        case 2: self.requestTypeUrl = try decoder.read(ProtoString.self)
        case 3: self.requestStreaming = try decoder.read(ProtoBool.self)
        case 4: self.responseTypeUrl = try decoder.read(ProtoString.self)
        case 5: self.responseStreaming = try decoder.read(ProtoBool.self)
        case 6: try decoder.readRepeated(MessageCodec<Google_Protobuf_Option>.self, into: &self.options)
        case 7: self.syntax = try decoder.read(EnumCodec<Google_Protobuf_Syntax>.self)
        default: break
        }
    }
}

extension Google_Protobuf_Mixin {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 name string
        2 root string
        """)

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoString.self, 1, self.name)
        try visitor.implicit(ProtoString.self, 2, self.root)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.name = try decoder.read(ProtoString.self)
        case 2: self.root = try decoder.read(ProtoString.self)
        default: break
        }
    }
}
