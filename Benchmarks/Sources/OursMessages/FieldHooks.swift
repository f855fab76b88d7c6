// The field hook of the benchmark's messages (see ProtoMessage), written by hand in the shape
// the generator will emit until it does, so that the JSON rows can run. Not generated: keep in
// step with search.proto and codec.proto.

import ProtoWire

nonisolated extension SearchRequest {
  public static let messageSchema = MessageSchema(for: Self.self, fields: """
      1 query string
      2 page_number int32
      3 result_per_page int32
      4 lat float
      5 lng float
      """)

  public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
    try visitor.implicit(ProtoString.self, 1, self.query)
    try visitor.implicit(ProtoInt32.self, 2, self.pageNumber)
    try visitor.implicit(ProtoInt32.self, 3, self.resultPerPage)
    try visitor.implicit(ProtoFloat.self, 4, self.lat)
    try visitor.implicit(ProtoFloat.self, 5, self.lng)
    try visitor.unknown(self.unknownFields)
  }

  public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
    switch number {
    case 1: self.query = try decoder.read(ProtoString.self)
    case 2: self.pageNumber = try decoder.read(ProtoInt32.self)
    case 3: self.resultPerPage = try decoder.read(ProtoInt32.self)
    case 4: self.lat = try decoder.read(ProtoFloat.self)
    case 5: self.lng = try decoder.read(ProtoFloat.self)
    default: break
    }
  }
}

nonisolated extension SearchResponses {
  public static let messageSchema = MessageSchema(for: Self.self, fields: """
      1 responses repeated message 0
      """, messages: [SearchResponse.self])

  public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
    try visitor.repeated(MessageCodec<SearchResponse>.self, 1, self.responses)
    try visitor.unknown(self.unknownFields)
  }

  public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
    switch number {
    case 1: try decoder.readRepeated(MessageCodec<SearchResponse>.self, into: &self.responses)
    default: break
    }
  }
}

nonisolated extension SearchResponse {
  public static let messageSchema = MessageSchema(for: Self.self, fields: """
      1 response string
      """)

  public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
    try visitor.implicit(ProtoString.self, 1, self.response)
    try visitor.unknown(self.unknownFields)
  }

  public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
    switch number {
    case 1: self.response = try decoder.read(ProtoString.self)
    default: break
    }
  }
}

nonisolated extension MonitorResponse {
  public static let messageSchema = MessageSchema(for: Self.self, fields: """
      1 n_things int32
      """)

  public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
    try visitor.implicit(ProtoInt32.self, 1, self.nThings)
    try visitor.unknown(self.unknownFields)
  }

  public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
    switch number {
    case 1: self.nThings = try decoder.read(ProtoInt32.self)
    default: break
    }
  }
}

nonisolated extension Bench_AllScalars {
  public static let messageSchema = MessageSchema(for: Self.self, fields: """
      1 f_double double
      2 f_float float
      3 f_int32 int32
      4 f_int64 int64
      5 f_uint32 uint32
      6 f_uint64 uint64
      7 f_sint32 sint32
      8 f_sint64 sint64
      9 f_fixed32 fixed32
      10 f_fixed64 fixed64
      11 f_sfixed32 sfixed32
      12 f_sfixed64 sfixed64
      13 f_bool bool
      14 f_string string
      15 f_bytes bytes
      """)

  public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
    try visitor.implicit(ProtoDouble.self, 1, self.fDouble)
    try visitor.implicit(ProtoFloat.self, 2, self.fFloat)
    try visitor.implicit(ProtoInt32.self, 3, self.fInt32)
    try visitor.implicit(ProtoInt64.self, 4, self.fInt64)
    try visitor.implicit(ProtoUInt32.self, 5, self.fUint32)
    try visitor.implicit(ProtoUInt64.self, 6, self.fUint64)
    try visitor.implicit(ProtoSInt32.self, 7, self.fSint32)
    try visitor.implicit(ProtoSInt64.self, 8, self.fSint64)
    try visitor.implicit(ProtoFixed32.self, 9, self.fFixed32)
    try visitor.implicit(ProtoFixed64.self, 10, self.fFixed64)
    try visitor.implicit(ProtoSFixed32.self, 11, self.fSfixed32)
    try visitor.implicit(ProtoSFixed64.self, 12, self.fSfixed64)
    try visitor.implicit(ProtoBool.self, 13, self.fBool)
    try visitor.implicit(ProtoString.self, 14, self.fString)
    try visitor.implicit(ProtoBytes.self, 15, self.fBytes)
    try visitor.unknown(self.unknownFields)
  }

  public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
    switch number {
    case 1: self.fDouble = try decoder.read(ProtoDouble.self)
    case 2: self.fFloat = try decoder.read(ProtoFloat.self)
    case 3: self.fInt32 = try decoder.read(ProtoInt32.self)
    case 4: self.fInt64 = try decoder.read(ProtoInt64.self)
    case 5: self.fUint32 = try decoder.read(ProtoUInt32.self)
    case 6: self.fUint64 = try decoder.read(ProtoUInt64.self)
    case 7: self.fSint32 = try decoder.read(ProtoSInt32.self)
    case 8: self.fSint64 = try decoder.read(ProtoSInt64.self)
    case 9: self.fFixed32 = try decoder.read(ProtoFixed32.self)
    case 10: self.fFixed64 = try decoder.read(ProtoFixed64.self)
    case 11: self.fSfixed32 = try decoder.read(ProtoSFixed32.self)
    case 12: self.fSfixed64 = try decoder.read(ProtoSFixed64.self)
    case 13: self.fBool = try decoder.read(ProtoBool.self)
    case 14: self.fString = try decoder.read(ProtoString.self)
    case 15: self.fBytes = try decoder.read(ProtoBytes.self)
    default: break
    }
  }
}

nonisolated extension Bench_PackedInt64 {
  public static let messageSchema = MessageSchema(for: Self.self, fields: """
      1 values packed int64
      """)

  public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
    try visitor.repeated(ProtoInt64.self, 1, self.values)
    try visitor.unknown(self.unknownFields)
  }

  public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
    switch number {
    case 1: try decoder.readRepeated(ProtoInt64.self, into: &self.values)
    default: break
    }
  }
}

nonisolated extension Bench_StringInt64Map {
  public static let messageSchema = MessageSchema(for: Self.self, fields: """
      1 entries map string int64
      """)

  public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
    try visitor.map(ProtoString.self, ProtoInt64.self, 1, self.entries)
    try visitor.unknown(self.unknownFields)
  }

  public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
    switch number {
    case 1: try decoder.readMap(ProtoString.self, ProtoInt64.self, into: &self.entries)
    default: break
    }
  }
}

nonisolated extension Bench_Level1 {
  public static let messageSchema = MessageSchema(for: Self.self, fields: """
      1 id int32
      2 name string
      3 child optional message 0
      """, messages: [Bench_Level2.self])

  public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
    try visitor.implicit(ProtoInt32.self, 1, self.id)
    try visitor.implicit(ProtoString.self, 2, self.name)
    try visitor.optional(MessageCodec<Bench_Level2>.self, 3, self.child)
    try visitor.unknown(self.unknownFields)
  }

  public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
    switch number {
    case 1: self.id = try decoder.read(ProtoInt32.self)
    case 2: self.name = try decoder.read(ProtoString.self)
    case 3: self.child = try decoder.read(MessageCodec<Bench_Level2>.self)
    default: break
    }
  }
}

nonisolated extension Bench_Level2 {
  public static let messageSchema = MessageSchema(for: Self.self, fields: """
      1 id int32
      2 name string
      3 child optional message 0
      """, messages: [Bench_Level3.self])

  public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
    try visitor.implicit(ProtoInt32.self, 1, self.id)
    try visitor.implicit(ProtoString.self, 2, self.name)
    try visitor.optional(MessageCodec<Bench_Level3>.self, 3, self.child)
    try visitor.unknown(self.unknownFields)
  }

  public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
    switch number {
    case 1: self.id = try decoder.read(ProtoInt32.self)
    case 2: self.name = try decoder.read(ProtoString.self)
    case 3: self.child = try decoder.read(MessageCodec<Bench_Level3>.self)
    default: break
    }
  }
}

nonisolated extension Bench_Level3 {
  public static let messageSchema = MessageSchema(for: Self.self, fields: """
      1 id int32
      2 name string
      3 values packed int64
      """)

  public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
    try visitor.implicit(ProtoInt32.self, 1, self.id)
    try visitor.implicit(ProtoString.self, 2, self.name)
    try visitor.repeated(ProtoInt64.self, 3, self.values)
    try visitor.unknown(self.unknownFields)
  }

  public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
    switch number {
    case 1: self.id = try decoder.read(ProtoInt32.self)
    case 2: self.name = try decoder.read(ProtoString.self)
    case 3: try decoder.readRepeated(ProtoInt64.self, into: &self.values)
    default: break
    }
  }
}

nonisolated extension Bench_Blob {
  public static let messageSchema = MessageSchema(for: Self.self, fields: """
      1 data bytes
      """)

  public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
    try visitor.implicit(ProtoBytes.self, 1, self.data)
    try visitor.unknown(self.unknownFields)
  }

  public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
    switch number {
    case 1: self.data = try decoder.read(ProtoBytes.self)
    default: break
    }
  }
}

nonisolated extension Bench_WellKnownTypes {
  public static let messageSchema = MessageSchema(for: Self.self, fields: """
      1 created optional message 0
      2 timeout optional message 1
      3 mask optional message 2
      4 attributes optional message 3
      5 limit optional message 4
      6 label optional message 5
      7 enabled optional message 6
      8 ratio optional message 7
      9 history repeated message 0
      """, messages: [Google_Protobuf_Timestamp.self, Google_Protobuf_Duration.self, Google_Protobuf_FieldMask.self, Google_Protobuf_Struct.self, Google_Protobuf_Int32Value.self, Google_Protobuf_StringValue.self, Google_Protobuf_BoolValue.self, Google_Protobuf_DoubleValue.self])

  public func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
    try visitor.optional(MessageCodec<Google_Protobuf_Timestamp>.self, 1, self.created)
    try visitor.optional(MessageCodec<Google_Protobuf_Duration>.self, 2, self.timeout)
    try visitor.optional(MessageCodec<Google_Protobuf_FieldMask>.self, 3, self.mask)
    try visitor.optional(MessageCodec<Google_Protobuf_Struct>.self, 4, self.attributes)
    try visitor.optional(MessageCodec<Google_Protobuf_Int32Value>.self, 5, self.limit)
    try visitor.optional(MessageCodec<Google_Protobuf_StringValue>.self, 6, self.label)
    try visitor.optional(MessageCodec<Google_Protobuf_BoolValue>.self, 7, self.enabled)
    try visitor.optional(MessageCodec<Google_Protobuf_DoubleValue>.self, 8, self.ratio)
    try visitor.repeated(MessageCodec<Google_Protobuf_Timestamp>.self, 9, self.history)
    try visitor.unknown(self.unknownFields)
  }

  public mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
    switch number {
    case 1: self.created = try decoder.read(MessageCodec<Google_Protobuf_Timestamp>.self)
    case 2: self.timeout = try decoder.read(MessageCodec<Google_Protobuf_Duration>.self)
    case 3: self.mask = try decoder.read(MessageCodec<Google_Protobuf_FieldMask>.self)
    case 4: self.attributes = try decoder.read(MessageCodec<Google_Protobuf_Struct>.self)
    case 5: self.limit = try decoder.read(MessageCodec<Google_Protobuf_Int32Value>.self)
    case 6: self.label = try decoder.read(MessageCodec<Google_Protobuf_StringValue>.self)
    case 7: self.enabled = try decoder.read(MessageCodec<Google_Protobuf_BoolValue>.self)
    case 8: self.ratio = try decoder.read(MessageCodec<Google_Protobuf_DoubleValue>.self)
    case 9: try decoder.readRepeated(MessageCodec<Google_Protobuf_Timestamp>.self, into: &self.history)
    default: break
    }
  }
}
