import Foundation
import ProtoWire
import Testing
import TestSupport

/// One bad input and the error it must produce; nil `field`/`offset` are not checked.
struct BadInput: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var code: WireDecodingError.Code
    var field: Int?
    var offset: Int?
    /// Decode as `TestNested`, where fields 4 and up (5 and 6 among them, whose group tags take
    /// one byte) are unknown, rather than as `TestAllKinds`.
    var asNested: Bool

    init(
        _ name: String, _ bytes: [UInt8], _ code: WireDecodingError.Code, field: Int? = nil, offset: Int? = nil,
        asNested: Bool = false
    ) {
        self.name = name
        self.bytes = bytes
        self.code = code
        self.field = field
        self.offset = offset
        self.asNested = asNested
    }

    var testDescription: String { "\(name) [\(hexString(Array(bytes.prefix(24))))\(bytes.count > 24 ? " …" : "")]" }
}

private let eleven = [UInt8](repeating: 0x80, count: 10) + [0x00]
private let elevenFF = [UInt8](repeating: 0xFF, count: 10) + [0x7F]

/// Hand-made inputs, grouped by what is wrong with them.
enum BadInputs {
    static let varints: [BadInput] = [
        BadInput("11-byte varint as the first tag", eleven, .malformedVarint, field: 0, offset: 0),
        BadInput("11-byte 0xff varint as a tag", elevenFF, .malformedVarint, field: 0, offset: 0),
        BadInput("11-byte varint as a tag after a field", hex("08 01") + eleven, .malformedVarint, field: 0, offset: 2),
        BadInput("11-byte int32", hex("08") + eleven, .malformedVarint, field: 1, offset: 1),
        BadInput("11-byte 0xff int32", hex("08") + elevenFF, .malformedVarint, field: 1, offset: 1),
        BadInput("11-byte sint64", hex("10") + eleven, .malformedVarint, field: 2, offset: 1),
        BadInput("11-byte bool", hex("30") + eleven, .malformedVarint, field: 6, offset: 1),
        BadInput("11-byte open enum", hex("50") + eleven, .malformedVarint, field: 10, offset: 1),
        BadInput("11-byte closed enum", hex("58") + eleven, .malformedVarint, field: 11, offset: 1),
        BadInput("11-byte unpacked int64", hex("60") + eleven, .malformedVarint, field: 12, offset: 1),
        BadInput("11-byte unpacked closed enum", hex("88 01") + eleven, .malformedVarint, field: 17, offset: 2),
        BadInput("11-byte uint64 in the last field number", hex("f8 ff ff ff 0f") + eleven, .malformedVarint, field: maximumFieldNumber, offset: 5),
        BadInput("11-byte string length", hex("3a") + eleven, .malformedVarint, field: 7, offset: 1),
        BadInput("11-byte message length", hex("82 01") + eleven, .malformedVarint, field: 16, offset: 2),
        BadInput("11-byte element in a packed int64", hex("62 0b") + eleven, .malformedVarint, field: 12, offset: 2),
        BadInput("11-byte element in a packed closed enum", hex("8a 01 0b") + eleven, .malformedVarint, field: 17, offset: 3),
        BadInput("11-byte int32 in a sub-message", hex("82 01 0c 08") + eleven, .malformedVarint, field: 1, offset: 4),
        BadInput("11-byte tag in a sub-message", hex("82 01 0b") + eleven, .malformedVarint, field: 16, offset: 3),
        BadInput("11-byte map key", hex("7a 0c 08") + eleven, .malformedVarint, field: 15, offset: 3),
        BadInput("11-byte map value", hex("72 0c 10") + eleven, .malformedVarint, field: 14, offset: 3),
        BadInput("11-byte unknown varint", hex("a0 06") + eleven, .malformedVarint, field: 100, offset: 2),
        BadInput("11-byte unknown length", hex("a2 06") + eleven, .malformedVarint, field: 100, offset: 2),
        BadInput("11-byte varint in an unknown group", hex("2b 08") + eleven + hex("2c"), .malformedVarint, field: 5, offset: 2, asNested: true),
        BadInput("11-byte tag in an unknown group", hex("2b") + eleven + hex("2c"), .malformedVarint, field: 5, offset: 1, asNested: true),
        BadInput("cut one-byte-long tag", hex("80"), .truncated, field: 0, offset: 0),
        BadInput("cut two-byte tag of field 16", hex("08 01 82"), .truncated, field: 0, offset: 2),
        BadInput("tag with no value", hex("08"), .truncated, field: 1, offset: 1),
        BadInput("cut int32", hex("08 96"), .truncated, field: 1, offset: 1),
        BadInput("cut ten-byte int32", hex("08 ff ff ff ff ff ff ff ff ff"), .truncated, field: 1, offset: 1),
        BadInput("cut fixed32", hex("1d 01 02 03"), .truncated, field: 3, offset: 1),
        BadInput("cut double", hex("21 01 02 03 04 05 06 07"), .truncated, field: 4, offset: 1),
        BadInput("cut float", hex("2d"), .truncated, field: 5, offset: 1),
        BadInput("cut string length", hex("3a 80"), .truncated, field: 7, offset: 1),
        BadInput("cut unknown fixed64", hex("a1 06 01"), .truncated, field: 100, offset: 2),
        BadInput("cut unknown fixed32", hex("a5 06 01 02 03"), .truncated, field: 100, offset: 2),
        BadInput("cut unknown varint", hex("a0 06 ff"), .truncated, field: 100, offset: 2),
        BadInput("cut closed enum", hex("58 e8"), .truncated, field: 11, offset: 1),
        BadInput("cut varint inside a sub-message, bytes follow it outside", hex("82 01 02 08 96 01"), .truncated, field: 1, offset: 4),
        BadInput("cut packed varint, bytes follow it outside", hex("62 01 96 01"), .truncated, field: 12, offset: 2),
        BadInput("cut fixed32 inside a sub-message's unknown field", hex("82 01 02 4d 01 00 00 00"), .truncated, field: 9, offset: 4),
    ]

    /// Lengths that point past the end, from one byte over to 2^64-1.
    static let lengths: [BadInput] = {
        var out: [BadInput] = []
        let huge: [UInt64] = [1 << 31, 1 << 32, 1 << 62, 1 << 63, UInt64(Int64.max), UInt64.max, UInt64.max - 1]
        // (field, tag bytes)
        let fields: [(Int, [UInt8])] = [
            (7, hex("3a")), (8, hex("42")), (9, hex("4a")), (12, hex("62")), (13, hex("6a")), (14, hex("72")),
            (15, hex("7a")), (16, hex("82 01")), (17, hex("8a 01")), (18, hex("92 01")), (19, hex("9a 01")), (20, hex("a2 01")),
            (100, hex("a2 06")), (maximumFieldNumber - 1, Raw.tag(UInt64(maximumFieldNumber - 1), 2)),
        ]
        for (field, tag) in fields {
            out.append(BadInput("field \(field): length 1, nothing follows", tag + [1], .lengthOutOfBounds, field: field, offset: tag.count))
            out.append(BadInput("field \(field): length 8, 7 follow", tag + [8] + [UInt8](repeating: 0x61, count: 7),
                                .lengthOutOfBounds, field: field, offset: tag.count))
            out.append(BadInput("field \(field): length 200, 199 follow", tag + Raw.varint(200) + [UInt8](repeating: 0x30, count: 199),
                                .lengthOutOfBounds, field: field, offset: tag.count))
            for h in huge {
                out.append(BadInput("field \(field): length \(h)", tag + Raw.varint(h) + [0x61, 0x62], .lengthOutOfBounds, field: field, offset: tag.count))
            }
            // After a valid field, so the offset moves.
            out.append(BadInput("field \(field): length 2^63 after a field", hex("08 01") + tag + Raw.varint(1 << 63),
                                .lengthOutOfBounds, field: field, offset: 2 + tag.count))
        }
        // Lengths inside a sub-message are bounded by the sub-message, not by the input.
        out.append(BadInput("string in a sub-message runs past the sub-message", hex("82 01 02 12 05 61 61 61 61 61"),
                            .lengthOutOfBounds, field: 2, offset: 4))
        out.append(BadInput("packed run in a sub-message runs past it", hex("82 01 02 1a 02 01 01"),
                            .lengthOutOfBounds, field: 3, offset: 4))
        out.append(BadInput("map key runs past its entry", hex("72 02 0a 03 61 61 61"), .lengthOutOfBounds, field: 14, offset: 3))
        out.append(BadInput("map message value runs past its entry", hex("7a 02 12 02 08 01"), .lengthOutOfBounds, field: 15, offset: 3))
        out.append(BadInput("sub-message runs past its parent", hex("82 01 03 82 01 05 00 00 00 00 00"), .lengthOutOfBounds, field: 16, offset: 5))
        out.append(BadInput("length-delimited field in an unknown group runs past the end", hex("2b 12 05 61 2c"), .lengthOutOfBounds, field: 5, offset: 2, asNested: true))
        out.append(BadInput("huge length in an unknown group", hex("2b 12") + Raw.varint(1 << 63) + hex("2c"), .lengthOutOfBounds, field: 5, offset: 2, asNested: true))
        return out
    }()

    static let tags: [BadInput] = {
        var out: [BadInput] = []
        for field: UInt64 in [1, 2, 7, 11, 15, 16, 17, 100, 2047, 2048, UInt64(maximumFieldNumber)] {
            for wire: UInt8 in [6, 7] {
                out.append(BadInput("wire type \(wire) on field \(field)", Raw.tag(field, wire) + hex("00 00 00 00 00 00 00 00"), .invalidTag, field: 0, offset: 0))
            }
        }
        out.append(BadInput("wire type 6 after a field", hex("08 01 0e"), .invalidTag, field: 0, offset: 2))
        out.append(BadInput("wire type 7 after two fields", hex("08 01 3a 00 0f 00"), .invalidTag, field: 0, offset: 4))
        for wire: UInt8 in 0...7 {
            out.append(BadInput("field 0, wire type \(wire)", Raw.tag(0, wire) + hex("00 00 00 00 00 00 00 00 00"), .invalidTag, field: 0, offset: 0))
            out.append(BadInput("field 2^29, wire type \(wire)", Raw.tag(1 << 29, wire) + hex("00 00 00 00 00 00 00 00 00"), .invalidTag, field: 0, offset: 0))
        }
        out.append(BadInput("field 0 as a padded varint", hex("80 00"), .invalidTag, field: 0, offset: 0))
        out.append(BadInput("field 0 after a field", hex("08 01 00"), .invalidTag, field: 0, offset: 2))
        out.append(BadInput("field 2^32-1", Raw.tag(UInt64(UInt32.max), 0) + [0], .invalidTag, field: 0, offset: 0))
        out.append(BadInput("field 2^61-1 in a ten-byte tag", Raw.tag(UInt64.max >> 3, 0) + [0], .invalidTag, field: 0, offset: 0))
        out.append(BadInput("tag 2^32 + 8: field 1 in the low 32 bits", Raw.varint((1 << 32) + 8) + [0], .invalidTag, field: 0, offset: 0))
        // In nested contexts the enclosing field is named.
        out.append(BadInput("wire type 7 in a sub-message", hex("82 01 02 0f 00"), .invalidTag, field: 16, offset: 3))
        out.append(BadInput("field 0 in a sub-message", hex("82 01 02 00 00"), .invalidTag, field: 16, offset: 3))
        out.append(BadInput("wire type 6 in a map entry", hex("72 02 0e 00"), .invalidTag, field: 14, offset: 2))
        out.append(BadInput("wire type 6 in an unknown group", hex("2b 0e 2c"), .invalidTag, field: 5, offset: 1, asNested: true))
        out.append(BadInput("field 0 in an unknown group", hex("2b 00 2c"), .invalidTag, field: 5, offset: 1, asNested: true))
        out.append(BadInput("field 2^29 in an unknown group", hex("2b") + Raw.tag(1 << 29, 0) + hex("00 2c"), .invalidTag, field: 5, offset: 1, asNested: true))
        return out
    }()

    static let groups: [BadInput] = {
        var out: [BadInput] = []
        for field: UInt64 in [1, 2, 5, 15, 16, 100, UInt64(maximumFieldNumber)] {
            out.append(BadInput("end-group \(field) with no start", Raw.tag(field, 4), .unmatchedEndGroup, field: Int(field), offset: 0))
            out.append(BadInput("end-group \(field) with no start, after a field", hex("08 01") + Raw.tag(field, 4),
                                .unmatchedEndGroup, field: Int(field), offset: 2))
        }
        out += [
            BadInput("end-group inside a sub-message", hex("82 01 01 0c"), .unmatchedEndGroup, field: 1, offset: 3),
            BadInput("end-group inside a map entry", hex("72 01 0c"), .unmatchedEndGroup, field: 1, offset: 2),
            BadInput("group 5 closed by 6", hex("2b 34"), .unmatchedEndGroup, field: 6, offset: 1, asNested: true),
            BadInput("group 5 closed by 6 after content", hex("2b 08 01 34"), .unmatchedEndGroup, field: 6, offset: 3, asNested: true),
            BadInput("inner group 6 closed by 5", hex("2b 33 2c 34"), .unmatchedEndGroup, field: 5, offset: 2, asNested: true),
            BadInput("group 100 closed by 101", hex("a3 06 ac 06"), .unmatchedEndGroup, field: 101, offset: 2),
            BadInput("group closed twice", hex("2b 2c 2c"), .unmatchedEndGroup, field: 5, offset: 2, asNested: true),
            BadInput("group never closed", hex("2b"), .truncated, field: 5, offset: 1, asNested: true),
            BadInput("group never closed, after content", hex("2b 08 01"), .truncated, field: 5, offset: 3, asNested: true),
            BadInput("inner group never closed", hex("2b 33 08 01"), .truncated, field: 6, offset: 4, asNested: true),
            BadInput("group closed only inside a sub-message", hex("2b 82 01 01 2c"), .truncated, field: 5, offset: 5, asNested: true),
            BadInput("group closed only inside a length-delimited unknown", hex("2b 12 01 2c"), .truncated, field: 5, offset: 4, asNested: true),
            BadInput("group in a sub-message never closed", hex("82 01 01 2b"), .truncated, field: 5, offset: 4),
        ]
        return out
    }()

    static let packed: [BadInput] = {
        var out: [BadInput] = []
        for length in [1, 2, 3, 5, 6, 7, 9, 13, 127] {
            out.append(BadInput("packed fixed32 of \(length) bytes", hex("92 01") + Raw.varint(UInt64(length)) + [UInt8](repeating: 1, count: length),
                                .malformedPacked, field: 18, offset: 2 + Raw.varint(UInt64(length)).count))
        }
        for length in [1, 4, 7, 9, 12, 15, 17, 130] {
            out.append(BadInput("packed sfixed64 of \(length) bytes", hex("9a 01") + Raw.varint(UInt64(length)) + [UInt8](repeating: 1, count: length),
                                .malformedPacked, field: 19, offset: 2 + Raw.varint(UInt64(length)).count))
        }
        out += [
            BadInput("packed fixed32 after valid packed data", hex("92 01 04 01 00 00 00 92 01 03 01 02 03"), .malformedPacked, field: 18, offset: 10),
            BadInput("packed fixed32 of 3 bytes in a longer input", hex("92 01 03 01 02 03 08 01"), .malformedPacked, field: 18, offset: 3),
            BadInput("packed fixed32 whose length is also out of bounds", hex("92 01 07 01"), .lengthOutOfBounds, field: 18, offset: 2),
            BadInput("packed int64 ending mid-varint", hex("62 02 01 80"), .truncated, field: 12, offset: 3),
            BadInput("packed closed enum ending mid-varint", hex("8a 01 01 80 01"), .truncated, field: 17, offset: 3),
            BadInput("packed sint32 in a sub-message ending mid-varint", hex("82 01 03 1a 01 ff"), .truncated, field: 3, offset: 5),
        ]
        return out
    }()
}

/// Every known field of TestAllKinds with the wire types it accepts.
private let acceptedWireTypes: [(field: Int, accepts: Set<UInt8>)] = [
    (1, [0]), (2, [0]), (3, [5]), (4, [1]), (5, [5]), (6, [0]), (7, [2]), (8, [2]), (9, [2]), (10, [0]), (11, [0]),
    (12, [0, 2]), (13, [2]), (14, [2]), (15, [2]), (16, [2]), (17, [0, 2]), (18, [5, 2]), (19, [1, 2]), (20, [2]),
    (TestAllKinds.farFieldNumber, [0]),
]

/// A well-formed value for `wireType`, for following a tag.
private func sampleValue(_ wireType: UInt8) -> [UInt8] {
    switch wireType {
    case 0: [0x01]
    case 1: Raw.fixed64(1)
    case 2: [0x00]
    case 3: []
    case 5: Raw.fixed32(1)
    default: []
    }
}

/// Invalid UTF-8, by class.
enum BadUTF8 {
    static let handPicked: [(String, [UInt8])] = [
        ("lone continuation 80", [0x80]),
        ("lone continuation bf", [0xBF]),
        ("continuation after ASCII", [0x61, 0x80]),
        ("two continuations", [0x80, 0x80]),
        ("overlong NUL, 2 bytes", [0xC0, 0x80]),
        ("overlong '/', 2 bytes", [0xC0, 0xAF]),
        ("overlong U+007F, 2 bytes", [0xC1, 0xBF]),
        ("overlong NUL, 3 bytes", [0xE0, 0x80, 0x80]),
        ("overlong U+07FF, 3 bytes", [0xE0, 0x9F, 0xBF]),
        ("overlong NUL, 4 bytes", [0xF0, 0x80, 0x80, 0x80]),
        ("overlong U+FFFF, 4 bytes", [0xF0, 0x8F, 0xBF, 0xBF]),
        ("high surrogate U+D800", [0xED, 0xA0, 0x80]),
        ("high surrogate U+DBFF", [0xED, 0xAF, 0xBF]),
        ("low surrogate U+DC00", [0xED, 0xB0, 0x80]),
        ("low surrogate U+DFFF", [0xED, 0xBF, 0xBF]),
        ("surrogate pair in CESU-8", [0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80]),
        ("U+110000", [0xF4, 0x90, 0x80, 0x80]),
        ("lead F5", [0xF5, 0x80, 0x80, 0x80]),
        ("lead F7, max", [0xF7, 0xBF, 0xBF, 0xBF]),
        ("five-byte form", [0xF8, 0x88, 0x80, 0x80, 0x80]),
        ("six-byte form", [0xFC, 0x84, 0x80, 0x80, 0x80, 0x80]),
        ("cut two-byte", [0xC2]),
        ("cut three-byte after one", [0xE2]),
        ("cut three-byte after two", [0xE2, 0x82]),
        ("cut four-byte after three", [0xF0, 0x9F, 0x98]),
        ("two-byte lead then ASCII", [0xC2, 0x41]),
        ("three-byte with a bad second byte", [0xE2, 0x28, 0xA1]),
        ("three-byte with a bad third byte", [0xE2, 0x82, 0x28]),
        ("four-byte with ASCII inside", [0xF0, 0x9F, 0x41, 0x41]),
        ("FF", [0xFF]),
        ("FE", [0xFE]),
        ("FF inside text", [0x61, 0xFF, 0x62]),
        ("byte-order mark, UTF-16 LE", [0xFF, 0xFE, 0x61, 0x00]),
        ("valid text then a cut emoji", Array("hello ".utf8) + [0xF0, 0x9F, 0x98]),
        ("cut sequence then valid text", [0xE2, 0x82] + Array("abc".utf8)),
    ]

    /// Every byte from 0x80 alone, every C0/C1 overlong pair, and a sweep of surrogates and over-range leads.
    static let generated: [(String, [UInt8])] = {
        var out: [(String, [UInt8])] = []
        for b in 0x80...0xFF { out.append(("lone byte \(String(b, radix: 16))", [UInt8(b)])) }
        for second in stride(from: 0x80, through: 0xBF, by: 1) {
            out.append(("overlong C0 \(String(second, radix: 16))", [0xC0, UInt8(second)]))
            out.append(("overlong C1 \(String(second, radix: 16))", [0xC1, UInt8(second)]))
        }
        for second in 0xA0...0xBF { out.append(("surrogate ED \(String(second, radix: 16)) 80", [0xED, UInt8(second), 0x80])) }
        for second in 0x80...0x9F { out.append(("overlong E0 \(String(second, radix: 16)) 80", [0xE0, UInt8(second), 0x80])) }
        for second in 0x80...0x8F { out.append(("overlong F0 \(String(second, radix: 16)) 80 80", [0xF0, UInt8(second), 0x80, 0x80])) }
        for second in 0x90...0xBF { out.append(("above U+10FFFF F4 \(String(second, radix: 16)) 80 80", [0xF4, UInt8(second), 0x80, 0x80])) }
        return out
    }()

    static var all: [(String, [UInt8])] { handPicked + generated }
}

/// How to put a string into a TestAllKinds encoding, and the error that names it.
private struct StringSite: Sendable {
    var name: String
    /// Wraps the raw string bytes; returns the input and the offset of the string's length prefix.
    var wrap: @Sendable ([UInt8]) -> (bytes: [UInt8], lengthOffset: Int)
    var field: Int
}

private let stringSites: [StringSite] = [
    StringSite(name: "string", wrap: { (Raw.lengthDelimited(7, $0), 1) }, field: 7),
    StringSite(name: "optional string", wrap: { (hex("08 01") + Raw.lengthDelimited(9, $0), 3) }, field: 9),
    StringSite(name: "repeated string, second element", wrap: { (Raw.string(13, "ok") + Raw.lengthDelimited(13, $0), 5) }, field: 13),
    StringSite(name: "map key", wrap: { (Raw.lengthDelimited(14, Raw.lengthDelimited(1, $0) + Raw.varintField(2, 1)), 3) }, field: 14),
    StringSite(name: "sub-message string", wrap: { (Raw.lengthDelimited(16, Raw.varintField(1, 1) + Raw.lengthDelimited(2, $0)), 6) }, field: 2),
    StringSite(name: "string in a map's message value", wrap: {
        let value = Raw.lengthDelimited(2, $0)
        let entry = Raw.varintField(1, 1) + Raw.lengthDelimited(2, value)
        let prefix = Raw.tag(15, 2) + Raw.varint(UInt64(entry.count)) + Raw.varintField(1, 1) + Raw.tag(2, 2) + Raw.varint(UInt64(value.count))
        return (Raw.lengthDelimited(15, entry), prefix.count + 1)
    }, field: 2),
]

@Suite("Malformed input")
struct MalformedInputTests {
    @Test("hand-made bad varints", arguments: BadInputs.varints)
    func varints(_ bad: BadInput) { check(bad) }

    @Test("lengths past the end, up to 2^64-1", arguments: BadInputs.lengths)
    func lengths(_ bad: BadInput) { check(bad) }

    @Test("bad tags: wire types 6 and 7, field 0, fields over 2^29-1", arguments: BadInputs.tags)
    func tags(_ bad: BadInput) { check(bad) }

    @Test("unmatched, mismatched and unterminated groups", arguments: BadInputs.groups)
    func groups(_ bad: BadInput) { check(bad) }

    @Test("packed fields of the wrong length", arguments: BadInputs.packed)
    func packed(_ bad: BadInput) { check(bad) }

    private func check(_ bad: BadInput, sourceLocation: SourceLocation = #_sourceLocation) {
        if bad.asNested {
            expectDecodeError(bad.bytes, as: TestNested.self, code: bad.code, field: bad.field, offset: bad.offset, bad.name,
                              sourceLocation: sourceLocation)
            return
        }
        expectDecodeError(bad.bytes, code: bad.code, field: bad.field, offset: bad.offset, bad.name, sourceLocation: sourceLocation)
        // Merging into a message that already holds data fails the same way.
        var m = TestAllKinds.with { $0.int32 = 1 }
        do throws(WireDecodingError) {
            try m.merge(serializedBytes: bad.bytes)
            Issue.record("merge accepted \(bad.name)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == bad.code, sourceLocation: sourceLocation)
        }
    }

    @Test("a known field with a wire type it does not accept is kept as an unknown field")
    func wrongWireTypes() throws {
        var count = 0
        for (field, accepts) in acceptedWireTypes {
            for wire: UInt8 in [0, 1, 2, 3, 5] where !accepts.contains(wire) {
                // A group's value is whatever comes before its end-group tag: here, nothing.
                let value = wire == 3 ? Raw.tag(UInt64(field), 4) : sampleValue(wire)
                let body = Raw.tag(UInt64(field), wire) + value
                let alone = try TestAllKinds(serializedBytes: body)
                #expect(alone == TestAllKinds.with { $0.unknownFields = UnknownFields(bytes: body) }, "field \(field) wire \(wire)")
                #expect(alone.serializedBytes() == body, "field \(field) wire \(wire) written back")
                let after = try TestAllKinds(serializedBytes: hex("08 01 3a 01 61") + body)
                #expect(after.int32 == 1 && after.string == "a", "field \(field) wire \(wire), after fields")
                #expect(after.unknownFields.bytes == body, "field \(field) wire \(wire), after fields")
                count += 1
            }
            // An end-group tag for a known field is never a value.
            expectDecodeError(Raw.tag(UInt64(field), 4), code: .unmatchedEndGroup, field: field, offset: 0)
            count += 1
        }
        // Inside a sub-message: the sub-message keeps the field as unknown.
        for (bytes, unknown) in [
            (hex("82 01 02 0a 00"), hex("0a 00")),  // TestNested.a as length-delimited
            (hex("82 01 02 10 01"), hex("10 01")),  // TestNested.b as varint
            (hex("82 01 05 1d 01 00 00 00"), hex("1d 01 00 00 00")),  // TestNested.c as fixed32
        ] {
            let m = try TestAllKinds(serializedBytes: bytes)
            #expect(m.nested == TestNested.with { $0.unknownFields = UnknownFields(bytes: unknown) })
            #expect(m.serializedBytes() == bytes)
            count += 1
        }
        // In a map entry: a key or value of the wrong wire type is skipped and takes its default.
        #expect(try TestAllKinds(serializedBytes: hex("72 02 08 01")).stringToInt64 == ["": 0], "string key as varint")
        #expect(try TestAllKinds(serializedBytes: hex("72 05 0a 01 6b 12 00")).stringToInt64 == ["k": 0], "int64 value as length-delimited")
        #expect(try TestAllKinds(serializedBytes: hex("7a 07 0d 01 00 00 00 10 02")).int32ToNested == [0: TestNested()], "int32 key as fixed32")
        #expect(try TestAllKinds(serializedBytes: hex("7a 04 08 01 10 01")).int32ToNested == [1: TestNested()], "message value as varint")
        #expect(try TestAllKinds(serializedBytes: hex("70 01")).unknownFields.bytes == hex("70 01"), "map field as varint")
        count += 5
        #expect(count > 60)
        print("wrong-wire-type inputs: \(count)")
    }

    @Test("invalid UTF-8 of every class, in every kind of string field")
    func invalidUTF8() {
        var count = 0
        for (name, bad) in BadUTF8.all {
            for site in stringSites {
                let (bytes, lengthOffset) = site.wrap(bad)
                expectDecodeError(bytes, code: .invalidUTF8, field: site.field, offset: lengthOffset, "\(name) in \(site.name)")
                count += 1
            }
            // The same bytes inside valid text are still rejected.
            let (embedded, _) = stringSites[0].wrap(Array("ok".utf8) + bad + Array("ok".utf8))
            expectDecodeError(embedded, code: .invalidUTF8, field: 7, offset: 1, "\(name) between valid text")
            // ...and are fine in a bytes field and in unknown fields.
            #expect(decodeError(Raw.lengthDelimited(8, bad)) == nil, "\(name) in bytes")
            #expect(decodeError(Raw.lengthDelimited(100, bad)) == nil, "\(name) in an unknown field")
            count += 3
        }
        print("invalid UTF-8 inputs: \(count)")
    }

    @Test("valid UTF-8 at the edge of every range decodes")
    func validUTF8Edges() throws {
        let scalars: [UInt32] = [0, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF]
        for s in scalars {
            let text = String(Unicode.Scalar(s)!)
            let m = try TestAllKinds(serializedBytes: Raw.string(7, text))
            #expect(Array(m.string.utf8) == Array(text.utf8))
        }
        // A UTF-8 byte-order mark is valid UTF-8 and is kept.
        #expect(try TestAllKinds(serializedBytes: Raw.lengthDelimited(7, [0xEF, 0xBB, 0xBF])).string == "\u{FEFF}")
    }

    @Test("messages nested deeper than the limit are rejected")
    func deepMessages() {
        let limit = WireReader.recursionLimit
        for levels in [limit + 1, limit + 2, limit + 50, 10_000] {
            let bytes = TestRecursive.chain(levels: levels).serializedBytes()
            // The error is found right after the length of the first message past the limit.
            var offset = 0
            for _ in 0...limit {
                let f = scanFields(bytes, from: offset).fields[0]
                #expect(f.fieldNumber == 1 && f.kind == .lengthDelimited)
                offset = f.start + f.tagLength + f.lengthLength
            }
            expectDecodeError(bytes, as: TestRecursive.self, code: .recursionLimitExceeded, field: 1, offset: offset, "\(levels) levels")
        }
        // Hand-built: 101 empty sub-messages, each just "0a len".
        var raw: [UInt8] = []
        for _ in 0...limit { raw = Raw.lengthDelimited(1, raw) }
        expectDecodeError(raw, as: TestRecursive.self, code: .recursionLimitExceeded, field: 1)
    }

    @Test("unknown groups nested deeper than the limit are rejected")
    func deepGroups() {
        let limit = WireReader.recursionLimit
        for levels in [limit + 1, limit + 5, 5000] {
            var bytes: [UInt8] = []
            for level in 0..<levels { bytes = Raw.group(UInt64(1000 + level), bytes) }
            // The outermost group is field 1000 + levels - 1; the one that fails is `limit` inside it.
            let failing = 1000 + levels - 1 - limit
            let offset = (0...limit).reduce(0) { acc, level in acc + Raw.tag(UInt64(1000 + levels - 1 - level), 3).count }
            expectDecodeError(bytes, code: .recursionLimitExceeded, field: failing, offset: offset, "\(levels) groups")
        }
        // Groups count together with the messages they sit in.
        var inner: [UInt8] = []
        for _ in 0..<2 { inner = Raw.group(5, inner) }
        var nested = inner
        for _ in 0..<(limit - 1) { nested = Raw.lengthDelimited(1, nested) }
        expectDecodeError(nested, as: TestRecursive.self, code: .recursionLimitExceeded, "99 messages and 2 groups")
        var fits = Raw.group(5, [])
        for _ in 0..<(limit - 1) { fits = Raw.lengthDelimited(1, fits) }
        #expect(decodeError(fits, as: TestRecursive.self) == nil, "99 messages and 1 group is exactly the limit")
        var atLimit = Raw.group(5, [])
        for _ in 0..<limit { atLimit = Raw.lengthDelimited(1, atLimit) }
        expectDecodeError(atLimit, as: TestRecursive.self, code: .recursionLimitExceeded, "100 messages and 1 group")
    }

    @Test("every truncation of valid encodings fails with the error its position implies")
    func truncations() throws {
        var rng = SplitMix64(seed: 0x7AC)
        var inputs = 0
        var failures = 0
        var samples: [[UInt8]] = [
            TestAllKinds.with {
                $0.int32 = -1; $0.string = "testing"; $0.nested = TestNested.with { $0.b = "x"; $0.c = [1, -1] }
                $0.stringToInt64 = ["a": 1]; $0.far = .max; $0.sizes = [.tiny]
            }.serializedBytes(),
            Raw.group(100, Raw.varintField(1, 150) + Raw.group(2000, Raw.fixed64Field(3, 1)) + Raw.lengthDelimited(7, [1, 2])),
            Raw.group(UInt64(maximumFieldNumber - 1), Raw.varintField(UInt64(maximumFieldNumber - 2), 1)) + Raw.varintField(1, 1),
        ]
        for _ in 0..<150 { samples.append(rng.message(fill: 80).serializedBytes()) }
        for bytes in samples {
            for cut in 0..<bytes.count {
                let prefix = Array(bytes[..<cut])
                inputs += 1
                let actual = decodeError(prefix)
                if let expected = expectedTruncationError(bytes, cut: cut) {
                    failures += 1
                    #expect(actual == expected, "cut at \(cut) of [\(hexString(bytes))]")
                } else {
                    #expect(actual == nil, "cut at a field boundary \(cut) should decode")
                }
            }
        }
        #expect(failures > 10_000)
        print("truncated inputs: \(inputs), of which cut mid-field (and so rejected): \(failures)")
    }
}
