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
        if self.a != 0 { size &+= 1 &+ WireSize.int32(self.a) }
        if !self.b.isEmpty { size &+= 1 &+ WireSize.string(self.b) }
        size &+= WireSize.packedSInt32(3, self.c)
        return size
    }

    func encode(to writer: inout WireWriter) {
        if self.a != 0 { writer.writeInt32(1, self.a) }
        if !self.b.isEmpty { writer.writeString(2, self.b) }
        writer.writePackedSInt32(3, self.c)
        writer.unknown(self.unknownFields)
    }

    mutating func merge(from reader: inout WireReader) throws(WireDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.rawValue {
            case 8: self.a = try reader.readInt32()
            case 18: self.b = try reader.readString()
            case 24: self.c.append(try reader.readSInt32())
            case 26: try reader.readPackedSInt32(into: &self.c)
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
        if self.int32 != 0 { size &+= 1 &+ WireSize.int32(self.int32) }
        if self.sint64 != 0 { size &+= 1 &+ WireSize.sint64(self.sint64) }
        if self.fixed32 != 0 { size &+= 5 }
        if self.double.bitPattern != 0 { size &+= 9 }
        if self.float.bitPattern != 0 { size &+= 5 }
        if self.bool { size &+= 2 }
        if !self.string.isEmpty { size &+= 1 &+ WireSize.string(self.string) }
        if !self.bytes.isEmpty { size &+= 1 &+ WireSize.bytes(self.bytes) }
        if let v = self.optionalString { size &+= 1 &+ WireSize.string(v) }
        if self.color.rawValue != 0 { size &+= 1 &+ WireSize.int32(self.color.rawValue) }
        if let v = self.size { size &+= 1 &+ WireSize.int32(v.rawValue) }
        size &+= WireSize.packedInt64(12, self.int64s)
        for v in self.strings { size &+= 1 &+ WireSize.string(v) }
        size &+= WireSize.map(ProtoString.self, ProtoInt64.self, 14, self.stringToInt64)
        size &+= WireSize.map(ProtoInt32.self, MessageCodec<TestNested>.self, 15, self.int32ToNested)
        if let v = self.nested { size &+= 2 &+ WireSize.lengthDelimited(v.encodedSize()) }
        size &+= WireSize.packedEnum(17, self.sizes)
        size &+= WireSize.packedFixed32(18, self.fixed32s)
        size &+= WireSize.packedSFixed64(19, self.sfixed64s)
        for v in self.nestedList { size &+= 2 &+ WireSize.lengthDelimited(v.encodedSize()) }
        if self.far != 0 { size &+= 5 &+ WireSize.uint64(self.far) }
        return size
    }

    func encode(to writer: inout WireWriter) {
        if self.int32 != 0 { writer.writeInt32(1, self.int32) }
        if self.sint64 != 0 { writer.writeSInt64(2, self.sint64) }
        if self.fixed32 != 0 { writer.writeFixed32(3, self.fixed32) }
        if self.double.bitPattern != 0 { writer.writeDouble(4, self.double) }
        if self.float.bitPattern != 0 { writer.writeFloat(5, self.float) }
        if self.bool { writer.writeBool(6, self.bool) }
        if !self.string.isEmpty { writer.writeString(7, self.string) }
        if !self.bytes.isEmpty { writer.writeBytes(8, self.bytes) }
        if let v = self.optionalString { writer.writeString(9, v) }
        if self.color.rawValue != 0 { writer.writeEnum(10, self.color.rawValue) }
        if let v = self.size { writer.writeEnum(11, v.rawValue) }
        writer.writePackedInt64(12, self.int64s)
        for v in self.strings { writer.writeString(13, v) }
        writer.map(ProtoString.self, ProtoInt64.self, 14, self.stringToInt64)
        writer.map(ProtoInt32.self, MessageCodec<TestNested>.self, 15, self.int32ToNested)
        if let v = self.nested { writer.writeMessage(16, v) }
        writer.writePackedEnum(17, self.sizes)
        writer.writePackedFixed32(18, self.fixed32s)
        writer.writePackedSFixed64(19, self.sfixed64s)
        for v in self.nestedList { writer.writeMessage(20, v) }
        if self.far != 0 { writer.writeUInt64(Self.farFieldNumber, self.far) }
        writer.unknown(self.unknownFields)
    }

    mutating func merge(from reader: inout WireReader) throws(WireDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.rawValue {
            case 8: self.int32 = try reader.readInt32()
            case 16: self.sint64 = try reader.readSInt64()
            case 29: self.fixed32 = try reader.readFixed32()
            case 33: self.double = try reader.readDouble()
            case 45: self.float = try reader.readFloat()
            case 48: self.bool = try reader.readBool()
            case 58: self.string = try reader.readString()
            case 66: self.bytes = try reader.readBytes()
            case 74: self.optionalString = try reader.readString()
            case 80: self.color = Color(rawValue: try reader.readInt32())
            case 88: if let v = Size(rawValue: try reader.readInt32()) { self.size = v } else { reader.preserveField(in: &self.unknownFields) }
            case 96: self.int64s.append(try reader.readInt64())
            case 98: try reader.readPackedInt64(into: &self.int64s)
            case 106: self.strings.append(try reader.readString())
            case 114: try reader.readMapEntry(ProtoString.self, ProtoInt64.self, into: &self.stringToInt64)
            case 122: try reader.readMapEntry(ProtoInt32.self, MessageCodec<TestNested>.self, into: &self.int32ToNested)
            case 130: try reader.readMessage(into: &self.nested)
            case 136: if let v = Size(rawValue: try reader.readInt32()) { self.sizes.append(v) } else { reader.preserveField(in: &self.unknownFields) }
            case 138: try reader.readPackedClosedEnum(into: &self.sizes, unknown: &self.unknownFields)
            case 149: self.fixed32s.append(try reader.readFixed32())
            case 146: try reader.readPackedFixed32(into: &self.fixed32s)
            case 153: self.sfixed64s.append(try reader.readSFixed64())
            case 154: try reader.readPackedSFixed64(into: &self.sfixed64s)
            case 162: self.nestedList.append(try reader.readMessage())
            case UInt32(Self.farFieldNumber) << 3: self.far = try reader.readUInt64()
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
        if let v = self.child { size &+= 1 &+ WireSize.lengthDelimited(v.encodedSize()) }
        if self.value != 0 { size &+= 1 &+ WireSize.int32(self.value) }
        return size
    }

    func encode(to writer: inout WireWriter) {
        if let v = self.child { writer.writeMessage(1, v) }
        if self.value != 0 { writer.writeInt32(2, self.value) }
        writer.unknown(self.unknownFields)
    }

    mutating func merge(from reader: inout WireReader) throws(WireDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.rawValue {
            case 10: try reader.readMessage(into: &self.child)
            case 16: self.value = try reader.readInt32()
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
