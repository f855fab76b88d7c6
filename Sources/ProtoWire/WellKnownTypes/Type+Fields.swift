// The field hooks of the messages and enums in google/protobuf/type.proto (see ProtoMessage),
// written by hand until the generator emits them.

extension Google_Protobuf_Syntax {
    public static let enumSchema = EnumSchema(for: Self.self, "google.protobuf.Syntax", values: "0 SYNTAX_PROTO2 1 SYNTAX_PROTO3")
}

extension Google_Protobuf_Field.Kind {
    public static let enumSchema = EnumSchema(for: Self.self, "google.protobuf.Field.Kind", values: "0 TYPE_UNKNOWN 1 TYPE_DOUBLE 2 TYPE_FLOAT 3 TYPE_INT64 4 TYPE_UINT64 5 TYPE_INT32 6 TYPE_FIXED64 7 TYPE_FIXED32 8 TYPE_BOOL 9 TYPE_STRING 10 TYPE_GROUP 11 TYPE_MESSAGE 12 TYPE_BYTES 13 TYPE_UINT32 14 TYPE_ENUM 15 TYPE_SFIXED32 16 TYPE_SFIXED64 17 TYPE_SINT32 18 TYPE_SINT64")
}

extension Google_Protobuf_Field.Cardinality {
    public static let enumSchema = EnumSchema(for: Self.self, "google.protobuf.Field.Cardinality", values: "0 CARDINALITY_UNKNOWN 1 CARDINALITY_OPTIONAL 2 CARDINALITY_REQUIRED 3 CARDINALITY_REPEATED")
}

extension Google_Protobuf_Type {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 name string
        2 fields repeated message 0
        3 oneofs repeated string
        4 options repeated message 1
        5 source_context optional message 2
        6 syntax enum 0
        """, messages: [Google_Protobuf_Field.self, Google_Protobuf_Option.self, Google_Protobuf_SourceContext.self], enums: [Google_Protobuf_Syntax.self])

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoString.self, 1, self.name)
        try visitor.repeated(MessageCodec<Google_Protobuf_Field>.self, 2, self.fields)
        try visitor.repeated(ProtoString.self, 3, self.oneofs)
        try visitor.repeated(MessageCodec<Google_Protobuf_Option>.self, 4, self.options)
        try visitor.optional(MessageCodec<Google_Protobuf_SourceContext>.self, 5, self.sourceContext)
        try visitor.implicit(EnumCodec<Google_Protobuf_Syntax>.self, 6, self.syntax)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.name = try decoder.read(ProtoString.self)
        case 2: try decoder.readRepeated(MessageCodec<Google_Protobuf_Field>.self, into: &self.fields)
        case 3: try decoder.readRepeated(ProtoString.self, into: &self.oneofs)
        case 4: try decoder.readRepeated(MessageCodec<Google_Protobuf_Option>.self, into: &self.options)
        case 5: self.sourceContext = try decoder.read(MessageCodec<Google_Protobuf_SourceContext>.self)
        case 6: self.syntax = try decoder.read(EnumCodec<Google_Protobuf_Syntax>.self)
        default: break
        }
    }
}

extension Google_Protobuf_Field {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 kind enum 0
        2 cardinality enum 1
        3 number int32
        4 name string
        6 type_url string
        7 oneof_index int32
        8 packed bool
        9 options repeated message 0
        10 json_name string
        11 default_value string
        """, messages: [Google_Protobuf_Option.self], enums: [Google_Protobuf_Field.Kind.self, Google_Protobuf_Field.Cardinality.self])

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(EnumCodec<Google_Protobuf_Field.Kind>.self, 1, self.kind)
        try visitor.implicit(EnumCodec<Google_Protobuf_Field.Cardinality>.self, 2, self.cardinality)
        try visitor.implicit(ProtoInt32.self, 3, self.number)
        try visitor.implicit(ProtoString.self, 4, self.name)
        try visitor.implicit(ProtoString.self, 6, self.typeUrl)
        try visitor.implicit(ProtoInt32.self, 7, self.oneofIndex)
        try visitor.implicit(ProtoBool.self, 8, self.packed)
        try visitor.repeated(MessageCodec<Google_Protobuf_Option>.self, 9, self.options)
        try visitor.implicit(ProtoString.self, 10, self.jsonName)
        try visitor.implicit(ProtoString.self, 11, self.defaultValue)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.kind = try decoder.read(EnumCodec<Google_Protobuf_Field.Kind>.self)
        case 2: self.cardinality = try decoder.read(EnumCodec<Google_Protobuf_Field.Cardinality>.self)
        case 3: self.number = try decoder.read(ProtoInt32.self)
        case 4: self.name = try decoder.read(ProtoString.self)
        case 6: self.typeUrl = try decoder.read(ProtoString.self)
        case 7: self.oneofIndex = try decoder.read(ProtoInt32.self)
        case 8: self.packed = try decoder.read(ProtoBool.self)
        case 9: try decoder.readRepeated(MessageCodec<Google_Protobuf_Option>.self, into: &self.options)
        case 10: self.jsonName = try decoder.read(ProtoString.self)
        case 11: self.defaultValue = try decoder.read(ProtoString.self)
        default: break
        }
    }
}

extension Google_Protobuf_Enum {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 name string
        2 enumvalue repeated message 0
        3 options repeated message 1
        4 source_context optional message 2
        5 syntax enum 0
        """, messages: [Google_Protobuf_EnumValue.self, Google_Protobuf_Option.self, Google_Protobuf_SourceContext.self], enums: [Google_Protobuf_Syntax.self])

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoString.self, 1, self.name)
        try visitor.repeated(MessageCodec<Google_Protobuf_EnumValue>.self, 2, self.enumvalue)
        try visitor.repeated(MessageCodec<Google_Protobuf_Option>.self, 3, self.options)
        try visitor.optional(MessageCodec<Google_Protobuf_SourceContext>.self, 4, self.sourceContext)
        try visitor.implicit(EnumCodec<Google_Protobuf_Syntax>.self, 5, self.syntax)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.name = try decoder.read(ProtoString.self)
        case 2: try decoder.readRepeated(MessageCodec<Google_Protobuf_EnumValue>.self, into: &self.enumvalue)
        case 3: try decoder.readRepeated(MessageCodec<Google_Protobuf_Option>.self, into: &self.options)
        case 4: self.sourceContext = try decoder.read(MessageCodec<Google_Protobuf_SourceContext>.self)
        case 5: self.syntax = try decoder.read(EnumCodec<Google_Protobuf_Syntax>.self)
        default: break
        }
    }
}

extension Google_Protobuf_EnumValue {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 name string
        2 number int32
        3 options repeated message 0
        """, messages: [Google_Protobuf_Option.self])

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoString.self, 1, self.name)
        try visitor.implicit(ProtoInt32.self, 2, self.number)
        try visitor.repeated(MessageCodec<Google_Protobuf_Option>.self, 3, self.options)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.name = try decoder.read(ProtoString.self)
        case 2: self.number = try decoder.read(ProtoInt32.self)
        case 3: try decoder.readRepeated(MessageCodec<Google_Protobuf_Option>.self, into: &self.options)
        default: break
        }
    }
}

extension Google_Protobuf_Option {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 name string
        2 value optional message 0
        """, messages: [Google_Protobuf_Any.self])

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoString.self, 1, self.name)
        try visitor.optional(MessageCodec<Google_Protobuf_Any>.self, 2, self.value)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.name = try decoder.read(ProtoString.self)
        case 2: self.value = try decoder.read(MessageCodec<Google_Protobuf_Any>.self)
        default: break
        }
    }
}
