// The field hooks of the wrapper messages in google/protobuf/wrappers.proto (see ProtoMessage),
// written by hand until the generator emits them. Their JSON form (the bare wrapped value)
// comes from the runtime.

extension Google_Protobuf_DoubleValue {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 value double
        """)

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoDouble.self, 1, self.value)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.value = try decoder.read(ProtoDouble.self)
        default: break
        }
    }
}

extension Google_Protobuf_FloatValue {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 value float
        """)

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoFloat.self, 1, self.value)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.value = try decoder.read(ProtoFloat.self)
        default: break
        }
    }
}

extension Google_Protobuf_Int64Value {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 value int64
        """)

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoInt64.self, 1, self.value)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.value = try decoder.read(ProtoInt64.self)
        default: break
        }
    }
}

extension Google_Protobuf_UInt64Value {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 value uint64
        """)

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoUInt64.self, 1, self.value)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.value = try decoder.read(ProtoUInt64.self)
        default: break
        }
    }
}

extension Google_Protobuf_Int32Value {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 value int32
        """)

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoInt32.self, 1, self.value)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.value = try decoder.read(ProtoInt32.self)
        default: break
        }
    }
}

extension Google_Protobuf_UInt32Value {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 value uint32
        """)

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoUInt32.self, 1, self.value)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.value = try decoder.read(ProtoUInt32.self)
        default: break
        }
    }
}

extension Google_Protobuf_BoolValue {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 value bool
        """)

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoBool.self, 1, self.value)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.value = try decoder.read(ProtoBool.self)
        default: break
        }
    }
}

extension Google_Protobuf_StringValue {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 value string
        """)

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoString.self, 1, self.value)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.value = try decoder.read(ProtoString.self)
        default: break
        }
    }
}

extension Google_Protobuf_BytesValue {
    public static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 value bytes
        """)

    public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoBytes.self, 1, self.value)
        try visitor.unknown(self.unknownFields)
    }

    public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.value = try decoder.read(ProtoBytes.self)
        default: break
        }
    }
}
