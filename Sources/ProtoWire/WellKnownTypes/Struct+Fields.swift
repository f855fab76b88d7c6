// The field hooks of google.protobuf.Struct, Value, ListValue and NullValue (see ProtoMessage),
// written by hand until the generator emits them. Their JSON form (any JSON value) comes from
// the runtime.

extension Google_Protobuf_NullValue {
    public static let enumSchema = EnumSchema(for: Self.self, "google.protobuf.NullValue", values: "0 NULL_VALUE")
}

extension Google_Protobuf_Struct {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 fields map string message 0
        """, messages: [Google_Protobuf_Value.self])

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.map(ProtoString.self, MessageCodec<Google_Protobuf_Value>.self, 1, self.fields)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: try decoder.readMap(ProtoString.self, MessageCodec<Google_Protobuf_Value>.self, into: &self.fields)
        default: break
        }
    }
}

extension Google_Protobuf_Value {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 null_value oneof 0 enum 0
        2 number_value oneof 0 double
        3 string_value oneof 0 string
        4 bool_value oneof 0 bool
        5 struct_value oneof 0 message 0
        6 list_value oneof 0 message 1
        """, messages: [Google_Protobuf_Struct.self, Google_Protobuf_ListValue.self], enums: [Google_Protobuf_NullValue.self], oneofs: ["kind"])

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        switch self.kind {
        case .nullValue(let v)?: try visitor.field(EnumCodec<Google_Protobuf_NullValue>.self, 1, v)
        case .numberValue(let v)?: try visitor.field(ProtoDouble.self, 2, v)
        case .stringValue(let v)?: try visitor.field(ProtoString.self, 3, v)
        case .boolValue(let v)?: try visitor.field(ProtoBool.self, 4, v)
        case .structValue(let v)?: try visitor.field(MessageCodec<Google_Protobuf_Struct>.self, 5, v)
        case .listValue(let v)?: try visitor.field(MessageCodec<Google_Protobuf_ListValue>.self, 6, v)
        case nil: break
        }
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.kind = .nullValue(try decoder.read(EnumCodec<Google_Protobuf_NullValue>.self))
        case 2: self.kind = .numberValue(try decoder.read(ProtoDouble.self))
        case 3: self.kind = .stringValue(try decoder.read(ProtoString.self))
        case 4: self.kind = .boolValue(try decoder.read(ProtoBool.self))
        case 5: self.kind = .structValue(try decoder.read(MessageCodec<Google_Protobuf_Struct>.self))
        case 6: self.kind = .listValue(try decoder.read(MessageCodec<Google_Protobuf_ListValue>.self))
        default: break
        }
    }
}

extension Google_Protobuf_ListValue {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 values repeated message 0
        """, messages: [Google_Protobuf_Value.self])

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.repeated(MessageCodec<Google_Protobuf_Value>.self, 1, self.values)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: try decoder.readRepeated(MessageCodec<Google_Protobuf_Value>.self, into: &self.values)
        default: break
        }
    }
}
