// Hand-written messages in the shape the code generator emits, used by every
// test in this target. Field numbers are listed next to each property.

import Foundation
import ProtoWire

// MARK: Enums

/// An open (proto3) enum: every number decodes, undeclared ones land in `unrecognized`.
enum Color: OpenProtoEnum {
    case unspecified  // 0
    case red  // 1
    case green  // 2
    case infrared  // -5: negative, so it is written as ten bytes
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

    static let allCases: [Color] = [.unspecified, .red, .green, .infrared]
}

/// A closed (proto2) enum: undeclared numbers go to the message's unknown fields.
enum Size: Int32, ProtoEnum {
    case small = 1
    case medium = 2
    case large = 3
    case huge = 1000  // two-byte varint
    case tiny = -1  // ten-byte varint

    init() { self = .small }
}

// MARK: TestNested

/// A small message used as a singular sub-message and as a map value.
struct TestNested: ProtoMessage {
    var a: Int32 = 0  // 1, int32
    var b: String = ""  // 2, string
    var c: [Int32] = []  // 3, repeated sint32, packed
    var unknownFields = UnknownFields()

    static var protoMessageName: String { "test.TestNested" }

    init() {}

    func encodedSize() -> Int {
        var size = self.unknownFields.count
        size &+= WireSize.implicit(ProtoInt32.self, 1, self.a)
        size &+= WireSize.implicit(ProtoString.self, 2, self.b)
        size &+= WireSize.packed(ProtoSInt32.self, 3, self.c)
        return size
    }

    func encode(to writer: inout WireWriter) {
        writer.implicit(ProtoInt32.self, 1, self.a)
        writer.implicit(ProtoString.self, 2, self.b)
        writer.packed(ProtoSInt32.self, 3, self.c)
        writer.unknown(self.unknownFields)
    }

    mutating func merge(from reader: inout WireReader) throws(WireDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: self.a = try reader.read(ProtoInt32.self, tag)
            case 2: self.b = try reader.read(ProtoString.self, tag)
            case 3: try reader.readRepeated(ProtoSInt32.self, tag, into: &self.c)
            default: try reader.skip(tag, into: &self.unknownFields)
            }
        }
    }
}

// MARK: TestAllKinds

/// One field of (nearly) every kind the generator emits.
struct TestAllKinds: ProtoMessage {
    static let farFieldNumber = 536_870_911

    var int32: Int32 = 0  // 1, int32
    var sint64: Int64 = 0  // 2, sint64
    var fixed32: UInt32 = 0  // 3, fixed32
    var double: Double = 0  // 4, double
    var float: Float = 0  // 5, float
    var bool: Bool = false  // 6, bool
    var string: String = ""  // 7, string
    var bytes: Data = Data()  // 8, bytes
    var optionalString: String? = nil  // 9, optional string
    var color: Color = .unspecified  // 10, open enum
    var size: Size? = nil  // 11, optional closed enum
    var int64s: [Int64] = []  // 12, repeated int64, packed
    var strings: [String] = []  // 13, repeated string
    var stringToInt64: [String: Int64] = [:]  // 14, map<string, int64>
    var int32ToNested: [Int32: TestNested] = [:]  // 15, map<int32, TestNested>
    var nested: TestNested? = nil  // 16, TestNested
    var sizes: [Size] = []  // 17, repeated closed enum, packed
    var fixed32s: [UInt32] = []  // 18, repeated fixed32, packed
    var sfixed64s: [Int64] = []  // 19, repeated sfixed64, packed
    var nestedList: [TestNested] = []  // 20, repeated TestNested
    var far: UInt64 = 0  // 536_870_911, uint64: the largest field number, a five-byte tag
    var unknownFields = UnknownFields()

    static var protoMessageName: String { "test.TestAllKinds" }

    init() {}

    func encodedSize() -> Int {
        var size = self.unknownFields.count
        size &+= WireSize.implicit(ProtoInt32.self, 1, self.int32)
        size &+= WireSize.implicit(ProtoSInt64.self, 2, self.sint64)
        size &+= WireSize.implicit(ProtoFixed32.self, 3, self.fixed32)
        size &+= WireSize.implicit(ProtoDouble.self, 4, self.double)
        size &+= WireSize.implicit(ProtoFloat.self, 5, self.float)
        size &+= WireSize.implicit(ProtoBool.self, 6, self.bool)
        size &+= WireSize.implicit(ProtoString.self, 7, self.string)
        size &+= WireSize.implicit(ProtoBytes.self, 8, self.bytes)
        size &+= WireSize.optional(ProtoString.self, 9, self.optionalString)
        size &+= WireSize.implicit(EnumCodec<Color>.self, 10, self.color)
        size &+= WireSize.optional(ClosedEnumCodec<Size>.self, 11, self.size)
        size &+= WireSize.packed(ProtoInt64.self, 12, self.int64s)
        size &+= WireSize.repeated(ProtoString.self, 13, self.strings)
        size &+= WireSize.map(ProtoString.self, ProtoInt64.self, 14, self.stringToInt64)
        size &+= WireSize.map(ProtoInt32.self, MessageCodec<TestNested>.self, 15, self.int32ToNested)
        size &+= WireSize.optional(MessageCodec<TestNested>.self, 16, self.nested)
        size &+= WireSize.packed(ClosedEnumCodec<Size>.self, 17, self.sizes)
        size &+= WireSize.packed(ProtoFixed32.self, 18, self.fixed32s)
        size &+= WireSize.packed(ProtoSFixed64.self, 19, self.sfixed64s)
        size &+= WireSize.repeated(MessageCodec<TestNested>.self, 20, self.nestedList)
        size &+= WireSize.implicit(ProtoUInt64.self, Self.farFieldNumber, self.far)
        return size
    }

    func encode(to writer: inout WireWriter) {
        writer.implicit(ProtoInt32.self, 1, self.int32)
        writer.implicit(ProtoSInt64.self, 2, self.sint64)
        writer.implicit(ProtoFixed32.self, 3, self.fixed32)
        writer.implicit(ProtoDouble.self, 4, self.double)
        writer.implicit(ProtoFloat.self, 5, self.float)
        writer.implicit(ProtoBool.self, 6, self.bool)
        writer.implicit(ProtoString.self, 7, self.string)
        writer.implicit(ProtoBytes.self, 8, self.bytes)
        writer.optional(ProtoString.self, 9, self.optionalString)
        writer.implicit(EnumCodec<Color>.self, 10, self.color)
        writer.optional(ClosedEnumCodec<Size>.self, 11, self.size)
        writer.packed(ProtoInt64.self, 12, self.int64s)
        writer.repeated(ProtoString.self, 13, self.strings)
        writer.map(ProtoString.self, ProtoInt64.self, 14, self.stringToInt64)
        writer.map(ProtoInt32.self, MessageCodec<TestNested>.self, 15, self.int32ToNested)
        writer.optional(MessageCodec<TestNested>.self, 16, self.nested)
        writer.packed(ClosedEnumCodec<Size>.self, 17, self.sizes)
        writer.packed(ProtoFixed32.self, 18, self.fixed32s)
        writer.packed(ProtoSFixed64.self, 19, self.sfixed64s)
        writer.repeated(MessageCodec<TestNested>.self, 20, self.nestedList)
        writer.implicit(ProtoUInt64.self, Self.farFieldNumber, self.far)
        writer.unknown(self.unknownFields)
    }

    mutating func merge(from reader: inout WireReader) throws(WireDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: self.int32 = try reader.read(ProtoInt32.self, tag)
            case 2: self.sint64 = try reader.read(ProtoSInt64.self, tag)
            case 3: self.fixed32 = try reader.read(ProtoFixed32.self, tag)
            case 4: self.double = try reader.read(ProtoDouble.self, tag)
            case 5: self.float = try reader.read(ProtoFloat.self, tag)
            case 6: self.bool = try reader.read(ProtoBool.self, tag)
            case 7: self.string = try reader.read(ProtoString.self, tag)
            case 8: self.bytes = try reader.read(ProtoBytes.self, tag)
            case 9: self.optionalString = try reader.read(ProtoString.self, tag)
            case 10: self.color = try reader.read(EnumCodec<Color>.self, tag)
            case 11:
                if let value = try reader.readClosedEnum(Size.self, tag, unknown: &self.unknownFields) {
                    self.size = value
                }
            case 12: try reader.readRepeated(ProtoInt64.self, tag, into: &self.int64s)
            case 13: try reader.readRepeated(ProtoString.self, tag, into: &self.strings)
            case 14: try reader.readMapEntry(ProtoString.self, ProtoInt64.self, tag, into: &self.stringToInt64)
            case 15:
                try reader.readMapEntry(ProtoInt32.self, MessageCodec<TestNested>.self, tag, into: &self.int32ToNested)
            case 16: try reader.readMessage(tag, into: &self.nested)
            case 17: try reader.readRepeatedClosedEnum(Size.self, tag, into: &self.sizes, unknown: &self.unknownFields)
            case 18: try reader.readRepeated(ProtoFixed32.self, tag, into: &self.fixed32s)
            case 19: try reader.readRepeated(ProtoSFixed64.self, tag, into: &self.sfixed64s)
            case 20: try reader.readRepeated(MessageCodec<TestNested>.self, tag, into: &self.nestedList)
            case Self.farFieldNumber: self.far = try reader.read(ProtoUInt64.self, tag)
            default: try reader.skip(tag, into: &self.unknownFields)
            }
        }
    }
}

extension TestAllKinds {
    /// True when a floating-point field holds a NaN, so `==` cannot be used to compare.
    var containsNaN: Bool { double.isNaN || float.isNaN }
}

// MARK: TestRecursive

/// A message that contains itself, boxed as the generator boxes recursive fields, for the
/// nesting-depth tests.
struct TestRecursive: ProtoMessage {
    var child: TestRecursive? {  // 1, TestRecursive
        get { _child?.value }
        set { _child = newValue.map(ProtoBox.init) }
    }
    private var _child: ProtoBox<TestRecursive>?
    var value: Int32 = 0  // 2, int32
    var unknownFields = UnknownFields()

    static var protoMessageName: String { "test.TestRecursive" }

    init() {}

    func encodedSize() -> Int {
        var size = self.unknownFields.count
        size &+= WireSize.optional(MessageCodec<TestRecursive>.self, 1, self.child)
        size &+= WireSize.implicit(ProtoInt32.self, 2, self.value)
        return size
    }

    func encode(to writer: inout WireWriter) {
        writer.optional(MessageCodec<TestRecursive>.self, 1, self.child)
        writer.implicit(ProtoInt32.self, 2, self.value)
        writer.unknown(self.unknownFields)
    }

    mutating func merge(from reader: inout WireReader) throws(WireDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: try reader.readMessage(tag, into: &self.child)
            case 2: self.value = try reader.read(ProtoInt32.self, tag)
            default: try reader.skip(tag, into: &self.unknownFields)
            }
        }
    }

    /// A chain `levels` messages deep below this one, the innermost holding `value`.
    static func chain(levels: Int, value: Int32 = 7) -> TestRecursive {
        var m = TestRecursive()
        m.value = value
        for _ in 0..<levels {
            var parent = TestRecursive()
            parent.child = m
            m = parent
        }
        return m
    }

    /// How many messages are nested below this one.
    var depth: Int {
        var n = 0
        var m = self
        while let c = m.child {
            n += 1
            m = c
        }
        return n
    }
}
