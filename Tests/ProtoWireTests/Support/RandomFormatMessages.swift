// Random `FormatAllTypes` values for the JSON and text-format round trips and for the
// malformed-input tests' seeds: every field kind, extreme numbers, strings that need escaping,
// well-known types within their JSON ranges. No NaN (it is not equal to itself; tested apart).

import Foundation
import ProtoWire
import TestSupport

extension SplitMix64 {
    mutating func randInt32() -> Int32 {
        chance(30) ? pick([0, 1, -1, .max, .min, 127, -128]) : Int32(truncatingIfNeeded: next() >> UInt64(int(0..<40)))
    }

    mutating func randInt64() -> Int64 {
        chance(30) ? pick([0, 1, -1, .max, .min, 1 << 53, -(1 << 53) - 1]) : Int64(bitPattern: next() >> UInt64(int(0..<63)))
    }

    mutating func randUint32() -> UInt32 { chance(20) ? pick([0, .max, 1]) : UInt32(truncatingIfNeeded: next() >> UInt64(int(0..<40))) }

    mutating func randUint64() -> UInt64 { chance(20) ? pick([0, .max, 1 << 63]) : next() >> UInt64(int(0..<64)) }

    mutating func randDouble() -> Double {
        if chance(25) {
            return pick([0, -0.0, 1, -1, 0.1, .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude,
                         .leastNormalMagnitude, 1e16, 1e-7, 123456789012345.0, 9007199254740993.0])
        }
        while true {
            let d = Double(bitPattern: next())
            if !d.isNaN { return d }
        }
    }

    mutating func randFloat() -> Float {
        if chance(25) {
            return pick([0, -0.0, 1, 0.1, 2.5, .infinity, -.infinity, .greatestFiniteMagnitude, .leastNonzeroMagnitude, 16_777_216])
        }
        while true {
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: next()))
            if !f.isNaN { return f }
        }
    }

    mutating func randString() -> String {
        let pieces = ["a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "谷歌", "😁", "\u{2028}",
                      "'", "#", "{", "}", ":", ",", "[", "]", "null", "true", "0x1", "\u{FFFF}"]
        var s = ""
        for _ in 0..<int(0...8) { s += pick(pieces) }
        return s
    }

    mutating func randData() -> Data { Data(bytes(int(0...12))) }

    mutating func randColor() -> FormatColor { chance(15) ? FormatColor(rawValue: randInt32()) : pick(FormatColor.allCases) }

    mutating func randShape() -> FormatShape { pick(FormatShape.allCases) }

    mutating func randNested() -> FormatNested {
        var n = FormatNested()
        if chance(70) { n.a = randInt32() }
        if chance(50) { n.b = randString() }
        return n
    }

    mutating func randTimestamp() -> Google_Protobuf_Timestamp {
        Google_Protobuf_Timestamp(
            seconds: Int64.random(in: -62_135_596_800...253_402_300_799, using: &self),
            nanos: chance(30) ? 0 : Int32.random(in: 0...999_999_999, using: &self))
    }

    mutating func randDuration() -> Google_Protobuf_Duration {
        let seconds = Int64.random(in: -315_576_000_000...315_576_000_000, using: &self)
        var nanos = chance(30) ? 0 : Int32.random(in: 0...999_999_999, using: &self)
        if seconds < 0 || (seconds == 0 && chance(50)) { nanos = -nanos }
        return Google_Protobuf_Duration(seconds: seconds, nanos: nanos)
    }

    mutating func randValue(depth: Int = 0) -> Google_Protobuf_Value {
        switch int(0..<(depth > 3 ? 4 : 6)) {
        case 0: return .null
        case 1: return Google_Protobuf_Value(randDouble())
        case 2: return Google_Protobuf_Value(randString())
        case 3: return Google_Protobuf_Value(chance(50))
        case 4:
            var s = Google_Protobuf_Struct()
            for _ in 0..<int(0...3) { s.fields[randString()] = randValue(depth: depth + 1) }
            return Google_Protobuf_Value(s)
        default:
            return Google_Protobuf_Value(Google_Protobuf_ListValue(values: (0..<int(0...3)).map { _ in randValue(depth: depth + 1) }))
        }
    }

    /// A finite `Value`: JSON cannot hold a `Value` of NaN or an infinity.
    mutating func randFiniteValue(depth: Int = 0) -> Google_Protobuf_Value {
        var v = randValue(depth: depth)
        clampNumbers(&v)
        return v
    }

    private func clampNumbers(_ v: inout Google_Protobuf_Value) {
        switch v.kind {
        case .numberValue(let d)? where !d.isFinite: v.kind = .numberValue(0)
        case .structValue(var s)?:
            for k in s.fields.keys { clampNumbers(&s.fields[k]!) }
            v.kind = .structValue(s)
        case .listValue(var l)?:
            for i in l.values.indices { clampNumbers(&l.values[i]) }
            v.kind = .listValue(l)
        default: break
        }
    }

    /// A snake_case path made of a few lowercase words, which JSON can carry.
    mutating func randFieldMaskPath() -> String {
        (0..<int(1...3)).map { _ in (0..<int(1...3)).map { _ in pick(["a", "foo", "bar", "x1"]) }.joined(separator: "_") }
            .joined(separator: ".")
    }

    /// A random message; `depth` bounds the recursion through `recursive` and `oneofRecursive`.
    mutating func formatAllTypes(depth: Int = 0, finite: Bool = false) -> FormatAllTypes {
        var m = FormatAllTypes()
        func p(_ percent: Int) -> Bool { chance(percent) }
        if p(40) { m.optionalInt32 = randInt32() }
        if p(40) { m.optionalInt64 = randInt64() }
        if p(40) { m.optionalUint32 = randUint32() }
        if p(40) { m.optionalUint64 = randUint64() }
        if p(40) { m.optionalSint32 = randInt32() }
        if p(40) { m.optionalSint64 = randInt64() }
        if p(40) { m.optionalFixed32 = randUint32() }
        if p(40) { m.optionalFixed64 = randUint64() }
        if p(40) { m.optionalSfixed32 = randInt32() }
        if p(40) { m.optionalSfixed64 = randInt64() }
        if p(40) { m.optionalFloat = randFloat() }
        if p(40) { m.optionalDouble = randDouble() }
        if p(40) { m.optionalBool = p(50) }
        if p(40) { m.optionalString = randString() }
        if p(40) { m.optionalBytes = randData() }
        if p(30) { m.optionalNestedMessage = randNested() }
        if p(30) { m.optionalColor = randColor() }
        if p(30) { m.proto3OptionalInt32 = randInt32() }
        if p(30) { m.proto3OptionalString = randString() }
        if p(30) { m.optionalShape = randShape() }
        if p(30) { m.defaultedInt32 = randInt32() }
        if p(30) { m.defaultedString = randString() }
        if p(30) { m.defaultedDouble = randDouble() }
        if p(30) { m.defaultedShape = randShape() }
        func list<T>(_ make: (inout SplitMix64) -> T) -> [T] {
            guard chance(30) else { return [] }
            return (0..<int(1...4)).map { _ in make(&self) }
        }
        m.repeatedInt32 = list { $0.randInt32() }
        m.repeatedInt64 = list { $0.randInt64() }
        m.repeatedUint32 = list { $0.randUint32() }
        m.repeatedUint64 = list { $0.randUint64() }
        m.repeatedSint32 = list { $0.randInt32() }
        m.repeatedSint64 = list { $0.randInt64() }
        m.repeatedFixed32 = list { $0.randUint32() }
        m.repeatedFixed64 = list { $0.randUint64() }
        m.repeatedSfixed32 = list { $0.randInt32() }
        m.repeatedSfixed64 = list { $0.randInt64() }
        m.repeatedFloat = list { $0.randFloat() }
        m.repeatedDouble = list { $0.randDouble() }
        m.repeatedBool = list { $0.chance(50) }
        m.repeatedString = list { $0.randString() }
        m.repeatedBytes = list { $0.randData() }
        m.repeatedNestedMessage = list { $0.randNested() }
        m.repeatedColor = list { $0.randColor() }
        m.repeatedShape = list { $0.randShape() }
        func map<K: Hashable, V>(_ key: (inout SplitMix64) -> K, _ value: (inout SplitMix64) -> V) -> [K: V] {
            guard chance(25) else { return [:] }
            var d: [K: V] = [:]
            for _ in 0..<int(1...4) { d[key(&self)] = value(&self) }
            return d
        }
        m.mapInt32Int32 = map({ $0.randInt32() }, { $0.randInt32() })
        m.mapInt64Int64 = map({ $0.randInt64() }, { $0.randInt64() })
        m.mapUint32Uint32 = map({ $0.randUint32() }, { $0.randUint32() })
        m.mapUint64Uint64 = map({ $0.randUint64() }, { $0.randUint64() })
        m.mapSint32Sint32 = map({ $0.randInt32() }, { $0.randInt32() })
        m.mapSint64Sint64 = map({ $0.randInt64() }, { $0.randInt64() })
        m.mapFixed32Fixed32 = map({ $0.randUint32() }, { $0.randUint32() })
        m.mapFixed64Fixed64 = map({ $0.randUint64() }, { $0.randUint64() })
        m.mapSfixed32Sfixed32 = map({ $0.randInt32() }, { $0.randInt32() })
        m.mapSfixed64Sfixed64 = map({ $0.randInt64() }, { $0.randInt64() })
        m.mapBoolBool = map({ $0.chance(50) }, { $0.chance(50) })
        m.mapStringString = map({ $0.randString() }, { $0.randString() })
        m.mapStringNestedMessage = map({ $0.randString() }, { $0.randNested() })
        m.mapInt32Color = map({ $0.randInt32() }, { $0.randColor() })
        m.mapStringBytes = map({ $0.randString() }, { $0.randData() })
        m.mapInt32Double = map({ $0.randInt32() }, { $0.randDouble() })
        m.mapInt32Float = map({ $0.randInt32() }, { $0.randFloat() })
        if p(50) {
            switch int(0..<(depth < 2 ? 10 : 9)) {
            case 0: m.oneofField = .oneofUint32(randUint32())
            case 1: m.oneofField = .oneofNestedMessage(randNested())
            case 2: m.oneofField = .oneofString(randString())
            case 3: m.oneofField = .oneofBytes(randData())
            case 4: m.oneofField = .oneofBool(p(50))
            case 5: m.oneofField = .oneofUint64(randUint64())
            case 6: m.oneofField = .oneofDouble(randDouble())
            case 7: m.oneofField = .oneofColor(randColor())
            case 8: m.oneofField = .oneofNullValue(.nullValue)
            default: m.oneofField = .oneofRecursive(formatAllTypes(depth: depth + 1, finite: finite))
            }
        }
        if depth < 2 && p(15) { m.recursive = formatAllTypes(depth: depth + 1, finite: finite) }
        if p(20) { m.optionalTimestamp = randTimestamp() }
        if p(20) { m.optionalDuration = randDuration() }
        if p(20) { m.optionalFieldMask = Google_Protobuf_FieldMask(paths: (0..<int(0...3)).map { _ in randFieldMaskPath() }) }
        if p(20) {
            var s = Google_Protobuf_Struct()
            for _ in 0..<int(0...3) { s.fields[randString()] = finite ? randFiniteValue() : randValue() }
            m.optionalStruct = s
        }
        if p(15) {
            switch int(0..<4) {
            case 0: m.optionalAny = Google_Protobuf_Any(packing: randNested())
            case 1: m.optionalAny = Google_Protobuf_Any(packing: randTimestamp())
            case 2: m.optionalAny = Google_Protobuf_Any(packing: Google_Protobuf_Int32Value(value: randInt32()))
            default: m.optionalAny = Google_Protobuf_Any(packing: randFiniteValue())
            }
        }
        if p(20) { m.optionalValue = finite ? randFiniteValue() : randValue() }
        if p(15) { m.optionalListValue = Google_Protobuf_ListValue(values: (0..<int(0...3)).map { _ in randFiniteValue() }) }
        if p(15) { m.optionalInt32Wrapper = Google_Protobuf_Int32Value(value: randInt32()) }
        if p(15) { m.optionalStringWrapper = Google_Protobuf_StringValue(value: randString()) }
        if p(15) { m.optionalBytesWrapper = Google_Protobuf_BytesValue(value: randData()) }
        if p(15) { m.optionalBoolWrapper = Google_Protobuf_BoolValue(value: p(50)) }
        if p(15) { m.optionalDoubleWrapper = Google_Protobuf_DoubleValue(value: randDouble()) }
        if p(15) { m.optionalUint64Wrapper = Google_Protobuf_UInt64Value(value: randUint64()) }
        if p(15) { m.optionalInt64Wrapper = Google_Protobuf_Int64Value(value: randInt64()) }
        if p(15) { m.optionalFloatWrapper = Google_Protobuf_FloatValue(value: randFloat()) }
        if p(15) { m.optionalUint32Wrapper = Google_Protobuf_UInt32Value(value: randUint32()) }
        if p(10) { m.optionalEmpty = Google_Protobuf_Empty() }
        if p(10) { m.optionalNullValue = Google_Protobuf_NullValue(rawValue: 0) }
        m.repeatedValue = list { $0.randFiniteValue() }
        m.repeatedTimestamp = list { $0.randTimestamp() }
        if p(20) { m.customJson = randInt32() }
        if p(20) { m.conventionField1 = randInt32() }
        if p(20) { m.conventionField3 = randInt32() }
        if p(20) { m.conventionField13 = randInt32() }
        if p(20) { m.conventionField18 = randInt32() }
        return m
    }
}

/// The registry the tests' `Any` values need.
let formatTestRegistry = TypeRegistry([FormatAllTypes.self])
