import Foundation
import ProtoWire
import Testing

/// Writes `value` as field `field` with `C`, reads it back and returns what was read.
private func roundTrip<C: FieldCodec>(
    _: C.Type, _ value: C.Value, field: Int = 1, sourceLocation: SourceLocation = #_sourceLocation
) throws -> C.Value {
    let bytes = encodeField(C.self, field, value, sourceLocation: sourceLocation)
    #expect(bytes.count == WireSize.tag(field) + C.size(of: value), sourceLocation: sourceLocation)
    let (tag, decoded, atEnd) = try decodeField(C.self, bytes)
    #expect(tag.fieldNumber == field, sourceLocation: sourceLocation)
    #expect(tag.wireType == C.wireType, sourceLocation: sourceLocation)
    #expect(atEnd, "the reader did not consume the whole field", sourceLocation: sourceLocation)
    return decoded
}

private func expectRoundTrip<C: FieldCodec>(
    _: C.Type, _ values: [C.Value], sourceLocation: SourceLocation = #_sourceLocation
) throws {
    for v in values {
        for field in [1, 15, 16, 2047, 2048, maximumFieldNumber] {
            let back = try roundTrip(C.self, v, field: field, sourceLocation: sourceLocation)
            #expect(back == v, "field \(field)", sourceLocation: sourceLocation)
        }
    }
}

@Suite("Codecs")
struct CodecTests {
    @Test("integer codecs round-trip their extremes")
    func integerExtremes() throws {
        let i32: [Int32] = [0, 1, -1, 127, 128, -128, .max, .min, .max - 1, .min + 1]
        let i64: [Int64] = [0, 1, -1, .max, .min, .max - 1, .min + 1, Int64(Int32.max) + 1, Int64(Int32.min) - 1]
        let u32: [UInt32] = [0, 1, 127, 128, .max, .max - 1, 1 << 31]
        let u64: [UInt64] = [0, 1, 127, 128, .max, .max - 1, 1 << 63, UInt64(UInt32.max) + 1]
        try expectRoundTrip(ProtoInt32.self, i32)
        try expectRoundTrip(ProtoSInt32.self, i32)
        try expectRoundTrip(ProtoSFixed32.self, i32)
        try expectRoundTrip(ProtoInt64.self, i64)
        try expectRoundTrip(ProtoSInt64.self, i64)
        try expectRoundTrip(ProtoSFixed64.self, i64)
        try expectRoundTrip(ProtoUInt32.self, u32)
        try expectRoundTrip(ProtoFixed32.self, u32)
        try expectRoundTrip(ProtoUInt64.self, u64)
        try expectRoundTrip(ProtoFixed64.self, u64)
        try expectRoundTrip(ProtoBool.self, [true, false])
    }

    @Test("sizes of the extremes are the known ones")
    func extremeSizes() {
        #expect(ProtoInt64.size(of: .min) == 10)
        #expect(ProtoInt64.size(of: -1) == 10)
        #expect(ProtoSInt64.size(of: -1) == 1)
        #expect(ProtoSInt64.size(of: .min) == 10)
        #expect(ProtoSInt64.size(of: .max) == 10)
        #expect(ProtoSInt32.size(of: .min) == 5)
        #expect(ProtoSInt32.size(of: -64) == 1)
        #expect(ProtoSInt32.size(of: 64) == 2)
        #expect(ProtoUInt32.size(of: .max) == 5)
        #expect(ProtoUInt64.size(of: .max) == 10)
        #expect(ProtoFixed32.size(of: 0) == 4)
        #expect(ProtoSFixed64.size(of: -1) == 8)
        #expect(ProtoBool.size(of: true) == 1)
        #expect(ProtoString.size(of: "") == 1)
        #expect(ProtoString.size(of: String(repeating: "x", count: 127)) == 128)
        #expect(ProtoString.size(of: String(repeating: "x", count: 128)) == 130)
        #expect(ProtoString.size(of: "é") == 3)
        #expect(ProtoBytes.size(of: Data(count: 300)) == 302)
        #expect(WireSize.tag(1) == 1)
        #expect(WireSize.tag(15) == 1)
        #expect(WireSize.tag(16) == 2)
        #expect(WireSize.tag(2047) == 2)
        #expect(WireSize.tag(2048) == 3)
        #expect(WireSize.tag(maximumFieldNumber) == 5)
    }

    @Test("a bool decodes any non-zero varint as true")
    func boolFromWideVarints() throws {
        for (bytes, expected) in [("08 00", false), ("08 01", true), ("08 02", true), ("08 80 01", true),
                                  ("08 80 80 80 80 80 80 80 80 80 00", false), ("08 ff ff ff ff ff ff ff ff ff 01", true)] {
            let (_, v, _) = try decodeField(ProtoBool.self, hex(bytes))
            #expect(v == expected, "\(bytes)")
        }
    }

    @Test("strings and bytes round-trip, including empty, long and every UTF-8 width")
    func lengthDelimited() throws {
        let strings = ["", "a", "testing", "é", "中文", "😀", "\u{0}", "\u{10FFFF}", "\u{FFFF}", "e\u{301}",
                       String(repeating: "x", count: 127), String(repeating: "y", count: 128),
                       String(repeating: "😀", count: 5000)]
        try expectRoundTrip(ProtoString.self, strings)
        for s in strings {
            // The exact UTF-8 is kept, not a normalised form.
            let back = try roundTrip(ProtoString.self, s)
            #expect(Array(back.utf8) == Array(s.utf8))
        }
        let blobs = [Data(), Data([0]), Data([0xFF, 0xFE, 0x80]), Data((0...255).map { UInt8($0) }), Data(count: 70_000)]
        try expectRoundTrip(ProtoBytes.self, blobs)
    }

    @Test("bytes that are not UTF-8 are fine in a bytes field")
    func bytesAreNotValidated() throws {
        let (_, v, _) = try decodeField(ProtoBytes.self, hex("0a 04 ff c0 80 ed"))
        #expect(v == Data([0xFF, 0xC0, 0x80, 0xED]))
    }

    @Test("NaN payloads survive float and double fields bit for bit")
    func nanPatterns() throws {
        let floats: [UInt32] = [0x7FC0_0000, 0xFFC0_0000, 0x7FC0_0001, 0x7F80_0001, 0xFF80_0001, 0x7FFF_FFFF, 0xFFFF_FFFF]
        for bits in floats {
            let f = Float(bitPattern: bits)
            #expect(f.isNaN)
            #expect(encodeField(ProtoFloat.self, 1, f) == [0x0D] + Raw.fixed32(bits))
            #expect(try roundTrip(ProtoFloat.self, f).bitPattern == bits, "\(String(bits, radix: 16))")
            var m = TestAllKinds()
            m.float = f
            #expect(try TestAllKinds(serializedBytes: m.serializedBytes()).float.bitPattern == bits)
        }
        let doubles: [UInt64] = [0x7FF8_0000_0000_0000, 0xFFF8_0000_0000_0000, 0x7FF0_0000_0000_0001,
                                 0xFFF0_0000_DEAD_BEEF, 0x7FFF_FFFF_FFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF]
        for bits in doubles {
            let d = Double(bitPattern: bits)
            #expect(d.isNaN)
            #expect(encodeField(ProtoDouble.self, 1, d) == [0x09] + Raw.fixed64(bits))
            #expect(try roundTrip(ProtoDouble.self, d).bitPattern == bits, "\(String(bits, radix: 16))")
            var m = TestAllKinds()
            m.double = d
            #expect(try TestAllKinds(serializedBytes: m.serializedBytes()).double.bitPattern == bits)
        }
    }

    @Test("floating-point extremes round-trip exactly")
    func floatExtremes() throws {
        let doubles: [Double] = [.infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                                 .leastNonzeroMagnitude, .leastNormalMagnitude, -0.0, 0.0, 1.0 / 3.0]
        for d in doubles {
            #expect(try roundTrip(ProtoDouble.self, d).bitPattern == d.bitPattern)
        }
        let floats: [Float] = [.infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude, -0.0, 0.0]
        for f in floats {
            #expect(try roundTrip(ProtoFloat.self, f).bitPattern == f.bitPattern)
        }
    }

    @Test("-0.0 is written for implicit fields, +0.0 is not")
    func negativeZero() throws {
        var m = TestAllKinds()
        m.double = 0.0
        m.float = 0.0
        #expect(m.serializedBytes().isEmpty)
        #expect(m.encodedSize() == 0)

        m.double = -0.0
        #expect(m.serializedBytes() == hex("21 00 00 00 00 00 00 00 80"))
        m.double = 0
        m.float = -0.0
        #expect(m.serializedBytes() == hex("2d 00 00 00 80"))

        m.double = -0.0
        let back = try TestAllKinds(serializedBytes: m.serializedBytes())
        #expect(back.double.sign == .minus && back.double == 0)
        #expect(back.float.sign == .minus && back.float == 0)

        #expect(!ProtoDouble.isDefault(-0.0))
        #expect(ProtoDouble.isDefault(0.0))
        #expect(!ProtoDouble.isDefault(.nan))
        #expect(!ProtoFloat.isDefault(-0.0))
        #expect(ProtoFloat.isDefault(0.0))
        #expect(!ProtoFloat.isDefault(.nan))
    }

    @Test("implicit fields at their default are not written; optional ones are")
    func defaultsAndPresence() throws {
        var m = TestAllKinds()
        m.int32 = 0
        m.string = ""
        m.bytes = Data()
        m.color = .unspecified
        m.bool = false
        #expect(m.serializedBytes().isEmpty)

        m.optionalString = ""
        m.size = .small  // the closed enum's default, but present
        #expect(m.serializedBytes() == hex("4a 00 58 01"))
        let back = try TestAllKinds(serializedBytes: hex("4a 00 58 01"))
        #expect(back.optionalString == "")
        #expect(back.size == .small)
        #expect(try TestAllKinds(serializedBytes: []).optionalString == nil)
    }

    @Test("open enums keep numbers they do not declare")
    func openEnum() throws {
        for raw: Int32 in [0, 1, 2, -5, 3, 99, -1, .max, .min] {
            let e = Color(rawValue: raw)
            let back = try roundTrip(EnumCodec<Color>.self, e)
            #expect(back == e)
            #expect(back.rawValue == raw)
        }
        #expect(Color(rawValue: 42) == .unrecognized(42))
        var m = TestAllKinds()
        m.color = .unrecognized(42)
        #expect(m.serializedBytes() == hex("50 2a"))
        #expect(try TestAllKinds(serializedBytes: hex("50 2a")).color == .unrecognized(42))
        #expect(try TestAllKinds(serializedBytes: hex("50 fb ff ff ff ff ff ff ff ff 01")).color == .infrared)
        #expect(EnumCodec<Color>.isDefault(.unspecified))
        #expect(!EnumCodec<Color>.isDefault(.red))
        #expect(Color() == .unspecified)
    }

    @Test("the closed-enum codec on its own maps undeclared numbers to the default")
    func closedEnumCodec() throws {
        #expect(try roundTrip(ClosedEnumCodec<Size>.self, .huge) == .huge)
        #expect(try roundTrip(ClosedEnumCodec<Size>.self, .tiny) == .tiny)
        let (_, v, _) = try decodeField(ClosedEnumCodec<Size>.self, hex("08 07"))
        #expect(v == .small)
        #expect(ClosedEnumCodec<Size>.isDefault(.small))
        #expect(!ClosedEnumCodec<Size>.isDefault(.medium))
    }

    @Test("field encodings match known bytes")
    func knownFieldBytes() {
        #expect(encodeField(ProtoInt32.self, 1, 150) == hex("08 96 01"))
        #expect(encodeField(ProtoString.self, 2, "testing") == hex("12 07 74 65 73 74 69 6e 67"))
        #expect(encodeField(ProtoSInt32.self, 1, -1) == hex("08 01"))
        #expect(encodeField(ProtoSInt64.self, 1, -2) == hex("08 03"))
        #expect(encodeField(ProtoSInt32.self, 1, .min) == hex("08 ff ff ff ff 0f"))
        #expect(encodeField(ProtoInt64.self, 1, .min) == hex("08 80 80 80 80 80 80 80 80 80 01"))
        #expect(encodeField(ProtoUInt64.self, 1, .max) == hex("08 ff ff ff ff ff ff ff ff ff 01"))
        #expect(encodeField(ProtoFixed32.self, 3, 1) == hex("1d 01 00 00 00"))
        #expect(encodeField(ProtoSFixed32.self, 3, -2) == hex("1d fe ff ff ff"))
        #expect(encodeField(ProtoFixed64.self, 4, 0x0102_0304_0506_0708) == hex("21 08 07 06 05 04 03 02 01"))
        #expect(encodeField(ProtoSFixed64.self, 4, -1) == hex("21 ff ff ff ff ff ff ff ff"))
        #expect(encodeField(ProtoDouble.self, 4, 1.0) == hex("21 00 00 00 00 00 00 f0 3f"))
        #expect(encodeField(ProtoFloat.self, 5, 1.0) == hex("2d 00 00 80 3f"))
        #expect(encodeField(ProtoBool.self, 6, true) == hex("30 01"))
        #expect(encodeField(ProtoBytes.self, 8, Data([1, 2, 3])) == hex("42 03 01 02 03"))
        #expect(encodeField(ProtoInt32.self, 16, 1) == hex("80 01 01"))
        #expect(encodeField(ProtoInt32.self, maximumFieldNumber, 1) == hex("f8 ff ff ff 0f 01"))
        #expect(encodeField(ProtoString.self, 1, "é") == hex("0a 02 c3 a9"))
    }

    @Test("the unchecked string codec replaces bad UTF-8 instead of failing")
    func uncheckedString() throws {
        let (_, bad, atEnd) = try decodeField(ProtoUncheckedString.self, hex("0a 05 61 ff 62 c0 80"))
        #expect(atEnd)
        #expect(bad.unicodeScalars.first == "a")
        #expect(bad.contains("\u{FFFD}"))
        #expect(!bad.utf8.contains(0xFF))
        // Good UTF-8 is read as is, and sizes and bytes match the checked codec.
        #expect(try roundTrip(ProtoUncheckedString.self, "héllo 😀") == "héllo 😀")
        #expect(encodeField(ProtoUncheckedString.self, 2, "testing") == encodeField(ProtoString.self, 2, "testing"))
        // What was read re-encodes to valid UTF-8 that the checked codec accepts.
        let again = encodeField(ProtoUncheckedString.self, 1, bad)
        #expect(try decodeField(ProtoString.self, again).1 == bad)
    }

    @Test("FieldTag packs the field number and wire type")
    func fieldTags() {
        let t = FieldTag(fieldNumber: 2, wireType: .lengthDelimited)
        #expect(t.rawValue == 0x12)
        #expect(t.fieldNumber == 2)
        #expect(t.wireType == .lengthDelimited)
        let far = FieldTag(fieldNumber: maximumFieldNumber, wireType: .fixed32)
        #expect(far.fieldNumber == 536_870_911)
        #expect(far.wireType == .fixed32)
        #expect(far.rawValue == 0xFFFF_FFFD)
        #expect(maximumFieldNumber == (1 << 29) - 1)
    }
}
