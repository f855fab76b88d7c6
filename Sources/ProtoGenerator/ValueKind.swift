// What one value of a field's type is, as the templates need it: its Swift type, and the
// names of the runtime calls that size, write and read it.

/// How generated code tells an implicit-presence value from its default.
enum DefaultTest: Sendable, Hashable {
    /// `x != 0` (integers, and enums by their number).
    case nonZero
    /// `x.bitPattern != 0`: only +0.0 is the default; -0.0 and NaN are written.
    case bits
    /// `x` (bool).
    case isTrue
    /// `!x.isEmpty` (string, bytes).
    case nonEmpty
}

struct ValueKind: Sendable, Hashable {
    /// The Swift type, such as `Int32` or `Fixtures_Nested_Outer.Middle`.
    var swiftType: String
    /// The default value as Swift spells it: `0`, `""`, `.unspecified`.
    var defaultValue: String
    /// The suffix of the runtime's field calls: `writeInt32`, `writePackedInt32`, `WireSize.packedInt32`.
    var kind: String
    /// The suffix of the runtime's read call: `readInt32`, `readUncheckedString`.
    var readKind: String
    /// The `WireSize` function sizing a value after its tag; empty for fixed-size kinds.
    var sizeFunction: String
    /// Appended to a value before sizing it (`.rawValue`, `.encodedSize()`).
    var sizeSuffix = ""
    /// Appended to a value before writing it (`.rawValue` for enums).
    var writeSuffix = ""
    /// Bytes after the tag, for the kinds whose values all take the same room.
    var fixedSize: Int?
    /// The wire type of one value: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
    var wireType: UInt32
    var defaultTest: DefaultTest
    /// The `FieldCodec` for this value as a map key or value, such as `ProtoWire.ProtoString`.
    var codec: String
    var enumType: EnumType?
    var isMessage = false
    /// Varint and fixed-width kinds, which repeated fields may pack.
    var packable: Bool { wireType != 2 && wireType != 3 }

    static func scalar(
        _ swiftType: String, _ defaultValue: String, kind: String, size: String, fixed: Int? = nil,
        wireType: UInt32, test: DefaultTest = .nonZero
    ) -> ValueKind {
        ValueKind(
            swiftType: swiftType, defaultValue: defaultValue, kind: kind, readKind: kind, sizeFunction: size,
            fixedSize: fixed, wireType: wireType, defaultTest: test, codec: "ProtoWire.Proto" + kind
        )
    }

    /// The kind of a scalar field type; nil for messages, enums and groups.
    static func scalar(_ type: FieldDescriptor.FieldType, utf8: UTF8Validation) -> ValueKind? {
        switch type {
        case .double: return .scalar("Double", "0", kind: "Double", size: "", fixed: 8, wireType: 1, test: .bits)
        case .float: return .scalar("Float", "0", kind: "Float", size: "", fixed: 4, wireType: 5, test: .bits)
        case .int64: return .scalar("Int64", "0", kind: "Int64", size: "int64", wireType: 0)
        case .uint64: return .scalar("UInt64", "0", kind: "UInt64", size: "uint64", wireType: 0)
        case .int32: return .scalar("Int32", "0", kind: "Int32", size: "int32", wireType: 0)
        case .fixed64: return .scalar("UInt64", "0", kind: "Fixed64", size: "", fixed: 8, wireType: 1)
        case .fixed32: return .scalar("UInt32", "0", kind: "Fixed32", size: "", fixed: 4, wireType: 5)
        case .bool: return .scalar("Bool", "false", kind: "Bool", size: "", fixed: 1, wireType: 0, test: .isTrue)
        case .uint32: return .scalar("UInt32", "0", kind: "UInt32", size: "uint32", wireType: 0)
        case .sfixed32: return .scalar("Int32", "0", kind: "SFixed32", size: "", fixed: 4, wireType: 5)
        case .sfixed64: return .scalar("Int64", "0", kind: "SFixed64", size: "", fixed: 8, wireType: 1)
        case .sint32: return .scalar("Int32", "0", kind: "SInt32", size: "sint32", wireType: 0)
        case .sint64: return .scalar("Int64", "0", kind: "SInt64", size: "sint64", wireType: 0)
        case .string:
            var v = ValueKind.scalar("String", "\"\"", kind: "String", size: "string", wireType: 2, test: .nonEmpty)
            if utf8 == .unverified {
                v.readKind = "UncheckedString"
                v.codec = "ProtoWire.ProtoUncheckedString"
            }
            return v
        case .bytes: return .scalar("Data", "Data()", kind: "Bytes", size: "bytes", wireType: 2, test: .nonEmpty)
        case .message, .enum, .group: return nil
        }
    }

    static func enumValue(_ symbol: SymbolTable.EnumSymbol) -> ValueKind {
        let open = symbol.enumType == .open
        return ValueKind(
            swiftType: symbol.swiftName, defaultValue: "." + symbol.defaultCase, kind: "Enum", readKind: "Int32",
            sizeFunction: "int32", sizeSuffix: ".rawValue", writeSuffix: ".rawValue", wireType: 0, defaultTest: .nonZero,
            codec: (open ? "ProtoWire.EnumCodec<" : "ProtoWire.ClosedEnumCodec<") + symbol.swiftName + ">",
            enumType: symbol.enumType
        )
    }

    static func message(_ symbol: SymbolTable.MessageSymbol) -> ValueKind {
        ValueKind(
            swiftType: symbol.swiftName, defaultValue: symbol.swiftName + "()", kind: "Message", readKind: "Message",
            sizeFunction: "lengthDelimited", sizeSuffix: ".encodedSize()", wireType: 2, defaultTest: .nonEmpty,
            codec: "ProtoWire.MessageCodec<" + symbol.swiftName + ">", isMessage: true
        )
    }

    /// A message written as a group: between start-group and end-group tags, with no length.
    static func group(_ symbol: SymbolTable.MessageSymbol) -> ValueKind {
        var v = message(symbol)
        v.kind = "Group"
        v.readKind = "Group"
        v.sizeFunction = "group"
        v.wireType = 3
        return v
    }

    /// Keys shared by every context that shows this value: sizing, writing and reading it.
    func context(tagSize: Int) -> TemplateContext {
        var c = TemplateContext(minimumCapacity: Self.fieldContextCapacity)
        for (key, value) in sharedKeys(tagSize: tagSize) { c[key] = value }
        return c
    }

    /// Room for the keys a field's context adds to these (`FieldPlan.context`), so that it
    /// grows no more once made.
    static let fieldContextCapacity = 64

    private func sharedKeys(tagSize: Int) -> KeyValuePairs<String, TemplateValue> {
        [
            "valueType": .text(swiftType),
            "kind": .text(kind),
            "readKind": .text(readKind),
            "sizeFunction": .text(sizeFunction),
            "sizeSuffix": .text(sizeSuffix),
            "writeSuffix": .text(writeSuffix),
            "fixed": .flag(fixedSize != nil),
            "fieldSize": .text(String(tagSize + (fixedSize ?? 0))),
            // A group's start and end tags are the same size.
            "tagSize": .text(String(wireType == 3 ? 2 * tagSize : tagSize)),
            "message": .flag(isMessage),
            "openEnum": .flag(enumType == .open),
            "closedEnum": .flag(enumType == .closed),
            "plain": .flag(!isMessage && enumType != .closed),
            "testNonZero": .flag(defaultTest == .nonZero),
            "testBits": .flag(defaultTest == .bits),
            "testTrue": .flag(defaultTest == .isTrue),
            "testNonEmpty": .flag(defaultTest == .nonEmpty),
        ]
    }
}

/// The size of a field's tag in bytes.
func tagSize(_ number: Int) -> Int {
    let bits = UInt64(number) << 3
    return bits < 1 << 7 ? 1 : bits < 1 << 14 ? 2 : bits < 1 << 21 ? 3 : bits < 1 << 28 ? 4 : 5
}

/// A tag as generated `merge(from:)` switches on it: `number << 3 | wireType`.
func rawTag(_ number: Int, _ wireType: UInt32) -> String {
    String(UInt32(number) << 3 | wireType)
}
