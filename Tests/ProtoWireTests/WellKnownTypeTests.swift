// Tests for the hand-written well-known type helpers in
// Sources/ProtoWire/WellKnownTypes/*+Helpers.swift. Expected wire bytes are
// written out by hand, not produced by the code under test.

import Foundation
import ProtoWire
import Testing

private typealias Timestamp = Google_Protobuf_Timestamp
private typealias PDuration = Google_Protobuf_Duration
private typealias AnyMessage = Google_Protobuf_Any
private typealias PStruct = Google_Protobuf_Struct
private typealias PValue = Google_Protobuf_Value
private typealias ListValue = Google_Protobuf_ListValue
private typealias FieldMask = Google_Protobuf_FieldMask

/// Runs `body` and returns the typed error it throws, or nil if it returns normally.
private func thrownError<E: Error, T>(_ body: () throws(E) -> T) -> E? {
    do throws(E) {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (an independent check
/// of the Timestamp range constants).
private func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let monthFromMarch = (month + 9) % 12
    let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
}

@Suite struct WellKnownTypeTests {
    // MARK: Timestamp

    @Test(arguments: [
        (1.5, Int64(1), Int32(500_000_000)),
        (-1.5, -2, 500_000_000),
        (-0.25, -1, 750_000_000),
        (-1.25, -2, 750_000_000),
        (0, 0, 0),
        (-86_400, -86_400, 0),
        (1_700_000_000.25, 1_700_000_000, 250_000_000),
    ])
    func timestampFromSecondsSince1970IsNormalized(interval: Double, seconds: Int64, nanos: Int32) throws {
        let fromInterval = try Timestamp(timeIntervalSince1970: interval)
        #expect(fromInterval.seconds == seconds)
        #expect(fromInterval.nanos == nanos)
        let fromDate = try Timestamp(date: Date(timeIntervalSince1970: interval))
        #expect(fromDate.seconds == seconds)
        #expect(fromDate.nanos == nanos)
    }

    @Test(arguments: [
        0.0, 1.5, -1.5, -0.25, 0.000_001, -1e-6,
        1_700_000_000.123_456, -1_700_000_000.654_321,
        -15_000_000_000.5,  // before year 1500
        200_000_000_000.75,  // around year 8300
    ])
    func timestampDateRoundTrip(interval: Double) throws {
        let date = Date(timeIntervalSince1970: interval)
        let timestamp = try Timestamp(date: date)
        #expect(timestamp.date == date)
        #expect((0..<1_000_000_000).contains(timestamp.nanos))
        let decoded = try Timestamp(serializedBytes: timestamp.serializedBytes())
        #expect(decoded == timestamp)
        #expect(decoded.date == date)
    }

    @Test func timestampKnownEncodings() throws {
        // 1970-01-01T00:00:01.5Z: seconds 1, nanos 500,000,000.
        let positive = try Timestamp(date: Date(timeIntervalSince1970: 1.5))
        #expect(positive.serializedBytes() == [0x08, 0x01, 0x10, 0x80, 0xCA, 0xB5, 0xEE, 0x01])

        // 1969-12-31T23:59:58.5Z: seconds -2 (ten-byte varint), nanos 500,000,000.
        let negative = try Timestamp(date: Date(timeIntervalSince1970: -1.5))
        #expect(negative.serializedBytes() == [0x08, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
                                               0x10, 0x80, 0xCA, 0xB5, 0xEE, 0x01])

        let decoded = try Timestamp(serializedBytes: [0x08, 0x01, 0x10, 0x80, 0xCA, 0xB5, 0xEE, 0x01])
        #expect(decoded.date == Date(timeIntervalSince1970: 1.5))
        #expect(decoded.timeIntervalSince1970 == 1.5)
    }

    @Test func timestampRejectsUnrepresentableInput() {
        let nan = thrownError { () throws(WellKnownTypeError) in try Timestamp(timeIntervalSince1970: .nan) }
        #expect(nan?.code == .notFinite)
        #expect(nan?.messageName == "google.protobuf.Timestamp")
        let infiniteDate = thrownError { () throws(WellKnownTypeError) in
            try Timestamp(date: Date(timeIntervalSinceReferenceDate: -.infinity))
        }
        #expect(infiniteDate?.code == .notFinite)
        let huge = thrownError { () throws(WellKnownTypeError) in try Timestamp(timeIntervalSince1970: 1e19) }
        #expect(huge?.code == .outOfRange)
        let hugeDate = thrownError { () throws(WellKnownTypeError) in
            try Timestamp(date: Date(timeIntervalSinceReferenceDate: -1e300))
        }
        #expect(hugeDate?.code == .outOfRange)
        // Fits in an Int64 relative to 2001 (2^63 - 1024), but not once shifted to 1970.
        let edgeDate = thrownError { () throws(WellKnownTypeError) in
            try Timestamp(date: Date(timeIntervalSinceReferenceDate: 9_223_372_036_854_774_784))
        }
        #expect(edgeDate?.code == .outOfRange)
        // Large but representable: converts, and is merely invalid.
        let farFuture = thrownError { () throws(WellKnownTypeError) in try Timestamp(timeIntervalSince1970: 1e18) }
        #expect(farFuture == nil)
    }

    @Test func timestampValidRange() throws {
        let first = Int64(daysSinceEpoch(year: 1, month: 1, day: 1)) * 86_400
        let lastDayStart = Int64(daysSinceEpoch(year: 9999, month: 12, day: 31)) * 86_400
        #expect(Timestamp.minValidSeconds == first)
        #expect(Timestamp.maxValidSeconds == lastDayStart + 86_399)

        #expect(Timestamp(seconds: first, nanos: 0).isValid)
        #expect(!Timestamp(seconds: first - 1, nanos: 999_999_999).isValid)
        #expect(Timestamp(seconds: lastDayStart + 86_399, nanos: 999_999_999).isValid)
        #expect(!Timestamp(seconds: lastDayStart + 86_400, nanos: 0).isValid)
        #expect(!Timestamp(seconds: 0, nanos: -1).isValid)
        #expect(!Timestamp(seconds: 0, nanos: 1_000_000_000).isValid)
        #expect(try Timestamp(timeIntervalSince1970: -1.5).isValid)
        #expect(try !Timestamp(timeIntervalSince1970: 1e18).isValid)
    }

    @Test func timestampNormalized() throws {
        // One nanosecond before the epoch (not representable as a Date, whose Double is
        // relative to 2001, so only via seconds since 1970).
        let justBefore = try Timestamp(timeIntervalSince1970: -1e-9)
        #expect(justBefore.seconds == -1 && justBefore.nanos == 999_999_999)
        let a = try Timestamp(seconds: 0, nanos: -500_000_000).normalized()
        #expect(a.seconds == -1 && a.nanos == 500_000_000)
        let b = try Timestamp(seconds: 1, nanos: 1_500_000_000).normalized()
        #expect(b.seconds == 2 && b.nanos == 500_000_000)
        let c = try Timestamp(seconds: 5, nanos: -2_000_000_000).normalized()
        #expect(c.seconds == 3 && c.nanos == 0)
        let overflow = thrownError { () throws(WellKnownTypeError) in
            try Timestamp(seconds: .max, nanos: 1_000_000_000).normalized()
        }
        #expect(overflow?.code == .outOfRange)
        let underflow = thrownError { () throws(WellKnownTypeError) in
            try Timestamp(seconds: .min, nanos: -1).normalized()
        }
        #expect(underflow?.code == .outOfRange)
    }

    @Test func timestampOrdering() throws {
        let times = try [-1.5, -0.25, 0, 1e-9, 1.5, 2].map { (t: Double) throws(WellKnownTypeError) in
            try Timestamp(timeIntervalSince1970: t)
        }
        #expect(times.shuffled().sorted() == times)
        #expect(Timestamp(seconds: -2, nanos: 999_999_999) < Timestamp(seconds: -1, nanos: 0))
        #expect(!(Timestamp(seconds: 1, nanos: 5) < Timestamp(seconds: 1, nanos: 5)))
        #expect(Timestamp(seconds: 1, nanos: 6) > Timestamp(seconds: 1, nanos: 5))
    }

    @Test func timestampNow() {
        let before = Date()
        let now = Timestamp.now()
        let after = Date()
        #expect(now.isValid)
        #expect(now.date.timeIntervalSince(before) > -0.001)
        #expect(after.timeIntervalSince(now.date) > -0.001)
        #expect(now.seconds > 1_700_000_000)
    }

    // MARK: Duration

    @Test(arguments: [
        (-1.5, Int64(-1), Int32(-500_000_000)),
        (1.5, 1, 500_000_000),
        (-0.5, 0, -500_000_000),
        (0.5, 0, 500_000_000),
        (-2, -2, 0),
        (1e-9, 0, 1),
        (-1e-9, 0, -1),
        (-0.999_999_999_9, -1, 0),  // rounds to a whole second: the carry keeps the sign
        (315_576_000_000, 315_576_000_000, 0),
    ])
    func durationFromTimeIntervalKeepsSign(interval: Double, seconds: Int64, nanos: Int32) throws {
        let duration = try PDuration(timeInterval: interval)
        #expect(duration.seconds == seconds)
        #expect(duration.nanos == nanos)
        #expect(duration.isValid)
    }

    @Test func durationTimeIntervalRoundTrip() throws {
        for interval in [-1.5, 1.5, -0.25, 3600.125, -86_400.5, 0] {
            #expect(try PDuration(timeInterval: interval).timeInterval == interval)
        }
        #expect(PDuration(seconds: -1, nanos: -500_000_000).timeInterval == -1.5)
    }

    @Test func durationKnownEncoding() throws {
        // -1.5 s: seconds -1 and nanos -500,000,000, both ten-byte varints.
        let bytes: [UInt8] = [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
                              0x10, 0x80, 0xB6, 0xCA, 0x91, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
        #expect(try PDuration(timeInterval: -1.5).serializedBytes() == bytes)
        #expect(try PDuration(.milliseconds(-1500)).serializedBytes() == bytes)
        #expect(try PDuration(serializedBytes: bytes).swiftDuration == .milliseconds(-1500))
    }

    @Test(arguments: [
        (Swift.Duration.seconds(-1.5), Int64(-1), Int32(-500_000_000)),
        (.milliseconds(2500), 2, 500_000_000),
        (.nanoseconds(-7), 0, -7),
        (.seconds(-3), -3, 0),
        (.zero, 0, 0),
        // Attoseconds round to the nearest nanosecond, ties away from zero.
        (Swift.Duration(secondsComponent: 0, attosecondsComponent: 1_499_999_999), 0, 1),
        (Swift.Duration(secondsComponent: 0, attosecondsComponent: 1_500_000_000), 0, 2),
        (Swift.Duration(secondsComponent: 0, attosecondsComponent: -1_500_000_000), 0, -2),
        (Swift.Duration(secondsComponent: 0, attosecondsComponent: -1_499_999_999), 0, -1),
        (Swift.Duration(secondsComponent: 0, attosecondsComponent: 499_999_999), 0, 0),
        // Rounding up to a whole second carries into `seconds`, keeping the sign.
        (Swift.Duration(secondsComponent: 4, attosecondsComponent: 999_999_999_500_000_000), 5, 0),
        (Swift.Duration(secondsComponent: -4, attosecondsComponent: -999_999_999_500_000_000), -5, 0),
        (Swift.Duration(secondsComponent: -4, attosecondsComponent: -999_999_999_499_999_999), -4, -999_999_999),
    ])
    func durationFromSwiftDuration(duration: Swift.Duration, seconds: Int64, nanos: Int32) throws {
        let converted = try PDuration(duration)
        #expect(converted.seconds == seconds)
        #expect(converted.nanos == nanos)
    }

    @Test func durationSwiftDurationRoundTrip() throws {
        let values: [Swift.Duration] = [
            .seconds(-1.5), .nanoseconds(1), .nanoseconds(-1), .seconds(315_576_000_000),
            .seconds(-315_576_000_000) - .nanoseconds(999_999_999), .milliseconds(123_456_789),
        ]
        for value in values {
            let proto = try PDuration(value)
            #expect(proto.swiftDuration == value)
            #expect(Swift.Duration(proto) == value)
            #expect(try PDuration(serializedBytes: proto.serializedBytes()) == proto)
        }
        // Fields of mixed sign are summed rather than rejected.
        #expect(PDuration(seconds: 1, nanos: -500_000_000).swiftDuration == .milliseconds(500))
    }

    @Test func durationRejectsUnrepresentableInput() throws {
        let tooLong = thrownError { () throws(WellKnownTypeError) in try PDuration(.seconds(Int64.max) * 2) }
        #expect(tooLong?.code == .outOfRange)
        #expect(tooLong?.messageName == "google.protobuf.Duration")
        let tooNegative = thrownError { () throws(WellKnownTypeError) in try PDuration(.seconds(Int64.min) * 3) }
        #expect(tooNegative?.code == .outOfRange)
        // Just below the limit converts; rounding up would overflow `seconds`, so the limit excludes it.
        let edge = Swift.Duration(secondsComponent: .max, attosecondsComponent: 999_999_999_400_000_000)
        #expect(try PDuration(edge) == PDuration(seconds: .max, nanos: 999_999_999))
        let overEdge = Swift.Duration(secondsComponent: .max, attosecondsComponent: 999_999_999_500_000_000)
        #expect(thrownError { () throws(WellKnownTypeError) in try PDuration(overEdge) }?.code == .outOfRange)

        let nan = thrownError { () throws(WellKnownTypeError) in try PDuration(timeInterval: .nan) }
        #expect(nan?.code == .notFinite)
        let inf = thrownError { () throws(WellKnownTypeError) in try PDuration(timeInterval: .infinity) }
        #expect(inf?.code == .notFinite)
        let huge = thrownError { () throws(WellKnownTypeError) in try PDuration(timeInterval: -1e19) }
        #expect(huge?.code == .outOfRange)
    }

    @Test func durationValidity() {
        #expect(PDuration(seconds: -1, nanos: -500_000_000).isValid)
        #expect(PDuration(seconds: 0, nanos: -999_999_999).isValid)
        #expect(PDuration(seconds: 315_576_000_000, nanos: 999_999_999).isValid)
        #expect(!PDuration(seconds: 315_576_000_001, nanos: 0).isValid)
        #expect(!PDuration(seconds: -315_576_000_001, nanos: 0).isValid)
        #expect(!PDuration(seconds: -1, nanos: 500_000_000).isValid)
        #expect(!PDuration(seconds: 1, nanos: -1).isValid)
        #expect(!PDuration(seconds: 0, nanos: 1_000_000_000).isValid)
    }

    @Test func durationNormalized() throws {
        let cases: [(PDuration, Int64, Int32)] = [
            (PDuration(seconds: 1, nanos: -1_500_000_000), 0, -500_000_000),
            (PDuration(seconds: -1, nanos: 500_000_000), 0, -500_000_000),
            (PDuration(seconds: 2, nanos: -500_000_000), 1, 500_000_000),
            (PDuration(seconds: 0, nanos: 2_100_000_000), 2, 100_000_000),
            (PDuration(seconds: -3, nanos: -1_000_000_000), -4, 0),
        ]
        for (input, seconds, nanos) in cases {
            let n = try input.normalized()
            #expect(n.seconds == seconds && n.nanos == nanos, "\(input)")
            #expect(n.isValid)
            #expect(n.swiftDuration == input.swiftDuration)
        }
        let overflow = thrownError { () throws(WellKnownTypeError) in
            try PDuration(seconds: .max, nanos: 1_000_000_000).normalized()
        }
        #expect(overflow?.code == .outOfRange)
    }

    @Test func durationOrdering() throws {
        let spans = try [-2, -1.5, -1.2, -0.5, -1e-9, 0, 0.5, 1.5].map { (t: Double) throws(WellKnownTypeError) in
            try PDuration(timeInterval: t)
        }
        #expect(spans.reversed().sorted() == spans)
        #expect(spans.shuffled().sorted() == spans)
        #expect(spans.max() == PDuration(seconds: 1, nanos: 500_000_000))
    }

    // MARK: Any

    @Test func anyPackAndUnpack() throws {
        let duration = PDuration(seconds: 3, nanos: 7)
        let any = AnyMessage(packing: duration)
        #expect(any.typeUrl == "type.googleapis.com/google.protobuf.Duration")
        #expect(any.typeName == "google.protobuf.Duration")
        #expect(Array(any.value) == [0x08, 0x03, 0x10, 0x07])
        #expect(any.isA(PDuration.self))
        #expect(!any.isA(Timestamp.self))
        #expect(try any.unpack(PDuration.self) == duration)

        // Through the wire and back.
        let decoded = try AnyMessage(serializedBytes: any.serializedBytes())
        #expect(try decoded.unpack(PDuration.self) == duration)
    }

    @Test func anyTypePrefix() {
        let empty = Google_Protobuf_Empty()
        #expect(AnyMessage(packing: empty, typePrefix: "example.com/types").typeUrl == "example.com/types/google.protobuf.Empty")
        #expect(AnyMessage(packing: empty, typePrefix: "example.com/types/").typeUrl == "example.com/types/google.protobuf.Empty")
        #expect(AnyMessage(packing: empty, typePrefix: "example.com/types").isA(Google_Protobuf_Empty.self))
        #expect(AnyMessage(typeUrl: "foo.bar.com/x/y.z").typeName == "y.z")
        #expect(AnyMessage(typeUrl: "google.protobuf.Empty").typeName == "google.protobuf.Empty")
        #expect(AnyMessage(typeUrl: "example.com/").typeName == "")
        #expect(!AnyMessage(typeUrl: "example.com/google.protobuf.EmptyX").isA(Google_Protobuf_Empty.self))
    }

    @Test func anyUnpackTypeMismatch() {
        let any = AnyMessage(packing: PDuration(seconds: 1))
        let error = thrownError { () throws(AnyUnpackError) in try any.unpack(Timestamp.self) }
        #expect(error == .typeMismatch(expected: "google.protobuf.Timestamp",
                                       typeURL: "type.googleapis.com/google.protobuf.Duration"))
        // A prefix that merely ends like the right name is not a match.
        let lookalike = AnyMessage(typeUrl: "type.googleapis.com/xgoogle.protobuf.Duration", value: Data([0x08, 0x01]))
        let lookalikeError = thrownError { () throws(AnyUnpackError) in try lookalike.unpack(PDuration.self) }
        #expect(lookalikeError == .typeMismatch(expected: "google.protobuf.Duration",
                                                typeURL: "type.googleapis.com/xgoogle.protobuf.Duration"))
    }

    @Test func anyUnpackPassesOnDecodeErrors() {
        // Field 1 as a varint whose continuation byte never comes.
        let any = AnyMessage(typeUrl: "type.googleapis.com/google.protobuf.Duration", value: Data([0x08, 0x80]))
        let error = thrownError { () throws(AnyUnpackError) in try any.unpack(PDuration.self) }
        guard case .malformedValue(let decodeError)? = error else {
            Issue.record("expected .malformedValue, got \(String(describing: error))")
            return
        }
        #expect(decodeError.code == .truncated)
        #expect(decodeError.fieldNumber == 1)
    }

    // MARK: Struct, Value, ListValue

    @Test func valueLiterals() {
        let null: PValue = nil
        let float: PValue = 1.5
        let integer: PValue = -2
        let string: PValue = "hi"
        let bool: PValue = true
        let list: PValue = [1, "a", nil]
        let object: PValue = ["k": false]
        #expect(null.kind == .nullValue(.nullValue))
        #expect(null == .null)
        #expect(float.kind == .numberValue(1.5))
        #expect(integer.kind == .numberValue(-2))
        #expect(string.kind == .stringValue("hi"))
        #expect(bool.kind == .boolValue(true))
        #expect(list.kind == .listValue(ListValue(values: [
            PValue(kind: .numberValue(1)), PValue(kind: .stringValue("a")), PValue(kind: .nullValue(.nullValue)),
        ])))
        #expect(object.kind == .structValue(PStruct(fields: ["k": PValue(kind: .boolValue(false))])))

        #expect(PValue(2.5).kind == .numberValue(2.5))
        #expect(PValue("s").kind == .stringValue("s"))
        #expect(PValue(false).kind == .boolValue(false))
        #expect(PValue(PStruct()).kind == .structValue(PStruct()))
        #expect(PValue(ListValue()).kind == .listValue(ListValue()))
    }

    @Test func structLiteralRoundTrip() throws {
        let config: PStruct = [
            "name": "demo",
            "retries": 3,
            "ratio": 0.25,
            "verbose": false,
            "parent": nil,
            "tags": ["a", "b", 7],
            "limits": ["cpu": 2, "nested": ["deep": [true, nil]]],
        ]
        #expect(config.fields.count == 7)
        #expect(config["retries"]?.kind == .numberValue(3))
        #expect(config["parent"]?.kind == .nullValue(.nullValue))
        guard case .structValue(let limits)? = config["limits"]?.kind else {
            Issue.record("limits is not a struct")
            return
        }
        #expect(limits["cpu"] == 2)

        let bytes = config.serializedBytes()
        let decoded = try PStruct(serializedBytes: bytes)
        #expect(decoded == config)
        #expect(decoded.serializedBytes() == bytes)

        let list: ListValue = [1, "two", [3]]
        #expect(try ListValue(serializedBytes: list.serializedBytes()) == list)
        #expect(list.values.count == 3)
    }

    @Test func structKnownEncoding() throws {
        // {"a": 1.0}: field 1 holds a map entry (key "a", value a Value whose field 2 is the double 1.0).
        let bytes: [UInt8] = [0x0A, 0x0E,
                              0x0A, 0x01, 0x61,
                              0x12, 0x09, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F]
        let literal: PStruct = ["a": 1]
        #expect(literal.serializedBytes() == bytes)
        #expect(try PStruct(serializedBytes: bytes) == literal)
    }

    @Test func structSubscript() {
        var s: PStruct = ["a": 1, "a ": 2]
        #expect(s["a"] == 1)
        #expect(s["missing"] == nil)  // absent, not a protobuf null
        s["b"] = "x"
        #expect(s.fields["b"]?.kind == .stringValue("x"))
        s["c"] = .null
        #expect(s.fields["c"]?.kind == .nullValue(.nullValue))
        s["a"] = nil
        #expect(s.fields["a"] == nil)
        #expect(s.fields.keys.sorted() == ["a ", "b", "c"])

        // A repeated key in a literal does not trap: the last one wins.
        let repeated: PStruct = ["k": 1, "k": 2]
        #expect(repeated.fields == ["k": PValue(kind: .numberValue(2))])
        let repeatedValue: PValue = ["k": "first", "k": "last"]
        #expect(repeatedValue.kind == .structValue(PStruct(fields: ["k": PValue(kind: .stringValue("last"))])))
    }

    // MARK: Wrappers

    @Test func wrapperLiteralsAndInitializers() {
        let d: Google_Protobuf_DoubleValue = 2.5
        let dInt: Google_Protobuf_DoubleValue = 3
        let f: Google_Protobuf_FloatValue = 0.5
        let fInt: Google_Protobuf_FloatValue = -4
        let i64: Google_Protobuf_Int64Value = -9_000_000_000
        let u64: Google_Protobuf_UInt64Value = 18_000_000_000_000_000_000
        let i32: Google_Protobuf_Int32Value = -7
        let u32: Google_Protobuf_UInt32Value = 4_000_000_000
        let b: Google_Protobuf_BoolValue = true
        let s: Google_Protobuf_StringValue = "héllo"
        let bytes: Google_Protobuf_BytesValue = [0xCA, 0xFE]
        #expect(d.value == 2.5 && dInt.value == 3)
        #expect(f.value == 0.5 && fInt.value == -4)
        #expect(i64.value == -9_000_000_000)
        #expect(u64.value == 18_000_000_000_000_000_000)
        #expect(i32.value == -7)
        #expect(u32.value == 4_000_000_000)
        #expect(b.value == true)
        #expect(s.value == "héllo")
        #expect(bytes.value == Data([0xCA, 0xFE]))

        #expect(Google_Protobuf_DoubleValue(2.5) == d)
        #expect(Google_Protobuf_FloatValue(0.5) == f)
        #expect(Google_Protobuf_Int64Value(-9_000_000_000) == i64)
        #expect(Google_Protobuf_UInt64Value(18_000_000_000_000_000_000) == u64)
        #expect(Google_Protobuf_Int32Value(-7) == i32)
        #expect(Google_Protobuf_UInt32Value(4_000_000_000) == u32)
        #expect(Google_Protobuf_BoolValue(true) == b)
        #expect(Google_Protobuf_StringValue("héllo") == s)
        #expect(Google_Protobuf_BytesValue(Data([0xCA, 0xFE])) == bytes)
    }

    @Test func wrapperEncodings() throws {
        let i32: Google_Protobuf_Int32Value = 150
        #expect(i32.serializedBytes() == [0x08, 0x96, 0x01])
        let b: Google_Protobuf_BoolValue = true
        #expect(b.serializedBytes() == [0x08, 0x01])
        let s: Google_Protobuf_StringValue = "hi"
        #expect(s.serializedBytes() == [0x0A, 0x02, 0x68, 0x69])
        let bytes: Google_Protobuf_BytesValue = [0xCA, 0xFE]
        #expect(bytes.serializedBytes() == [0x0A, 0x02, 0xCA, 0xFE])
        let d: Google_Protobuf_DoubleValue = 1
        #expect(d.serializedBytes() == [0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F])
        #expect(try Google_Protobuf_Int32Value(serializedBytes: [0x08, 0x96, 0x01]) == 150)
    }

    // MARK: FieldMask

    @Test func fieldMaskInitializers() {
        let variadic = FieldMask(paths: "a.b", "c")
        #expect(variadic.paths == ["a.b", "c"])
        #expect(FieldMask(["a.b", "c"]) == variadic)
        #expect(FieldMask(paths: ["a.b", "c"]) == variadic)
        #expect(FieldMask(paths: "only").paths == ["only"])
    }

    @Test(arguments: [
        ("a.b", true),
        ("a.b.c", true),
        ("a.b.c.d", true),
        ("x", true),
        ("x.y", true),
        ("a", false),  // a parent of a listed path is not covered
        ("a.bc", false),  // shares a prefix but is not a child
        ("a.c", false),
        ("xy", false),
        ("", false),
        ("b", false),
    ])
    func fieldMaskContains(path: String, covered: Bool) {
        let mask = FieldMask(paths: "a.b", "x")
        #expect(mask.contains(path: path) == covered)
    }

    @Test func emptyFieldMaskContainsNothing() {
        #expect(!FieldMask().contains(path: "a"))
        #expect(!FieldMask().contains(path: ""))
    }
}
