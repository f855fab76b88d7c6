// Hand-written messages in the exact shape the generator will emit for the field hook
// (`messageSchema`, `visitFields(_:)`, `decodeField(_:from:)`) next to the binary
// requirements: every field kind the JSON and text formats handle. `FormatAllTypes` follows
// the conformance suite's TestAllTypesProto3 (same field names for the name-convention cases),
// with proto2 closed enums and defaults added.

import Foundation
import ProtoWire

/// An open enum, as proto3 declares them.
enum FormatColor: OpenProtoEnum {
    case unspecified  // 0
    case red  // 1
    case green  // 2
    case infrared  // -5
    case unrecognized(Int32)

    init(rawValue: Int32) {
        switch rawValue {
        case 0: self = .unspecified
        case 1: self = .red
        case 2: self = .green
        case -5: self = .infrared
        default: self = .unrecognized(rawValue)
        }
    }

    var rawValue: Int32 {
        switch self {
        case .unspecified: 0
        case .red: 1
        case .green: 2
        case .infrared: -5
        case .unrecognized(let n): n
        }
    }

    static let allCases: [FormatColor] = [.unspecified, .red, .green, .infrared]

    /// `RED` has an alias, `CRIMSON`: both read, the first is written.
    static let enumSchema = EnumSchema(for: Self.self, "test.FormatColor", [
        (0, "COLOR_UNSPECIFIED"), (1, "RED"), (1, "CRIMSON"), (2, "GREEN"), (-5, "INFRARED"),
    ])
}

/// A closed enum, as proto2 declares them: numbers it does not declare are not values.
enum FormatShape: Int32, ProtoEnum {
    case circle = 1
    case square = 2
    case triangle = 3
    case negative = -1

    init() { self = .circle }

    static let enumSchema = EnumSchema(for: Self.self, "test.FormatShape", [
        (1, "CIRCLE"), (2, "SQUARE"), (3, "TRIANGLE"), (-1, "NEGATIVE"),
    ])
}

/// A small message for message-typed fields, lists and map values.
struct FormatNested: ProtoMessage {
    var a: Int32 = 0  // 1
    var b: String = ""  // 2
    var unknownFields = UnknownFields()

    static var protoMessageName: String { "test.FormatNested" }

    init() {}

    static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 a int32
        2 b string
        """)

    func encodedSize() -> Int {
        var size = self.unknownFields.count
        size &+= WireSize.implicit(ProtoInt32.self, 1, self.a)
        size &+= WireSize.implicit(ProtoString.self, 2, self.b)
        return size
    }

    func encode(to writer: inout WireWriter) {
        writer.implicit(ProtoInt32.self, 1, self.a)
        writer.implicit(ProtoString.self, 2, self.b)
        writer.unknown(self.unknownFields)
    }

    mutating func merge(from reader: inout WireReader) throws(WireDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: self.a = try reader.read(ProtoInt32.self, tag)
            case 2: self.b = try reader.read(ProtoString.self, tag)
            default: try reader.skip(tag, into: &self.unknownFields)
            }
        }
    }

    func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoInt32.self, 1, self.a)
        try visitor.implicit(ProtoString.self, 2, self.b)
        try visitor.unknown(self.unknownFields)
    }

    mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.a = try decoder.read(ProtoInt32.self)
        case 2: self.b = try decoder.read(ProtoString.self)
        default: break
        }
    }
}

/// Every field kind: scalars in each cardinality, nested messages, open and closed enums, proto2 defaults, maps of every key type, a oneof, recursion, the well-known types, a custom `json_name`, and the conformance suite’s field-name conventions.
struct FormatAllTypes: ProtoMessage {
    var optionalInt32: Int32 = 0  // 1
    var optionalInt64: Int64 = 0  // 2
    var optionalUint32: UInt32 = 0  // 3
    var optionalUint64: UInt64 = 0  // 4
    var optionalSint32: Int32 = 0  // 5
    var optionalSint64: Int64 = 0  // 6
    var optionalFixed32: UInt32 = 0  // 7
    var optionalFixed64: UInt64 = 0  // 8
    var optionalSfixed32: Int32 = 0  // 9
    var optionalSfixed64: Int64 = 0  // 10
    var optionalFloat: Float = 0  // 11
    var optionalDouble: Double = 0  // 12
    var optionalBool: Bool = false  // 13
    var optionalString: String = ""  // 14
    var optionalBytes: Data = Data()  // 15
    var optionalNestedMessage: FormatNested?  // 16
    var optionalColor: FormatColor = FormatColor()  // 17
    var proto3OptionalInt32: Int32?  // 18
    var proto3OptionalString: String?  // 19
    var optionalShape: FormatShape?  // 20
    /// proto2 `[default = 42]`: the getter returns the default while the field is unset.
    var defaultedInt32: Int32 {  // 21
        get { _defaultedInt32 ?? 42 }
        set { _defaultedInt32 = newValue }
    }
    var hasDefaultedInt32: Bool { _defaultedInt32 != nil }
    var _defaultedInt32: Int32?
    /// proto2 `[default = "hello"]`: the getter returns the default while the field is unset.
    var defaultedString: String {  // 22
        get { _defaultedString ?? "hello" }
        set { _defaultedString = newValue }
    }
    var hasDefaultedString: Bool { _defaultedString != nil }
    var _defaultedString: String?
    /// proto2 `[default = -1.5]`: the getter returns the default while the field is unset.
    var defaultedDouble: Double {  // 23
        get { _defaultedDouble ?? -1.5 }
        set { _defaultedDouble = newValue }
    }
    var hasDefaultedDouble: Bool { _defaultedDouble != nil }
    var _defaultedDouble: Double?
    /// proto2 `[default = .square]`: the getter returns the default while the field is unset.
    var defaultedShape: FormatShape {  // 24
        get { _defaultedShape ?? .square }
        set { _defaultedShape = newValue }
    }
    var hasDefaultedShape: Bool { _defaultedShape != nil }
    var _defaultedShape: FormatShape?
    var repeatedInt32: [Int32] = []  // 31
    var repeatedInt64: [Int64] = []  // 32
    var repeatedUint32: [UInt32] = []  // 33
    var repeatedUint64: [UInt64] = []  // 34
    var repeatedSint32: [Int32] = []  // 35
    var repeatedSint64: [Int64] = []  // 36
    var repeatedFixed32: [UInt32] = []  // 37
    var repeatedFixed64: [UInt64] = []  // 38
    var repeatedSfixed32: [Int32] = []  // 39
    var repeatedSfixed64: [Int64] = []  // 40
    var repeatedFloat: [Float] = []  // 41
    var repeatedDouble: [Double] = []  // 42
    var repeatedBool: [Bool] = []  // 43
    var repeatedString: [String] = []  // 44
    var repeatedBytes: [Data] = []  // 45
    var repeatedNestedMessage: [FormatNested] = []  // 46
    var repeatedColor: [FormatColor] = []  // 47
    var repeatedShape: [FormatShape] = []  // 48
    var mapInt32Int32: [Int32: Int32] = [:]  // 51
    var mapInt64Int64: [Int64: Int64] = [:]  // 52
    var mapUint32Uint32: [UInt32: UInt32] = [:]  // 53
    var mapUint64Uint64: [UInt64: UInt64] = [:]  // 54
    var mapSint32Sint32: [Int32: Int32] = [:]  // 55
    var mapSint64Sint64: [Int64: Int64] = [:]  // 56
    var mapFixed32Fixed32: [UInt32: UInt32] = [:]  // 57
    var mapFixed64Fixed64: [UInt64: UInt64] = [:]  // 58
    var mapSfixed32Sfixed32: [Int32: Int32] = [:]  // 59
    var mapSfixed64Sfixed64: [Int64: Int64] = [:]  // 60
    var mapBoolBool: [Bool: Bool] = [:]  // 61
    var mapStringString: [String: String] = [:]  // 62
    var mapStringNestedMessage: [String: FormatNested] = [:]  // 63
    var mapInt32Color: [Int32: FormatColor] = [:]  // 64
    var mapStringBytes: [String: Data] = [:]  // 65
    var mapInt32Double: [Int32: Double] = [:]  // 66
    var mapInt32Float: [Int32: Float] = [:]  // 67
    var recursive: FormatAllTypes? {  // 81
        get { _recursive?.value }
        set { _recursive = newValue.map(ProtoBox.init) }
    }
    private var _recursive: ProtoBox<FormatAllTypes>?
    var optionalTimestamp: Google_Protobuf_Timestamp?  // 91
    var optionalDuration: Google_Protobuf_Duration?  // 92
    var optionalFieldMask: Google_Protobuf_FieldMask?  // 93
    var optionalStruct: Google_Protobuf_Struct?  // 94
    var optionalAny: Google_Protobuf_Any?  // 95
    var optionalValue: Google_Protobuf_Value?  // 96
    var optionalListValue: Google_Protobuf_ListValue?  // 97
    var optionalInt32Wrapper: Google_Protobuf_Int32Value?  // 98
    var optionalStringWrapper: Google_Protobuf_StringValue?  // 99
    var optionalBytesWrapper: Google_Protobuf_BytesValue?  // 100
    var optionalBoolWrapper: Google_Protobuf_BoolValue?  // 101
    var optionalDoubleWrapper: Google_Protobuf_DoubleValue?  // 102
    var optionalUint64Wrapper: Google_Protobuf_UInt64Value?  // 103
    var optionalNullValue: Google_Protobuf_NullValue = Google_Protobuf_NullValue()  // 104
    var optionalEmpty: Google_Protobuf_Empty?  // 105
    var repeatedValue: [Google_Protobuf_Value] = []  // 106
    var repeatedTimestamp: [Google_Protobuf_Timestamp] = []  // 107
    var optionalInt64Wrapper: Google_Protobuf_Int64Value?  // 108
    var optionalFloatWrapper: Google_Protobuf_FloatValue?  // 109
    var optionalUint32Wrapper: Google_Protobuf_UInt32Value?  // 110
    var customJson: Int32 = 0  // 111
    var conventionField1: Int32 = 0  // 121
    var conventionField2: Int32 = 0  // 122
    var conventionField3: Int32 = 0  // 123
    var conventionField4: Int32 = 0  // 124
    var conventionField5: Int32 = 0  // 125
    var conventionField6: Int32 = 0  // 126
    var conventionField7: Int32 = 0  // 127
    var conventionField8: Int32 = 0  // 128
    var conventionField9: Int32 = 0  // 129
    var conventionField10: Int32 = 0  // 130
    var conventionField11: Int32 = 0  // 131
    var conventionField12: Int32 = 0  // 132
    var conventionField13: Int32 = 0  // 133
    var conventionField14: Int32 = 0  // 134
    var conventionField15: Int32 = 0  // 135
    var conventionField16: Int32 = 0  // 136
    var conventionField17: Int32 = 0  // 137
    var conventionField18: Int32 = 0  // 138
    var oneofField: OneofField?
    var unknownFields = UnknownFields()

    enum OneofField: Hashable, Sendable {
        case oneofUint32(UInt32)
        case oneofNestedMessage(FormatNested)
        case oneofString(String)
        case oneofBytes(Data)
        case oneofBool(Bool)
        case oneofUint64(UInt64)
        case oneofDouble(Double)
        case oneofColor(FormatColor)
        case oneofNullValue(Google_Protobuf_NullValue)
        indirect case oneofRecursive(FormatAllTypes)
    }

    static var protoMessageName: String { "test.FormatAllTypes" }

    init() {}

    static let messageSchema = MessageSchema(for: Self.self, fields: """
        1 optional_int32 int32
        2 optional_int64 int64
        3 optional_uint32 uint32
        4 optional_uint64 uint64
        5 optional_sint32 sint32
        6 optional_sint64 sint64
        7 optional_fixed32 fixed32
        8 optional_fixed64 fixed64
        9 optional_sfixed32 sfixed32
        10 optional_sfixed64 sfixed64
        11 optional_float float
        12 optional_double double
        13 optional_bool bool
        14 optional_string string
        15 optional_bytes bytes
        16 optional_nested_message optional message 0
        17 optional_color enum 0
        18 proto3_optional_int32 optional int32
        19 proto3_optional_string optional string
        20 optional_shape optional enum 1
        21 defaulted_int32 optional int32
        22 defaulted_string optional string
        23 defaulted_double optional double
        24 defaulted_shape optional enum 1
        31 repeated_int32 packed int32
        32 repeated_int64 packed int64
        33 repeated_uint32 repeated uint32
        34 repeated_uint64 packed uint64
        35 repeated_sint32 packed sint32
        36 repeated_sint64 repeated sint64
        37 repeated_fixed32 packed fixed32
        38 repeated_fixed64 repeated fixed64
        39 repeated_sfixed32 packed sfixed32
        40 repeated_sfixed64 packed sfixed64
        41 repeated_float packed float
        42 repeated_double packed double
        43 repeated_bool repeated bool
        44 repeated_string repeated string
        45 repeated_bytes repeated bytes
        46 repeated_nested_message repeated message 0
        47 repeated_color packed enum 0
        48 repeated_shape repeated enum 1
        51 map_int32_int32 map int32 int32
        52 map_int64_int64 map int64 int64
        53 map_uint32_uint32 map uint32 uint32
        54 map_uint64_uint64 map uint64 uint64
        55 map_sint32_sint32 map sint32 sint32
        56 map_sint64_sint64 map sint64 sint64
        57 map_fixed32_fixed32 map fixed32 fixed32
        58 map_fixed64_fixed64 map fixed64 fixed64
        59 map_sfixed32_sfixed32 map sfixed32 sfixed32
        60 map_sfixed64_sfixed64 map sfixed64 sfixed64
        61 map_bool_bool map bool bool
        62 map_string_string map string string
        63 map_string_nested_message map string message 0
        64 map_int32_color map int32 enum 0
        65 map_string_bytes map string bytes
        66 map_int32_double map int32 double
        67 map_int32_float map int32 float
        71 oneof_uint32 oneof 0 uint32
        72 oneof_nested_message oneof 0 message 0
        73 oneof_string oneof 0 string
        74 oneof_bytes oneof 0 bytes
        75 oneof_bool oneof 0 bool
        76 oneof_uint64 oneof 0 uint64
        77 oneof_double oneof 0 double
        78 oneof_color oneof 0 enum 0
        79 oneof_null_value oneof 0 enum 2
        80 oneof_recursive oneof 0 message 1
        81 recursive optional message 1
        91 optional_timestamp optional message 2
        92 optional_duration optional message 3
        93 optional_field_mask optional message 4
        94 optional_struct optional message 5
        95 optional_any optional message 6
        96 optional_value optional message 7
        97 optional_list_value optional message 8
        98 optional_int32_wrapper optional message 9
        99 optional_string_wrapper optional message 10
        100 optional_bytes_wrapper optional message 11
        101 optional_bool_wrapper optional message 12
        102 optional_double_wrapper optional message 13
        103 optional_uint64_wrapper optional message 14
        104 optional_null_value enum 2
        105 optional_empty optional message 15
        106 repeated_value repeated message 7
        107 repeated_timestamp repeated message 2
        108 optional_int64_wrapper optional message 16
        109 optional_float_wrapper optional message 17
        110 optional_uint32_wrapper optional message 18
        111 custom_json json=renamed int32
        121 fieldname1 int32
        122 field_name2 int32
        123 _field_name3 int32
        124 field__name4_ int32
        125 field0name5 int32
        126 field_0_name6 int32
        127 fieldName7 int32
        128 FieldName8 int32
        129 field_Name9 int32
        130 Field_Name10 int32
        131 FIELD_NAME11 int32
        132 FIELD_name12 int32
        133 __field_name13 int32
        134 __Field_name14 int32
        135 field__name15 int32
        136 field__Name16 int32
        137 field_name17__ int32
        138 Field_name18__ int32
        """, messages: [FormatNested.self, FormatAllTypes.self, Google_Protobuf_Timestamp.self, Google_Protobuf_Duration.self, Google_Protobuf_FieldMask.self, Google_Protobuf_Struct.self, Google_Protobuf_Any.self, Google_Protobuf_Value.self, Google_Protobuf_ListValue.self, Google_Protobuf_Int32Value.self, Google_Protobuf_StringValue.self, Google_Protobuf_BytesValue.self, Google_Protobuf_BoolValue.self, Google_Protobuf_DoubleValue.self, Google_Protobuf_UInt64Value.self, Google_Protobuf_Empty.self, Google_Protobuf_Int64Value.self, Google_Protobuf_FloatValue.self, Google_Protobuf_UInt32Value.self], enums: [FormatColor.self, FormatShape.self, Google_Protobuf_NullValue.self], oneofs: ["oneof_field"])

    func encodedSize() -> Int {
        var size = self.unknownFields.count
        size &+= WireSize.implicit(ProtoInt32.self, 1, self.optionalInt32)
        size &+= WireSize.implicit(ProtoInt64.self, 2, self.optionalInt64)
        size &+= WireSize.implicit(ProtoUInt32.self, 3, self.optionalUint32)
        size &+= WireSize.implicit(ProtoUInt64.self, 4, self.optionalUint64)
        size &+= WireSize.implicit(ProtoSInt32.self, 5, self.optionalSint32)
        size &+= WireSize.implicit(ProtoSInt64.self, 6, self.optionalSint64)
        size &+= WireSize.implicit(ProtoFixed32.self, 7, self.optionalFixed32)
        size &+= WireSize.implicit(ProtoFixed64.self, 8, self.optionalFixed64)
        size &+= WireSize.implicit(ProtoSFixed32.self, 9, self.optionalSfixed32)
        size &+= WireSize.implicit(ProtoSFixed64.self, 10, self.optionalSfixed64)
        size &+= WireSize.implicit(ProtoFloat.self, 11, self.optionalFloat)
        size &+= WireSize.implicit(ProtoDouble.self, 12, self.optionalDouble)
        size &+= WireSize.implicit(ProtoBool.self, 13, self.optionalBool)
        size &+= WireSize.implicit(ProtoString.self, 14, self.optionalString)
        size &+= WireSize.implicit(ProtoBytes.self, 15, self.optionalBytes)
        size &+= WireSize.optional(MessageCodec<FormatNested>.self, 16, self.optionalNestedMessage)
        size &+= WireSize.implicit(EnumCodec<FormatColor>.self, 17, self.optionalColor)
        size &+= WireSize.optional(ProtoInt32.self, 18, self.proto3OptionalInt32)
        size &+= WireSize.optional(ProtoString.self, 19, self.proto3OptionalString)
        size &+= WireSize.optional(ClosedEnumCodec<FormatShape>.self, 20, self.optionalShape)
        size &+= WireSize.optional(ProtoInt32.self, 21, self._defaultedInt32)
        size &+= WireSize.optional(ProtoString.self, 22, self._defaultedString)
        size &+= WireSize.optional(ProtoDouble.self, 23, self._defaultedDouble)
        size &+= WireSize.optional(ClosedEnumCodec<FormatShape>.self, 24, self._defaultedShape)
        size &+= WireSize.packed(ProtoInt32.self, 31, self.repeatedInt32)
        size &+= WireSize.packed(ProtoInt64.self, 32, self.repeatedInt64)
        size &+= WireSize.repeated(ProtoUInt32.self, 33, self.repeatedUint32)
        size &+= WireSize.packed(ProtoUInt64.self, 34, self.repeatedUint64)
        size &+= WireSize.packed(ProtoSInt32.self, 35, self.repeatedSint32)
        size &+= WireSize.repeated(ProtoSInt64.self, 36, self.repeatedSint64)
        size &+= WireSize.packed(ProtoFixed32.self, 37, self.repeatedFixed32)
        size &+= WireSize.repeated(ProtoFixed64.self, 38, self.repeatedFixed64)
        size &+= WireSize.packed(ProtoSFixed32.self, 39, self.repeatedSfixed32)
        size &+= WireSize.packed(ProtoSFixed64.self, 40, self.repeatedSfixed64)
        size &+= WireSize.packed(ProtoFloat.self, 41, self.repeatedFloat)
        size &+= WireSize.packed(ProtoDouble.self, 42, self.repeatedDouble)
        size &+= WireSize.repeated(ProtoBool.self, 43, self.repeatedBool)
        size &+= WireSize.repeated(ProtoString.self, 44, self.repeatedString)
        size &+= WireSize.repeated(ProtoBytes.self, 45, self.repeatedBytes)
        size &+= WireSize.repeated(MessageCodec<FormatNested>.self, 46, self.repeatedNestedMessage)
        size &+= WireSize.packed(EnumCodec<FormatColor>.self, 47, self.repeatedColor)
        size &+= WireSize.repeated(ClosedEnumCodec<FormatShape>.self, 48, self.repeatedShape)
        size &+= WireSize.map(ProtoInt32.self, ProtoInt32.self, 51, self.mapInt32Int32)
        size &+= WireSize.map(ProtoInt64.self, ProtoInt64.self, 52, self.mapInt64Int64)
        size &+= WireSize.map(ProtoUInt32.self, ProtoUInt32.self, 53, self.mapUint32Uint32)
        size &+= WireSize.map(ProtoUInt64.self, ProtoUInt64.self, 54, self.mapUint64Uint64)
        size &+= WireSize.map(ProtoSInt32.self, ProtoSInt32.self, 55, self.mapSint32Sint32)
        size &+= WireSize.map(ProtoSInt64.self, ProtoSInt64.self, 56, self.mapSint64Sint64)
        size &+= WireSize.map(ProtoFixed32.self, ProtoFixed32.self, 57, self.mapFixed32Fixed32)
        size &+= WireSize.map(ProtoFixed64.self, ProtoFixed64.self, 58, self.mapFixed64Fixed64)
        size &+= WireSize.map(ProtoSFixed32.self, ProtoSFixed32.self, 59, self.mapSfixed32Sfixed32)
        size &+= WireSize.map(ProtoSFixed64.self, ProtoSFixed64.self, 60, self.mapSfixed64Sfixed64)
        size &+= WireSize.map(ProtoBool.self, ProtoBool.self, 61, self.mapBoolBool)
        size &+= WireSize.map(ProtoString.self, ProtoString.self, 62, self.mapStringString)
        size &+= WireSize.map(ProtoString.self, MessageCodec<FormatNested>.self, 63, self.mapStringNestedMessage)
        size &+= WireSize.map(ProtoInt32.self, EnumCodec<FormatColor>.self, 64, self.mapInt32Color)
        size &+= WireSize.map(ProtoString.self, ProtoBytes.self, 65, self.mapStringBytes)
        size &+= WireSize.map(ProtoInt32.self, ProtoDouble.self, 66, self.mapInt32Double)
        size &+= WireSize.map(ProtoInt32.self, ProtoFloat.self, 67, self.mapInt32Float)
        switch self.oneofField {
        case .oneofUint32(let v)?: size &+= WireSize.field(ProtoUInt32.self, 71, v)
        case .oneofNestedMessage(let v)?: size &+= WireSize.field(MessageCodec<FormatNested>.self, 72, v)
        case .oneofString(let v)?: size &+= WireSize.field(ProtoString.self, 73, v)
        case .oneofBytes(let v)?: size &+= WireSize.field(ProtoBytes.self, 74, v)
        case .oneofBool(let v)?: size &+= WireSize.field(ProtoBool.self, 75, v)
        case .oneofUint64(let v)?: size &+= WireSize.field(ProtoUInt64.self, 76, v)
        case .oneofDouble(let v)?: size &+= WireSize.field(ProtoDouble.self, 77, v)
        case .oneofColor(let v)?: size &+= WireSize.field(EnumCodec<FormatColor>.self, 78, v)
        case .oneofNullValue(let v)?: size &+= WireSize.field(EnumCodec<Google_Protobuf_NullValue>.self, 79, v)
        case .oneofRecursive(let v)?: size &+= WireSize.field(MessageCodec<FormatAllTypes>.self, 80, v)
        case nil: break
        }
        size &+= WireSize.optional(MessageCodec<FormatAllTypes>.self, 81, self.recursive)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_Timestamp>.self, 91, self.optionalTimestamp)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_Duration>.self, 92, self.optionalDuration)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_FieldMask>.self, 93, self.optionalFieldMask)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_Struct>.self, 94, self.optionalStruct)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_Any>.self, 95, self.optionalAny)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_Value>.self, 96, self.optionalValue)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_ListValue>.self, 97, self.optionalListValue)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_Int32Value>.self, 98, self.optionalInt32Wrapper)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_StringValue>.self, 99, self.optionalStringWrapper)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_BytesValue>.self, 100, self.optionalBytesWrapper)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_BoolValue>.self, 101, self.optionalBoolWrapper)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_DoubleValue>.self, 102, self.optionalDoubleWrapper)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_UInt64Value>.self, 103, self.optionalUint64Wrapper)
        size &+= WireSize.implicit(EnumCodec<Google_Protobuf_NullValue>.self, 104, self.optionalNullValue)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_Empty>.self, 105, self.optionalEmpty)
        size &+= WireSize.repeated(MessageCodec<Google_Protobuf_Value>.self, 106, self.repeatedValue)
        size &+= WireSize.repeated(MessageCodec<Google_Protobuf_Timestamp>.self, 107, self.repeatedTimestamp)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_Int64Value>.self, 108, self.optionalInt64Wrapper)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_FloatValue>.self, 109, self.optionalFloatWrapper)
        size &+= WireSize.optional(MessageCodec<Google_Protobuf_UInt32Value>.self, 110, self.optionalUint32Wrapper)
        size &+= WireSize.implicit(ProtoInt32.self, 111, self.customJson)
        size &+= WireSize.implicit(ProtoInt32.self, 121, self.conventionField1)
        size &+= WireSize.implicit(ProtoInt32.self, 122, self.conventionField2)
        size &+= WireSize.implicit(ProtoInt32.self, 123, self.conventionField3)
        size &+= WireSize.implicit(ProtoInt32.self, 124, self.conventionField4)
        size &+= WireSize.implicit(ProtoInt32.self, 125, self.conventionField5)
        size &+= WireSize.implicit(ProtoInt32.self, 126, self.conventionField6)
        size &+= WireSize.implicit(ProtoInt32.self, 127, self.conventionField7)
        size &+= WireSize.implicit(ProtoInt32.self, 128, self.conventionField8)
        size &+= WireSize.implicit(ProtoInt32.self, 129, self.conventionField9)
        size &+= WireSize.implicit(ProtoInt32.self, 130, self.conventionField10)
        size &+= WireSize.implicit(ProtoInt32.self, 131, self.conventionField11)
        size &+= WireSize.implicit(ProtoInt32.self, 132, self.conventionField12)
        size &+= WireSize.implicit(ProtoInt32.self, 133, self.conventionField13)
        size &+= WireSize.implicit(ProtoInt32.self, 134, self.conventionField14)
        size &+= WireSize.implicit(ProtoInt32.self, 135, self.conventionField15)
        size &+= WireSize.implicit(ProtoInt32.self, 136, self.conventionField16)
        size &+= WireSize.implicit(ProtoInt32.self, 137, self.conventionField17)
        size &+= WireSize.implicit(ProtoInt32.self, 138, self.conventionField18)
        return size
    }

    func encode(to writer: inout WireWriter) {
        writer.implicit(ProtoInt32.self, 1, self.optionalInt32)
        writer.implicit(ProtoInt64.self, 2, self.optionalInt64)
        writer.implicit(ProtoUInt32.self, 3, self.optionalUint32)
        writer.implicit(ProtoUInt64.self, 4, self.optionalUint64)
        writer.implicit(ProtoSInt32.self, 5, self.optionalSint32)
        writer.implicit(ProtoSInt64.self, 6, self.optionalSint64)
        writer.implicit(ProtoFixed32.self, 7, self.optionalFixed32)
        writer.implicit(ProtoFixed64.self, 8, self.optionalFixed64)
        writer.implicit(ProtoSFixed32.self, 9, self.optionalSfixed32)
        writer.implicit(ProtoSFixed64.self, 10, self.optionalSfixed64)
        writer.implicit(ProtoFloat.self, 11, self.optionalFloat)
        writer.implicit(ProtoDouble.self, 12, self.optionalDouble)
        writer.implicit(ProtoBool.self, 13, self.optionalBool)
        writer.implicit(ProtoString.self, 14, self.optionalString)
        writer.implicit(ProtoBytes.self, 15, self.optionalBytes)
        writer.optional(MessageCodec<FormatNested>.self, 16, self.optionalNestedMessage)
        writer.implicit(EnumCodec<FormatColor>.self, 17, self.optionalColor)
        writer.optional(ProtoInt32.self, 18, self.proto3OptionalInt32)
        writer.optional(ProtoString.self, 19, self.proto3OptionalString)
        writer.optional(ClosedEnumCodec<FormatShape>.self, 20, self.optionalShape)
        writer.optional(ProtoInt32.self, 21, self._defaultedInt32)
        writer.optional(ProtoString.self, 22, self._defaultedString)
        writer.optional(ProtoDouble.self, 23, self._defaultedDouble)
        writer.optional(ClosedEnumCodec<FormatShape>.self, 24, self._defaultedShape)
        writer.packed(ProtoInt32.self, 31, self.repeatedInt32)
        writer.packed(ProtoInt64.self, 32, self.repeatedInt64)
        writer.repeated(ProtoUInt32.self, 33, self.repeatedUint32)
        writer.packed(ProtoUInt64.self, 34, self.repeatedUint64)
        writer.packed(ProtoSInt32.self, 35, self.repeatedSint32)
        writer.repeated(ProtoSInt64.self, 36, self.repeatedSint64)
        writer.packed(ProtoFixed32.self, 37, self.repeatedFixed32)
        writer.repeated(ProtoFixed64.self, 38, self.repeatedFixed64)
        writer.packed(ProtoSFixed32.self, 39, self.repeatedSfixed32)
        writer.packed(ProtoSFixed64.self, 40, self.repeatedSfixed64)
        writer.packed(ProtoFloat.self, 41, self.repeatedFloat)
        writer.packed(ProtoDouble.self, 42, self.repeatedDouble)
        writer.repeated(ProtoBool.self, 43, self.repeatedBool)
        writer.repeated(ProtoString.self, 44, self.repeatedString)
        writer.repeated(ProtoBytes.self, 45, self.repeatedBytes)
        writer.repeated(MessageCodec<FormatNested>.self, 46, self.repeatedNestedMessage)
        writer.packed(EnumCodec<FormatColor>.self, 47, self.repeatedColor)
        writer.repeated(ClosedEnumCodec<FormatShape>.self, 48, self.repeatedShape)
        writer.map(ProtoInt32.self, ProtoInt32.self, 51, self.mapInt32Int32)
        writer.map(ProtoInt64.self, ProtoInt64.self, 52, self.mapInt64Int64)
        writer.map(ProtoUInt32.self, ProtoUInt32.self, 53, self.mapUint32Uint32)
        writer.map(ProtoUInt64.self, ProtoUInt64.self, 54, self.mapUint64Uint64)
        writer.map(ProtoSInt32.self, ProtoSInt32.self, 55, self.mapSint32Sint32)
        writer.map(ProtoSInt64.self, ProtoSInt64.self, 56, self.mapSint64Sint64)
        writer.map(ProtoFixed32.self, ProtoFixed32.self, 57, self.mapFixed32Fixed32)
        writer.map(ProtoFixed64.self, ProtoFixed64.self, 58, self.mapFixed64Fixed64)
        writer.map(ProtoSFixed32.self, ProtoSFixed32.self, 59, self.mapSfixed32Sfixed32)
        writer.map(ProtoSFixed64.self, ProtoSFixed64.self, 60, self.mapSfixed64Sfixed64)
        writer.map(ProtoBool.self, ProtoBool.self, 61, self.mapBoolBool)
        writer.map(ProtoString.self, ProtoString.self, 62, self.mapStringString)
        writer.map(ProtoString.self, MessageCodec<FormatNested>.self, 63, self.mapStringNestedMessage)
        writer.map(ProtoInt32.self, EnumCodec<FormatColor>.self, 64, self.mapInt32Color)
        writer.map(ProtoString.self, ProtoBytes.self, 65, self.mapStringBytes)
        writer.map(ProtoInt32.self, ProtoDouble.self, 66, self.mapInt32Double)
        writer.map(ProtoInt32.self, ProtoFloat.self, 67, self.mapInt32Float)
        switch self.oneofField {
        case .oneofUint32(let v)?: writer.field(ProtoUInt32.self, 71, v)
        case .oneofNestedMessage(let v)?: writer.field(MessageCodec<FormatNested>.self, 72, v)
        case .oneofString(let v)?: writer.field(ProtoString.self, 73, v)
        case .oneofBytes(let v)?: writer.field(ProtoBytes.self, 74, v)
        case .oneofBool(let v)?: writer.field(ProtoBool.self, 75, v)
        case .oneofUint64(let v)?: writer.field(ProtoUInt64.self, 76, v)
        case .oneofDouble(let v)?: writer.field(ProtoDouble.self, 77, v)
        case .oneofColor(let v)?: writer.field(EnumCodec<FormatColor>.self, 78, v)
        case .oneofNullValue(let v)?: writer.field(EnumCodec<Google_Protobuf_NullValue>.self, 79, v)
        case .oneofRecursive(let v)?: writer.field(MessageCodec<FormatAllTypes>.self, 80, v)
        case nil: break
        }
        writer.optional(MessageCodec<FormatAllTypes>.self, 81, self.recursive)
        writer.optional(MessageCodec<Google_Protobuf_Timestamp>.self, 91, self.optionalTimestamp)
        writer.optional(MessageCodec<Google_Protobuf_Duration>.self, 92, self.optionalDuration)
        writer.optional(MessageCodec<Google_Protobuf_FieldMask>.self, 93, self.optionalFieldMask)
        writer.optional(MessageCodec<Google_Protobuf_Struct>.self, 94, self.optionalStruct)
        writer.optional(MessageCodec<Google_Protobuf_Any>.self, 95, self.optionalAny)
        writer.optional(MessageCodec<Google_Protobuf_Value>.self, 96, self.optionalValue)
        writer.optional(MessageCodec<Google_Protobuf_ListValue>.self, 97, self.optionalListValue)
        writer.optional(MessageCodec<Google_Protobuf_Int32Value>.self, 98, self.optionalInt32Wrapper)
        writer.optional(MessageCodec<Google_Protobuf_StringValue>.self, 99, self.optionalStringWrapper)
        writer.optional(MessageCodec<Google_Protobuf_BytesValue>.self, 100, self.optionalBytesWrapper)
        writer.optional(MessageCodec<Google_Protobuf_BoolValue>.self, 101, self.optionalBoolWrapper)
        writer.optional(MessageCodec<Google_Protobuf_DoubleValue>.self, 102, self.optionalDoubleWrapper)
        writer.optional(MessageCodec<Google_Protobuf_UInt64Value>.self, 103, self.optionalUint64Wrapper)
        writer.implicit(EnumCodec<Google_Protobuf_NullValue>.self, 104, self.optionalNullValue)
        writer.optional(MessageCodec<Google_Protobuf_Empty>.self, 105, self.optionalEmpty)
        writer.repeated(MessageCodec<Google_Protobuf_Value>.self, 106, self.repeatedValue)
        writer.repeated(MessageCodec<Google_Protobuf_Timestamp>.self, 107, self.repeatedTimestamp)
        writer.optional(MessageCodec<Google_Protobuf_Int64Value>.self, 108, self.optionalInt64Wrapper)
        writer.optional(MessageCodec<Google_Protobuf_FloatValue>.self, 109, self.optionalFloatWrapper)
        writer.optional(MessageCodec<Google_Protobuf_UInt32Value>.self, 110, self.optionalUint32Wrapper)
        writer.implicit(ProtoInt32.self, 111, self.customJson)
        writer.implicit(ProtoInt32.self, 121, self.conventionField1)
        writer.implicit(ProtoInt32.self, 122, self.conventionField2)
        writer.implicit(ProtoInt32.self, 123, self.conventionField3)
        writer.implicit(ProtoInt32.self, 124, self.conventionField4)
        writer.implicit(ProtoInt32.self, 125, self.conventionField5)
        writer.implicit(ProtoInt32.self, 126, self.conventionField6)
        writer.implicit(ProtoInt32.self, 127, self.conventionField7)
        writer.implicit(ProtoInt32.self, 128, self.conventionField8)
        writer.implicit(ProtoInt32.self, 129, self.conventionField9)
        writer.implicit(ProtoInt32.self, 130, self.conventionField10)
        writer.implicit(ProtoInt32.self, 131, self.conventionField11)
        writer.implicit(ProtoInt32.self, 132, self.conventionField12)
        writer.implicit(ProtoInt32.self, 133, self.conventionField13)
        writer.implicit(ProtoInt32.self, 134, self.conventionField14)
        writer.implicit(ProtoInt32.self, 135, self.conventionField15)
        writer.implicit(ProtoInt32.self, 136, self.conventionField16)
        writer.implicit(ProtoInt32.self, 137, self.conventionField17)
        writer.implicit(ProtoInt32.self, 138, self.conventionField18)
        writer.unknown(self.unknownFields)
    }

    mutating func merge(from reader: inout WireReader) throws(WireDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: self.optionalInt32 = try reader.read(ProtoInt32.self, tag)
            case 2: self.optionalInt64 = try reader.read(ProtoInt64.self, tag)
            case 3: self.optionalUint32 = try reader.read(ProtoUInt32.self, tag)
            case 4: self.optionalUint64 = try reader.read(ProtoUInt64.self, tag)
            case 5: self.optionalSint32 = try reader.read(ProtoSInt32.self, tag)
            case 6: self.optionalSint64 = try reader.read(ProtoSInt64.self, tag)
            case 7: self.optionalFixed32 = try reader.read(ProtoFixed32.self, tag)
            case 8: self.optionalFixed64 = try reader.read(ProtoFixed64.self, tag)
            case 9: self.optionalSfixed32 = try reader.read(ProtoSFixed32.self, tag)
            case 10: self.optionalSfixed64 = try reader.read(ProtoSFixed64.self, tag)
            case 11: self.optionalFloat = try reader.read(ProtoFloat.self, tag)
            case 12: self.optionalDouble = try reader.read(ProtoDouble.self, tag)
            case 13: self.optionalBool = try reader.read(ProtoBool.self, tag)
            case 14: self.optionalString = try reader.read(ProtoString.self, tag)
            case 15: self.optionalBytes = try reader.read(ProtoBytes.self, tag)
            case 16: try reader.readMessage(tag, into: &self.optionalNestedMessage)
            case 17: self.optionalColor = try reader.read(EnumCodec<FormatColor>.self, tag)
            case 18: self.proto3OptionalInt32 = try reader.read(ProtoInt32.self, tag)
            case 19: self.proto3OptionalString = try reader.read(ProtoString.self, tag)
            case 20:
                if let value = try reader.readClosedEnum(FormatShape.self, tag, unknown: &self.unknownFields) {
                    self.optionalShape = value
                }
            case 21: self._defaultedInt32 = try reader.read(ProtoInt32.self, tag)
            case 22: self._defaultedString = try reader.read(ProtoString.self, tag)
            case 23: self._defaultedDouble = try reader.read(ProtoDouble.self, tag)
            case 24:
                if let value = try reader.readClosedEnum(FormatShape.self, tag, unknown: &self.unknownFields) {
                    self._defaultedShape = value
                }
            case 31: try reader.readRepeated(ProtoInt32.self, tag, into: &self.repeatedInt32)
            case 32: try reader.readRepeated(ProtoInt64.self, tag, into: &self.repeatedInt64)
            case 33: try reader.readRepeated(ProtoUInt32.self, tag, into: &self.repeatedUint32)
            case 34: try reader.readRepeated(ProtoUInt64.self, tag, into: &self.repeatedUint64)
            case 35: try reader.readRepeated(ProtoSInt32.self, tag, into: &self.repeatedSint32)
            case 36: try reader.readRepeated(ProtoSInt64.self, tag, into: &self.repeatedSint64)
            case 37: try reader.readRepeated(ProtoFixed32.self, tag, into: &self.repeatedFixed32)
            case 38: try reader.readRepeated(ProtoFixed64.self, tag, into: &self.repeatedFixed64)
            case 39: try reader.readRepeated(ProtoSFixed32.self, tag, into: &self.repeatedSfixed32)
            case 40: try reader.readRepeated(ProtoSFixed64.self, tag, into: &self.repeatedSfixed64)
            case 41: try reader.readRepeated(ProtoFloat.self, tag, into: &self.repeatedFloat)
            case 42: try reader.readRepeated(ProtoDouble.self, tag, into: &self.repeatedDouble)
            case 43: try reader.readRepeated(ProtoBool.self, tag, into: &self.repeatedBool)
            case 44: try reader.readRepeated(ProtoString.self, tag, into: &self.repeatedString)
            case 45: try reader.readRepeated(ProtoBytes.self, tag, into: &self.repeatedBytes)
            case 46: try reader.readRepeated(MessageCodec<FormatNested>.self, tag, into: &self.repeatedNestedMessage)
            case 47: try reader.readRepeated(EnumCodec<FormatColor>.self, tag, into: &self.repeatedColor)
            case 48: try reader.readRepeatedClosedEnum(FormatShape.self, tag, into: &self.repeatedShape, unknown: &self.unknownFields)
            case 51: try reader.readMapEntry(ProtoInt32.self, ProtoInt32.self, tag, into: &self.mapInt32Int32)
            case 52: try reader.readMapEntry(ProtoInt64.self, ProtoInt64.self, tag, into: &self.mapInt64Int64)
            case 53: try reader.readMapEntry(ProtoUInt32.self, ProtoUInt32.self, tag, into: &self.mapUint32Uint32)
            case 54: try reader.readMapEntry(ProtoUInt64.self, ProtoUInt64.self, tag, into: &self.mapUint64Uint64)
            case 55: try reader.readMapEntry(ProtoSInt32.self, ProtoSInt32.self, tag, into: &self.mapSint32Sint32)
            case 56: try reader.readMapEntry(ProtoSInt64.self, ProtoSInt64.self, tag, into: &self.mapSint64Sint64)
            case 57: try reader.readMapEntry(ProtoFixed32.self, ProtoFixed32.self, tag, into: &self.mapFixed32Fixed32)
            case 58: try reader.readMapEntry(ProtoFixed64.self, ProtoFixed64.self, tag, into: &self.mapFixed64Fixed64)
            case 59: try reader.readMapEntry(ProtoSFixed32.self, ProtoSFixed32.self, tag, into: &self.mapSfixed32Sfixed32)
            case 60: try reader.readMapEntry(ProtoSFixed64.self, ProtoSFixed64.self, tag, into: &self.mapSfixed64Sfixed64)
            case 61: try reader.readMapEntry(ProtoBool.self, ProtoBool.self, tag, into: &self.mapBoolBool)
            case 62: try reader.readMapEntry(ProtoString.self, ProtoString.self, tag, into: &self.mapStringString)
            case 63: try reader.readMapEntry(ProtoString.self, MessageCodec<FormatNested>.self, tag, into: &self.mapStringNestedMessage)
            case 64: try reader.readMapEntry(ProtoInt32.self, EnumCodec<FormatColor>.self, tag, into: &self.mapInt32Color)
            case 65: try reader.readMapEntry(ProtoString.self, ProtoBytes.self, tag, into: &self.mapStringBytes)
            case 66: try reader.readMapEntry(ProtoInt32.self, ProtoDouble.self, tag, into: &self.mapInt32Double)
            case 67: try reader.readMapEntry(ProtoInt32.self, ProtoFloat.self, tag, into: &self.mapInt32Float)
            case 71: self.oneofField = .oneofUint32(try reader.read(ProtoUInt32.self, tag))
            case 72:
                var value = FormatNested()
                if case .oneofNestedMessage(let existing)? = self.oneofField { value = existing }
                try reader.readMessage(tag, into: &value)
                self.oneofField = .oneofNestedMessage(value)
            case 73: self.oneofField = .oneofString(try reader.read(ProtoString.self, tag))
            case 74: self.oneofField = .oneofBytes(try reader.read(ProtoBytes.self, tag))
            case 75: self.oneofField = .oneofBool(try reader.read(ProtoBool.self, tag))
            case 76: self.oneofField = .oneofUint64(try reader.read(ProtoUInt64.self, tag))
            case 77: self.oneofField = .oneofDouble(try reader.read(ProtoDouble.self, tag))
            case 78: self.oneofField = .oneofColor(try reader.read(EnumCodec<FormatColor>.self, tag))
            case 79: self.oneofField = .oneofNullValue(try reader.read(EnumCodec<Google_Protobuf_NullValue>.self, tag))
            case 80:
                var value = FormatAllTypes()
                if case .oneofRecursive(let existing)? = self.oneofField { value = existing }
                try reader.readMessage(tag, into: &value)
                self.oneofField = .oneofRecursive(value)
            case 81: try reader.readMessage(tag, into: &self.recursive)
            case 91: try reader.readMessage(tag, into: &self.optionalTimestamp)
            case 92: try reader.readMessage(tag, into: &self.optionalDuration)
            case 93: try reader.readMessage(tag, into: &self.optionalFieldMask)
            case 94: try reader.readMessage(tag, into: &self.optionalStruct)
            case 95: try reader.readMessage(tag, into: &self.optionalAny)
            case 96: try reader.readMessage(tag, into: &self.optionalValue)
            case 97: try reader.readMessage(tag, into: &self.optionalListValue)
            case 98: try reader.readMessage(tag, into: &self.optionalInt32Wrapper)
            case 99: try reader.readMessage(tag, into: &self.optionalStringWrapper)
            case 100: try reader.readMessage(tag, into: &self.optionalBytesWrapper)
            case 101: try reader.readMessage(tag, into: &self.optionalBoolWrapper)
            case 102: try reader.readMessage(tag, into: &self.optionalDoubleWrapper)
            case 103: try reader.readMessage(tag, into: &self.optionalUint64Wrapper)
            case 104: self.optionalNullValue = try reader.read(EnumCodec<Google_Protobuf_NullValue>.self, tag)
            case 105: try reader.readMessage(tag, into: &self.optionalEmpty)
            case 106: try reader.readRepeated(MessageCodec<Google_Protobuf_Value>.self, tag, into: &self.repeatedValue)
            case 107: try reader.readRepeated(MessageCodec<Google_Protobuf_Timestamp>.self, tag, into: &self.repeatedTimestamp)
            case 108: try reader.readMessage(tag, into: &self.optionalInt64Wrapper)
            case 109: try reader.readMessage(tag, into: &self.optionalFloatWrapper)
            case 110: try reader.readMessage(tag, into: &self.optionalUint32Wrapper)
            case 111: self.customJson = try reader.read(ProtoInt32.self, tag)
            case 121: self.conventionField1 = try reader.read(ProtoInt32.self, tag)
            case 122: self.conventionField2 = try reader.read(ProtoInt32.self, tag)
            case 123: self.conventionField3 = try reader.read(ProtoInt32.self, tag)
            case 124: self.conventionField4 = try reader.read(ProtoInt32.self, tag)
            case 125: self.conventionField5 = try reader.read(ProtoInt32.self, tag)
            case 126: self.conventionField6 = try reader.read(ProtoInt32.self, tag)
            case 127: self.conventionField7 = try reader.read(ProtoInt32.self, tag)
            case 128: self.conventionField8 = try reader.read(ProtoInt32.self, tag)
            case 129: self.conventionField9 = try reader.read(ProtoInt32.self, tag)
            case 130: self.conventionField10 = try reader.read(ProtoInt32.self, tag)
            case 131: self.conventionField11 = try reader.read(ProtoInt32.self, tag)
            case 132: self.conventionField12 = try reader.read(ProtoInt32.self, tag)
            case 133: self.conventionField13 = try reader.read(ProtoInt32.self, tag)
            case 134: self.conventionField14 = try reader.read(ProtoInt32.self, tag)
            case 135: self.conventionField15 = try reader.read(ProtoInt32.self, tag)
            case 136: self.conventionField16 = try reader.read(ProtoInt32.self, tag)
            case 137: self.conventionField17 = try reader.read(ProtoInt32.self, tag)
            case 138: self.conventionField18 = try reader.read(ProtoInt32.self, tag)
            default: try reader.skip(tag, into: &self.unknownFields)
            }
        }
    }

    func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoInt32.self, 1, self.optionalInt32)
        try visitor.implicit(ProtoInt64.self, 2, self.optionalInt64)
        try visitor.implicit(ProtoUInt32.self, 3, self.optionalUint32)
        try visitor.implicit(ProtoUInt64.self, 4, self.optionalUint64)
        try visitor.implicit(ProtoSInt32.self, 5, self.optionalSint32)
        try visitor.implicit(ProtoSInt64.self, 6, self.optionalSint64)
        try visitor.implicit(ProtoFixed32.self, 7, self.optionalFixed32)
        try visitor.implicit(ProtoFixed64.self, 8, self.optionalFixed64)
        try visitor.implicit(ProtoSFixed32.self, 9, self.optionalSfixed32)
        try visitor.implicit(ProtoSFixed64.self, 10, self.optionalSfixed64)
        try visitor.implicit(ProtoFloat.self, 11, self.optionalFloat)
        try visitor.implicit(ProtoDouble.self, 12, self.optionalDouble)
        try visitor.implicit(ProtoBool.self, 13, self.optionalBool)
        try visitor.implicit(ProtoString.self, 14, self.optionalString)
        try visitor.implicit(ProtoBytes.self, 15, self.optionalBytes)
        try visitor.optional(MessageCodec<FormatNested>.self, 16, self.optionalNestedMessage)
        try visitor.implicit(EnumCodec<FormatColor>.self, 17, self.optionalColor)
        try visitor.optional(ProtoInt32.self, 18, self.proto3OptionalInt32)
        try visitor.optional(ProtoString.self, 19, self.proto3OptionalString)
        try visitor.optional(ClosedEnumCodec<FormatShape>.self, 20, self.optionalShape)
        try visitor.optional(ProtoInt32.self, 21, self._defaultedInt32)
        try visitor.optional(ProtoString.self, 22, self._defaultedString)
        try visitor.optional(ProtoDouble.self, 23, self._defaultedDouble)
        try visitor.optional(ClosedEnumCodec<FormatShape>.self, 24, self._defaultedShape)
        try visitor.repeated(ProtoInt32.self, 31, self.repeatedInt32)
        try visitor.repeated(ProtoInt64.self, 32, self.repeatedInt64)
        try visitor.repeated(ProtoUInt32.self, 33, self.repeatedUint32)
        try visitor.repeated(ProtoUInt64.self, 34, self.repeatedUint64)
        try visitor.repeated(ProtoSInt32.self, 35, self.repeatedSint32)
        try visitor.repeated(ProtoSInt64.self, 36, self.repeatedSint64)
        try visitor.repeated(ProtoFixed32.self, 37, self.repeatedFixed32)
        try visitor.repeated(ProtoFixed64.self, 38, self.repeatedFixed64)
        try visitor.repeated(ProtoSFixed32.self, 39, self.repeatedSfixed32)
        try visitor.repeated(ProtoSFixed64.self, 40, self.repeatedSfixed64)
        try visitor.repeated(ProtoFloat.self, 41, self.repeatedFloat)
        try visitor.repeated(ProtoDouble.self, 42, self.repeatedDouble)
        try visitor.repeated(ProtoBool.self, 43, self.repeatedBool)
        try visitor.repeated(ProtoString.self, 44, self.repeatedString)
        try visitor.repeated(ProtoBytes.self, 45, self.repeatedBytes)
        try visitor.repeated(MessageCodec<FormatNested>.self, 46, self.repeatedNestedMessage)
        try visitor.repeated(EnumCodec<FormatColor>.self, 47, self.repeatedColor)
        try visitor.repeated(ClosedEnumCodec<FormatShape>.self, 48, self.repeatedShape)
        try visitor.map(ProtoInt32.self, ProtoInt32.self, 51, self.mapInt32Int32)
        try visitor.map(ProtoInt64.self, ProtoInt64.self, 52, self.mapInt64Int64)
        try visitor.map(ProtoUInt32.self, ProtoUInt32.self, 53, self.mapUint32Uint32)
        try visitor.map(ProtoUInt64.self, ProtoUInt64.self, 54, self.mapUint64Uint64)
        try visitor.map(ProtoSInt32.self, ProtoSInt32.self, 55, self.mapSint32Sint32)
        try visitor.map(ProtoSInt64.self, ProtoSInt64.self, 56, self.mapSint64Sint64)
        try visitor.map(ProtoFixed32.self, ProtoFixed32.self, 57, self.mapFixed32Fixed32)
        try visitor.map(ProtoFixed64.self, ProtoFixed64.self, 58, self.mapFixed64Fixed64)
        try visitor.map(ProtoSFixed32.self, ProtoSFixed32.self, 59, self.mapSfixed32Sfixed32)
        try visitor.map(ProtoSFixed64.self, ProtoSFixed64.self, 60, self.mapSfixed64Sfixed64)
        try visitor.map(ProtoBool.self, ProtoBool.self, 61, self.mapBoolBool)
        try visitor.map(ProtoString.self, ProtoString.self, 62, self.mapStringString)
        try visitor.map(ProtoString.self, MessageCodec<FormatNested>.self, 63, self.mapStringNestedMessage)
        try visitor.map(ProtoInt32.self, EnumCodec<FormatColor>.self, 64, self.mapInt32Color)
        try visitor.map(ProtoString.self, ProtoBytes.self, 65, self.mapStringBytes)
        try visitor.map(ProtoInt32.self, ProtoDouble.self, 66, self.mapInt32Double)
        try visitor.map(ProtoInt32.self, ProtoFloat.self, 67, self.mapInt32Float)
        switch self.oneofField {
        case .oneofUint32(let v)?: try visitor.field(ProtoUInt32.self, 71, v)
        case .oneofNestedMessage(let v)?: try visitor.field(MessageCodec<FormatNested>.self, 72, v)
        case .oneofString(let v)?: try visitor.field(ProtoString.self, 73, v)
        case .oneofBytes(let v)?: try visitor.field(ProtoBytes.self, 74, v)
        case .oneofBool(let v)?: try visitor.field(ProtoBool.self, 75, v)
        case .oneofUint64(let v)?: try visitor.field(ProtoUInt64.self, 76, v)
        case .oneofDouble(let v)?: try visitor.field(ProtoDouble.self, 77, v)
        case .oneofColor(let v)?: try visitor.field(EnumCodec<FormatColor>.self, 78, v)
        case .oneofNullValue(let v)?: try visitor.field(EnumCodec<Google_Protobuf_NullValue>.self, 79, v)
        case .oneofRecursive(let v)?: try visitor.field(MessageCodec<FormatAllTypes>.self, 80, v)
        case nil: break
        }
        try visitor.optional(MessageCodec<FormatAllTypes>.self, 81, self.recursive)
        try visitor.optional(MessageCodec<Google_Protobuf_Timestamp>.self, 91, self.optionalTimestamp)
        try visitor.optional(MessageCodec<Google_Protobuf_Duration>.self, 92, self.optionalDuration)
        try visitor.optional(MessageCodec<Google_Protobuf_FieldMask>.self, 93, self.optionalFieldMask)
        try visitor.optional(MessageCodec<Google_Protobuf_Struct>.self, 94, self.optionalStruct)
        try visitor.optional(MessageCodec<Google_Protobuf_Any>.self, 95, self.optionalAny)
        try visitor.optional(MessageCodec<Google_Protobuf_Value>.self, 96, self.optionalValue)
        try visitor.optional(MessageCodec<Google_Protobuf_ListValue>.self, 97, self.optionalListValue)
        try visitor.optional(MessageCodec<Google_Protobuf_Int32Value>.self, 98, self.optionalInt32Wrapper)
        try visitor.optional(MessageCodec<Google_Protobuf_StringValue>.self, 99, self.optionalStringWrapper)
        try visitor.optional(MessageCodec<Google_Protobuf_BytesValue>.self, 100, self.optionalBytesWrapper)
        try visitor.optional(MessageCodec<Google_Protobuf_BoolValue>.self, 101, self.optionalBoolWrapper)
        try visitor.optional(MessageCodec<Google_Protobuf_DoubleValue>.self, 102, self.optionalDoubleWrapper)
        try visitor.optional(MessageCodec<Google_Protobuf_UInt64Value>.self, 103, self.optionalUint64Wrapper)
        try visitor.implicit(EnumCodec<Google_Protobuf_NullValue>.self, 104, self.optionalNullValue)
        try visitor.optional(MessageCodec<Google_Protobuf_Empty>.self, 105, self.optionalEmpty)
        try visitor.repeated(MessageCodec<Google_Protobuf_Value>.self, 106, self.repeatedValue)
        try visitor.repeated(MessageCodec<Google_Protobuf_Timestamp>.self, 107, self.repeatedTimestamp)
        try visitor.optional(MessageCodec<Google_Protobuf_Int64Value>.self, 108, self.optionalInt64Wrapper)
        try visitor.optional(MessageCodec<Google_Protobuf_FloatValue>.self, 109, self.optionalFloatWrapper)
        try visitor.optional(MessageCodec<Google_Protobuf_UInt32Value>.self, 110, self.optionalUint32Wrapper)
        try visitor.implicit(ProtoInt32.self, 111, self.customJson)
        try visitor.implicit(ProtoInt32.self, 121, self.conventionField1)
        try visitor.implicit(ProtoInt32.self, 122, self.conventionField2)
        try visitor.implicit(ProtoInt32.self, 123, self.conventionField3)
        try visitor.implicit(ProtoInt32.self, 124, self.conventionField4)
        try visitor.implicit(ProtoInt32.self, 125, self.conventionField5)
        try visitor.implicit(ProtoInt32.self, 126, self.conventionField6)
        try visitor.implicit(ProtoInt32.self, 127, self.conventionField7)
        try visitor.implicit(ProtoInt32.self, 128, self.conventionField8)
        try visitor.implicit(ProtoInt32.self, 129, self.conventionField9)
        try visitor.implicit(ProtoInt32.self, 130, self.conventionField10)
        try visitor.implicit(ProtoInt32.self, 131, self.conventionField11)
        try visitor.implicit(ProtoInt32.self, 132, self.conventionField12)
        try visitor.implicit(ProtoInt32.self, 133, self.conventionField13)
        try visitor.implicit(ProtoInt32.self, 134, self.conventionField14)
        try visitor.implicit(ProtoInt32.self, 135, self.conventionField15)
        try visitor.implicit(ProtoInt32.self, 136, self.conventionField16)
        try visitor.implicit(ProtoInt32.self, 137, self.conventionField17)
        try visitor.implicit(ProtoInt32.self, 138, self.conventionField18)
        try visitor.unknown(self.unknownFields)
    }

    mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: self.optionalInt32 = try decoder.read(ProtoInt32.self)
        case 2: self.optionalInt64 = try decoder.read(ProtoInt64.self)
        case 3: self.optionalUint32 = try decoder.read(ProtoUInt32.self)
        case 4: self.optionalUint64 = try decoder.read(ProtoUInt64.self)
        case 5: self.optionalSint32 = try decoder.read(ProtoSInt32.self)
        case 6: self.optionalSint64 = try decoder.read(ProtoSInt64.self)
        case 7: self.optionalFixed32 = try decoder.read(ProtoFixed32.self)
        case 8: self.optionalFixed64 = try decoder.read(ProtoFixed64.self)
        case 9: self.optionalSfixed32 = try decoder.read(ProtoSFixed32.self)
        case 10: self.optionalSfixed64 = try decoder.read(ProtoSFixed64.self)
        case 11: self.optionalFloat = try decoder.read(ProtoFloat.self)
        case 12: self.optionalDouble = try decoder.read(ProtoDouble.self)
        case 13: self.optionalBool = try decoder.read(ProtoBool.self)
        case 14: self.optionalString = try decoder.read(ProtoString.self)
        case 15: self.optionalBytes = try decoder.read(ProtoBytes.self)
        case 16: self.optionalNestedMessage = try decoder.read(MessageCodec<FormatNested>.self)
        case 17: self.optionalColor = try decoder.read(EnumCodec<FormatColor>.self)
        case 18: self.proto3OptionalInt32 = try decoder.read(ProtoInt32.self)
        case 19: self.proto3OptionalString = try decoder.read(ProtoString.self)
        case 20: self.optionalShape = try decoder.read(ClosedEnumCodec<FormatShape>.self)
        case 21: self._defaultedInt32 = try decoder.read(ProtoInt32.self)
        case 22: self._defaultedString = try decoder.read(ProtoString.self)
        case 23: self._defaultedDouble = try decoder.read(ProtoDouble.self)
        case 24: self._defaultedShape = try decoder.read(ClosedEnumCodec<FormatShape>.self)
        case 31: try decoder.readRepeated(ProtoInt32.self, into: &self.repeatedInt32)
        case 32: try decoder.readRepeated(ProtoInt64.self, into: &self.repeatedInt64)
        case 33: try decoder.readRepeated(ProtoUInt32.self, into: &self.repeatedUint32)
        case 34: try decoder.readRepeated(ProtoUInt64.self, into: &self.repeatedUint64)
        case 35: try decoder.readRepeated(ProtoSInt32.self, into: &self.repeatedSint32)
        case 36: try decoder.readRepeated(ProtoSInt64.self, into: &self.repeatedSint64)
        case 37: try decoder.readRepeated(ProtoFixed32.self, into: &self.repeatedFixed32)
        case 38: try decoder.readRepeated(ProtoFixed64.self, into: &self.repeatedFixed64)
        case 39: try decoder.readRepeated(ProtoSFixed32.self, into: &self.repeatedSfixed32)
        case 40: try decoder.readRepeated(ProtoSFixed64.self, into: &self.repeatedSfixed64)
        case 41: try decoder.readRepeated(ProtoFloat.self, into: &self.repeatedFloat)
        case 42: try decoder.readRepeated(ProtoDouble.self, into: &self.repeatedDouble)
        case 43: try decoder.readRepeated(ProtoBool.self, into: &self.repeatedBool)
        case 44: try decoder.readRepeated(ProtoString.self, into: &self.repeatedString)
        case 45: try decoder.readRepeated(ProtoBytes.self, into: &self.repeatedBytes)
        case 46: try decoder.readRepeated(MessageCodec<FormatNested>.self, into: &self.repeatedNestedMessage)
        case 47: try decoder.readRepeated(EnumCodec<FormatColor>.self, into: &self.repeatedColor)
        case 48: try decoder.readRepeated(ClosedEnumCodec<FormatShape>.self, into: &self.repeatedShape)
        case 51: try decoder.readMap(ProtoInt32.self, ProtoInt32.self, into: &self.mapInt32Int32)
        case 52: try decoder.readMap(ProtoInt64.self, ProtoInt64.self, into: &self.mapInt64Int64)
        case 53: try decoder.readMap(ProtoUInt32.self, ProtoUInt32.self, into: &self.mapUint32Uint32)
        case 54: try decoder.readMap(ProtoUInt64.self, ProtoUInt64.self, into: &self.mapUint64Uint64)
        case 55: try decoder.readMap(ProtoSInt32.self, ProtoSInt32.self, into: &self.mapSint32Sint32)
        case 56: try decoder.readMap(ProtoSInt64.self, ProtoSInt64.self, into: &self.mapSint64Sint64)
        case 57: try decoder.readMap(ProtoFixed32.self, ProtoFixed32.self, into: &self.mapFixed32Fixed32)
        case 58: try decoder.readMap(ProtoFixed64.self, ProtoFixed64.self, into: &self.mapFixed64Fixed64)
        case 59: try decoder.readMap(ProtoSFixed32.self, ProtoSFixed32.self, into: &self.mapSfixed32Sfixed32)
        case 60: try decoder.readMap(ProtoSFixed64.self, ProtoSFixed64.self, into: &self.mapSfixed64Sfixed64)
        case 61: try decoder.readMap(ProtoBool.self, ProtoBool.self, into: &self.mapBoolBool)
        case 62: try decoder.readMap(ProtoString.self, ProtoString.self, into: &self.mapStringString)
        case 63: try decoder.readMap(ProtoString.self, MessageCodec<FormatNested>.self, into: &self.mapStringNestedMessage)
        case 64: try decoder.readMap(ProtoInt32.self, EnumCodec<FormatColor>.self, into: &self.mapInt32Color)
        case 65: try decoder.readMap(ProtoString.self, ProtoBytes.self, into: &self.mapStringBytes)
        case 66: try decoder.readMap(ProtoInt32.self, ProtoDouble.self, into: &self.mapInt32Double)
        case 67: try decoder.readMap(ProtoInt32.self, ProtoFloat.self, into: &self.mapInt32Float)
        case 71: self.oneofField = .oneofUint32(try decoder.read(ProtoUInt32.self))
        case 72: self.oneofField = .oneofNestedMessage(try decoder.read(MessageCodec<FormatNested>.self))
        case 73: self.oneofField = .oneofString(try decoder.read(ProtoString.self))
        case 74: self.oneofField = .oneofBytes(try decoder.read(ProtoBytes.self))
        case 75: self.oneofField = .oneofBool(try decoder.read(ProtoBool.self))
        case 76: self.oneofField = .oneofUint64(try decoder.read(ProtoUInt64.self))
        case 77: self.oneofField = .oneofDouble(try decoder.read(ProtoDouble.self))
        case 78: self.oneofField = .oneofColor(try decoder.read(EnumCodec<FormatColor>.self))
        case 79: self.oneofField = .oneofNullValue(try decoder.read(EnumCodec<Google_Protobuf_NullValue>.self))
        case 80: self.oneofField = .oneofRecursive(try decoder.read(MessageCodec<FormatAllTypes>.self))
        case 81: self.recursive = try decoder.read(MessageCodec<FormatAllTypes>.self)
        case 91: self.optionalTimestamp = try decoder.read(MessageCodec<Google_Protobuf_Timestamp>.self)
        case 92: self.optionalDuration = try decoder.read(MessageCodec<Google_Protobuf_Duration>.self)
        case 93: self.optionalFieldMask = try decoder.read(MessageCodec<Google_Protobuf_FieldMask>.self)
        case 94: self.optionalStruct = try decoder.read(MessageCodec<Google_Protobuf_Struct>.self)
        case 95: self.optionalAny = try decoder.read(MessageCodec<Google_Protobuf_Any>.self)
        case 96: self.optionalValue = try decoder.read(MessageCodec<Google_Protobuf_Value>.self)
        case 97: self.optionalListValue = try decoder.read(MessageCodec<Google_Protobuf_ListValue>.self)
        case 98: self.optionalInt32Wrapper = try decoder.read(MessageCodec<Google_Protobuf_Int32Value>.self)
        case 99: self.optionalStringWrapper = try decoder.read(MessageCodec<Google_Protobuf_StringValue>.self)
        case 100: self.optionalBytesWrapper = try decoder.read(MessageCodec<Google_Protobuf_BytesValue>.self)
        case 101: self.optionalBoolWrapper = try decoder.read(MessageCodec<Google_Protobuf_BoolValue>.self)
        case 102: self.optionalDoubleWrapper = try decoder.read(MessageCodec<Google_Protobuf_DoubleValue>.self)
        case 103: self.optionalUint64Wrapper = try decoder.read(MessageCodec<Google_Protobuf_UInt64Value>.self)
        case 104: self.optionalNullValue = try decoder.read(EnumCodec<Google_Protobuf_NullValue>.self)
        case 105: self.optionalEmpty = try decoder.read(MessageCodec<Google_Protobuf_Empty>.self)
        case 106: try decoder.readRepeated(MessageCodec<Google_Protobuf_Value>.self, into: &self.repeatedValue)
        case 107: try decoder.readRepeated(MessageCodec<Google_Protobuf_Timestamp>.self, into: &self.repeatedTimestamp)
        case 108: self.optionalInt64Wrapper = try decoder.read(MessageCodec<Google_Protobuf_Int64Value>.self)
        case 109: self.optionalFloatWrapper = try decoder.read(MessageCodec<Google_Protobuf_FloatValue>.self)
        case 110: self.optionalUint32Wrapper = try decoder.read(MessageCodec<Google_Protobuf_UInt32Value>.self)
        case 111: self.customJson = try decoder.read(ProtoInt32.self)
        case 121: self.conventionField1 = try decoder.read(ProtoInt32.self)
        case 122: self.conventionField2 = try decoder.read(ProtoInt32.self)
        case 123: self.conventionField3 = try decoder.read(ProtoInt32.self)
        case 124: self.conventionField4 = try decoder.read(ProtoInt32.self)
        case 125: self.conventionField5 = try decoder.read(ProtoInt32.self)
        case 126: self.conventionField6 = try decoder.read(ProtoInt32.self)
        case 127: self.conventionField7 = try decoder.read(ProtoInt32.self)
        case 128: self.conventionField8 = try decoder.read(ProtoInt32.self)
        case 129: self.conventionField9 = try decoder.read(ProtoInt32.self)
        case 130: self.conventionField10 = try decoder.read(ProtoInt32.self)
        case 131: self.conventionField11 = try decoder.read(ProtoInt32.self)
        case 132: self.conventionField12 = try decoder.read(ProtoInt32.self)
        case 133: self.conventionField13 = try decoder.read(ProtoInt32.self)
        case 134: self.conventionField14 = try decoder.read(ProtoInt32.self)
        case 135: self.conventionField15 = try decoder.read(ProtoInt32.self)
        case 136: self.conventionField16 = try decoder.read(ProtoInt32.self)
        case 137: self.conventionField17 = try decoder.read(ProtoInt32.self)
        case 138: self.conventionField18 = try decoder.read(ProtoInt32.self)
        default: break
        }
    }
}
