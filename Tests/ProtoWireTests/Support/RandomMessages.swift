// Random but reproducible messages, biased towards boundary values, and random
// well-formed unknown fields of every wire type.

import Foundation
import ProtoWire
import TestSupport

extension SplitMix64 {
    /// A value with a random bit width, so every varint length turns up.
    mutating func wideUInt64() -> UInt64 {
        let bits = int(0...64)
        if bits == 0 { return 0 }
        let v = next()
        return bits == 64 ? v : v & ((1 << UInt64(bits)) - 1)
    }

    mutating func int32() -> Int32 {
        if chance(30) {
            return pick([0, 1, -1, 127, 128, -128, 16383, 16384, .max, .min, .max - 1, .min + 1])
        }
        return Int32(truncatingIfNeeded: chance(50) ? wideUInt64() : UInt64(bitPattern: -Int64(wideUInt64() >> 33)))
    }

    mutating func int64() -> Int64 {
        if chance(30) { return pick([0, 1, -1, .max, .min, .max - 1, .min + 1, 1 << 62, -(1 << 62)]) }
        let v = Int64(bitPattern: wideUInt64())
        return chance(50) ? v : 0 &- v
    }

    mutating func uint64() -> UInt64 {
        chance(30) ? pick([0, 1, 127, 128, .max, .max - 1, 1 << 63]) : wideUInt64()
    }

    mutating func uint32() -> UInt32 {
        chance(30) ? pick([0, 1, .max, 1 << 31]) : UInt32(truncatingIfNeeded: wideUInt64())
    }

    mutating func double() -> Double {
        switch int(0..<10) {
        case 0: return pick([0.0, -0.0, .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude, .pi])
        case 1: return Double(bitPattern: next())  // sometimes NaN, with any payload
        default: return Double(int(-1_000_000...1_000_000)) / 64
        }
    }

    mutating func float() -> Float {
        switch int(0..<10) {
        case 0: return pick([0.0, -0.0, .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude])
        case 1: return Float(bitPattern: UInt32(truncatingIfNeeded: next()))
        default: return Float(int(-100_000...100_000)) / 8
        }
    }

    /// A string mixing one- to four-byte UTF-8 sequences, including the edges of each range.
    mutating func string(maxLength: Int = 12) -> String {
        let scalars: [UInt32] = [
            0x41, 0x7A, 0x20, 0x00, 0x7F,  // one byte
            0x80, 0xE9, 0x7FF, 0x301,  // two bytes (0x301 is a combining accent)
            0x800, 0x4E2D, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF,  // three bytes
            0x10000, 0x1F600, 0x10FFFF,  // four bytes
        ]
        var s = String.UnicodeScalarView()
        for _ in 0..<int(0...maxLength) {
            s.append(Unicode.Scalar(pick(scalars))!)
        }
        return String(s)
    }

    mutating func data(maxLength: Int = 16) -> Data { Data(bytes(int(0...maxLength))) }

    mutating func color() -> Color {
        chance(70) ? pick(Color.allCases) : Color(rawValue: int32())
    }

    mutating func size() -> Size { pick(Size.allCases) }

    mutating func nested() -> TestNested {
        var n = TestNested()
        if chance(60) { n.a = int32() }
        if chance(60) { n.b = string() }
        if chance(40) { n.c = (0..<int(0...5)).map { _ in int32() } }
        if chance(15) { n.unknownFields = unknownFields() }
        return n
    }

    /// A well-formed unknown field whose number the test messages do not use.
    mutating func unknownField(groupDepth: Int = 0) -> [UInt8] {
        let field = UInt64(chance(80) ? int(100...2000) : int(536_870_000...536_870_910))
        switch int(0..<(groupDepth < 3 ? 5 : 4)) {
        case 0: return Raw.varintField(field, uint64())
        case 1: return Raw.fixed64Field(field, next())
        case 2: return Raw.fixed32Field(field, uint32())
        case 3: return Raw.lengthDelimited(field, bytes(int(0...20)))
        default:
            var body: [UInt8] = []
            for _ in 0..<int(0...3) { body += unknownField(groupDepth: groupDepth + 1) }
            return Raw.group(field, body)
        }
    }

    mutating func unknownFields() -> UnknownFields {
        var bytes: [UInt8] = []
        for _ in 0..<int(1...4) { bytes += unknownField() }
        return UnknownFields(bytes: bytes)
    }

    /// A message with a random selection of fields set to random, often extreme, values.
    mutating func message(fill percent: Int = 50) -> TestAllKinds {
        var m = TestAllKinds()
        if chance(percent) { m.int32 = int32() }
        if chance(percent) { m.sint64 = int64() }
        if chance(percent) { m.fixed32 = uint32() }
        if chance(percent) { m.double = double() }
        if chance(percent) { m.float = float() }
        if chance(percent) { m.bool = chance(50) }
        if chance(percent) { m.string = string() }
        if chance(percent) { m.bytes = data() }
        if chance(percent) { m.optionalString = string() }
        if chance(percent) { m.color = color() }
        if chance(percent) { m.size = size() }
        if chance(percent) { m.int64s = (0..<int(0...6)).map { _ in int64() } }
        if chance(percent) { m.strings = (0..<int(0...4)).map { _ in string() } }
        if chance(percent) {
            for _ in 0..<int(0...4) { m.stringToInt64[string(maxLength: 4)] = int64() }
        }
        if chance(percent) {
            for _ in 0..<int(0...3) { m.int32ToNested[int32()] = nested() }
        }
        if chance(percent) { m.nested = nested() }
        if chance(percent) { m.sizes = (0..<int(0...5)).map { _ in size() } }
        if chance(percent) { m.fixed32s = (0..<int(0...5)).map { _ in uint32() } }
        if chance(percent) { m.sfixed64s = (0..<int(0...4)).map { _ in int64() } }
        if chance(percent) { m.nestedList = (0..<int(0...3)).map { _ in nested() } }
        if chance(percent) { m.far = uint64() }
        if chance(percent / 2) { m.unknownFields = unknownFields() }
        return m
    }
}

// MARK: An independent scanner for well-formed input

/// One top-level field of a well-formed encoding, as found by `scanFields`.
struct ScannedField {
    enum Kind: Equatable { case varint, fixed64, lengthDelimited, group, fixed32 }
    var start: Int
    var end: Int
    var fieldNumber: Int
    var kind: Kind
    /// Bytes the tag takes.
    var tagLength: Int
    /// For length-delimited fields, bytes the length prefix takes.
    var lengthLength: Int = 0
}

/// Splits well-formed wire bytes into fields. Written separately from `WireReader`
/// so the truncation tests do not trust the code they test. Traps on bad input.
func scanFields(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil, stopAtEndGroup: Int? = nil) -> (
    fields: [ScannedField], end: Int
) {
    let limit = end ?? bytes.count
    var p = start
    var fields: [ScannedField] = []
    func varint() -> (UInt64, Int) {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        let s = p
        while true {
            let b = bytes[p]
            p += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return (v, p - s) }
            shift += 7
        }
    }
    while p < limit {
        let fieldStart = p
        let (tag, tagLength) = varint()
        let number = Int(tag >> 3)
        var field = ScannedField(start: fieldStart, end: 0, fieldNumber: number, kind: .varint, tagLength: tagLength)
        switch tag & 7 {
        case 0: _ = varint()
        case 1:
            field.kind = .fixed64
            p += 8
        case 2:
            field.kind = .lengthDelimited
            let (length, lengthLength) = varint()
            field.lengthLength = lengthLength
            p += Int(length)
        case 3:
            field.kind = .group
            p = scanFields(bytes, from: p, to: limit, stopAtEndGroup: number).end
        case 4:
            precondition(number == stopAtEndGroup, "unexpected end-group tag")
            return (fields, p)
        case 5:
            field.kind = .fixed32
            p += 4
        default: preconditionFailure("bad wire type in supposedly valid input")
        }
        field.end = p
        fields.append(field)
    }
    precondition(stopAtEndGroup == nil && p == limit, "malformed input given to scanFields")
    return (fields, p)
}

/// What decoding `bytes[..<cut]` must throw, worked out from the structure of the
/// well-formed `bytes`; nil when the cut falls between two top-level fields.
func expectedTruncationError(_ bytes: [UInt8], cut: Int) -> WireDecodingError? {
    let fields = scanFields(bytes).fields
    guard let f = fields.first(where: { $0.start < cut && cut < $0.end }) else { return nil }
    return expectedError(in: f, bytes: bytes, cut: cut, outerField: nil)
}

/// `outerField` is the top-level unknown group `f` sits in, if any.
private func expectedError(in f: ScannedField, bytes: [UInt8], cut: Int, outerField: Int?) -> WireDecodingError {
    let valueStart = f.start + f.tagLength
    // Errors raised without a field number are labelled with the top-level field's number
    // as they pass back out, except a cut top-level tag, which names no field.
    if cut < valueStart {
        return WireDecodingError(.truncated, fieldNumber: outerField ?? 0, offset: f.start)
    }
    let named = outerField ?? f.fieldNumber
    switch f.kind {
    case .varint, .fixed32, .fixed64:
        return WireDecodingError(.truncated, fieldNumber: named, offset: valueStart)
    case .lengthDelimited:
        let code: WireDecodingError.Code = cut < valueStart + f.lengthLength ? .truncated : .lengthOutOfBounds
        return WireDecodingError(code, fieldNumber: named, offset: valueStart)
    case .group:
        // The group's body is a run of fields followed by the end-group tag.
        var inner = scanFields(bytes, from: valueStart, stopAtEndGroup: f.fieldNumber)
        let endTagStart = inner.end - Raw.tag(UInt64(f.fieldNumber), 4).count
        inner.fields = inner.fields.filter { $0.start < endTagStart }
        if let g = inner.fields.first(where: { $0.start < cut && cut < $0.end }) {
            return expectedError(in: g, bytes: bytes, cut: cut, outerField: outerField ?? f.fieldNumber)
        }
        if cut > endTagStart {
            // Inside a multi-byte end-group tag.
            return WireDecodingError(.truncated, fieldNumber: outerField ?? f.fieldNumber, offset: endTagStart)
        }
        // Cut between fields of the group: the group never ends.
        return WireDecodingError(.truncated, fieldNumber: f.fieldNumber, offset: cut)
    }
}
