// The JSON writer's output, compared with JSON written out by hand: names, number forms,
// escapes, maps, the well-known types, the options, and what cannot be written.

import Foundation
import ProtoWire
import Testing

private typealias M = FormatAllTypes

private func json<T: ProtoMessage>(_ m: T, _ options: JSONEncodingOptions = JSONEncodingOptions(typeRegistry: formatTestRegistry)) throws -> String {
    try m.jsonString(options: options)
}

private func encodeError<T: ProtoMessage>(_ m: T) -> JSONEncodingError? {
    do throws(JSONEncodingError) {
        _ = try m.jsonString()
        return nil
    } catch {
        return error
    }
}

@Suite("JSON writing")
struct JSONEncodingTests {
    @Test func emptyAndDefaults() throws {
        #expect(try json(M()) == "{}")
        // Implicit-presence fields at their defaults are left out; fields with presence are
        // written when set, even to zero.
        var m = M()
        m.optionalInt32 = 0
        m.optionalString = ""
        m.proto3OptionalInt32 = 0
        m.proto3OptionalString = ""
        m.defaultedInt32 = 42
        m.oneofField = .oneofUint32(0)
        m.optionalNestedMessage = FormatNested()
        #expect(try json(m) == #"{"optionalNestedMessage":{},"proto3OptionalInt32":0,"proto3OptionalString":"","defaultedInt32":42,"oneofUint32":0}"#)
    }

    @Test func scalars() throws {
        var m = M()
        m.optionalInt32 = -2_147_483_648
        m.optionalInt64 = -9_223_372_036_854_775_808
        m.optionalUint32 = 4_294_967_295
        m.optionalUint64 = 18_446_744_073_709_551_615
        m.optionalSint32 = -1
        m.optionalSint64 = 1
        m.optionalFixed32 = 7
        m.optionalFixed64 = 8
        m.optionalSfixed32 = -9
        m.optionalSfixed64 = -10
        m.optionalFloat = 0.1
        m.optionalDouble = 0.1
        m.optionalBool = true
        m.optionalString = "s"
        m.optionalBytes = Data([0xFB, 0xFF])
        #expect(try json(m) == #"{"optionalInt32":-2147483648,"optionalInt64":"-9223372036854775808","optionalUint32":4294967295,"optionalUint64":"18446744073709551615","optionalSint32":-1,"optionalSint64":"1","optionalFixed32":7,"optionalFixed64":"8","optionalSfixed32":-9,"optionalSfixed64":"-10","optionalFloat":0.1,"optionalDouble":0.1,"optionalBool":true,"optionalString":"s","optionalBytes":"+/8="}"#)
    }

    @Test(arguments: [
        (1.0, "1"), (-0.0, "-0"), (0.1, "0.1"), (1e16, "1e+16"), (123456789012345.0, "123456789012345"),
        (1e-7, "1e-07"), (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"), (2.5e-8, "2.5e-08"),
        (0.30000000000000004, "0.30000000000000004"), (Double.infinity, #""Infinity""#), (-Double.infinity, #""-Infinity""#),
        (Double.nan, #""NaN""#), (Double(bitPattern: 0xFFFB_CBA9_8765_4321), #""NaN""#),
    ])
    func doubles(value: Double, expected: String) throws {
        var m = M()
        m.repeatedDouble = [value]
        #expect(try json(m) == #"{"repeatedDouble":[\#(expected)]}"#)
    }

    @Test(arguments: [
        (Float(0.1), "0.1"), (2.5, "2.5"), (Float.greatestFiniteMagnitude, "3.4028235e+38"), (1.17549435e-38, "1.1754944e-38"),
        (16_777_216, "16777216"), (1e10, "1e+10"), (Float.infinity, #""Infinity""#), (Float(bitPattern: 0x7FA1_2345), #""NaN""#),
    ])
    func floats(value: Float, expected: String) throws {
        var m = M()
        m.repeatedFloat = [value]
        #expect(try json(m) == #"{"repeatedFloat":[\#(expected)]}"#)
        // Whatever the form, it reads back as the same float.
        if !value.isNaN {
            #expect(try M(jsonString: json(m)).repeatedFloat == [value])
        }
    }

    @Test func stringEscapes() throws {
        var m = M()
        m.optionalString = "\"\\/\u{8}\u{C}\n\r\t\u{0}\u{1F}\u{7F}é😁 long enough to take the eight-byte path"
        #expect(try json(m) == #"{"optionalString":"\"\\/\b\f\n\r\t\u0000\u001f\#u{7F}é😁 long enough to take the eight-byte path"}"#)
    }

    @Test func enumsAndOptions() throws {
        var m = M()
        m.optionalColor = .infrared
        m.repeatedColor = [.red, .unrecognized(77)]
        m.optionalShape = .negative
        m.optionalNullValue = .nullValue
        m.oneofField = .oneofNullValue(.nullValue)
        m.mapInt32Color = [3: .green]
        #expect(try json(m) == #"{"optionalColor":"INFRARED","optionalShape":"NEGATIVE","repeatedColor":["RED",77],"mapInt32Color":{"3":"GREEN"},"oneofNullValue":null}"#)
        #expect(try json(m, JSONEncodingOptions(enumsAsIntegers: true)) == #"{"optionalColor":-5,"optionalShape":-1,"repeatedColor":[1,77],"mapInt32Color":{"3":2},"oneofNullValue":null}"#)
    }

    @Test func protoNamesAndCustomNames() throws {
        var m = M()
        m.conventionField3 = 3
        m.conventionField12 = 12
        m.customJson = 1
        m.proto3OptionalInt32 = 5
        #expect(try json(m) == #"{"proto3OptionalInt32":5,"renamed":1,"FieldName3":3,"FIELDName12":12}"#)
        #expect(try json(m, JSONEncodingOptions(preserveProtoFieldNames: true)) == #"{"proto3_optional_int32":5,"custom_json":1,"_field_name3":3,"FIELD_name12":12}"#)
    }

    @Test func alwaysPrintFieldsWithoutPresence() throws {
        var n = FormatNested()
        #expect(try n.jsonString(options: JSONEncodingOptions(alwaysPrintFieldsWithoutPresence: true)) == #"{"a":0,"b":""}"#)
        n.b = "x"
        #expect(try n.jsonString(options: JSONEncodingOptions(alwaysPrintFieldsWithoutPresence: true, preserveProtoFieldNames: true)) == #"{"a":0,"b":"x"}"#)
        let all = try json(M(), JSONEncodingOptions(alwaysPrintFieldsWithoutPresence: true))
        // Lists, maps, scalars appear; optional fields, messages and the oneof do not.
        #expect(all.contains(#""repeatedInt32":[]"#) && all.contains(#""mapBoolBool":{}"#) && all.contains(#""optionalInt64":"0""#))
        #expect(!all.contains("proto3OptionalInt32") && !all.contains("optionalNestedMessage") && !all.contains("oneof"))
        #expect(!all.contains("defaultedInt32") && !all.contains("optionalTimestamp"))
    }

    @Test func listsAndMapsInKeyOrder() throws {
        var m = M()
        m.repeatedInt64 = [1, -2]
        m.repeatedNestedMessage = [FormatNested(), FormatNested.with { $0.a = 1 }]
        m.mapInt32Int32 = [10: 1, -5: 2, 3: 3]
        m.mapUint64Uint64 = [.max: 1]
        m.mapBoolBool = [true: true, false: false]
        m.mapStringString = ["b": "1", "a": "2", "é": "3", "Z": "4"]
        m.mapInt32Double = [1: .nan]
        #expect(try json(m) == #"{"repeatedInt64":["1","-2"],"repeatedNestedMessage":[{},{"a":1}],"mapInt32Int32":{"-5":2,"3":3,"10":1},"mapUint64Uint64":{"18446744073709551615":"1"},"mapBoolBool":{"false":false,"true":true},"mapStringString":{"Z":"4","a":"2","b":"1","é":"3"},"mapInt32Double":{"1":"NaN"}}"#)
    }

    @Test func wellKnownTypes() throws {
        var m = M()
        m.optionalTimestamp = Google_Protobuf_Timestamp(seconds: 1_484_443_815, nanos: 10_000_000)
        m.repeatedTimestamp = [
            Google_Protobuf_Timestamp(seconds: -62_135_596_800), Google_Protobuf_Timestamp(seconds: 253_402_300_799, nanos: 999_999_999),
            Google_Protobuf_Timestamp(seconds: 0, nanos: 10_000), Google_Protobuf_Timestamp(seconds: -1, nanos: 1),
        ]
        m.optionalDuration = Google_Protobuf_Duration(seconds: -1, nanos: -10_000)
        m.optionalFieldMask = Google_Protobuf_FieldMask(paths: ["foo", "bar_baz.qux_quux", "a1"])
        m.optionalStruct = ["z": nil, "a": [1.5, "x", true, ["k": []]]]
        m.optionalValue = "v"
        m.optionalListValue = [1, nil]
        m.optionalInt32Wrapper = 0
        m.optionalInt64Wrapper = -1
        m.optionalUint64Wrapper = 1
        m.optionalStringWrapper = "w"
        m.optionalBytesWrapper = [1]
        m.optionalBoolWrapper = false
        m.optionalDoubleWrapper = Google_Protobuf_DoubleValue(.infinity)
        m.optionalEmpty = Google_Protobuf_Empty()
        #expect(try json(m) == #"{"optionalTimestamp":"2017-01-15T01:30:15.010Z","optionalDuration":"-1.000010s","optionalFieldMask":"foo,barBaz.quxQuux,a1","optionalStruct":{"a":[1.5,"x",true,{"k":[]}],"z":null},"optionalValue":"v","optionalListValue":[1,null],"optionalInt32Wrapper":0,"optionalStringWrapper":"w","optionalBytesWrapper":"AQ==","optionalBoolWrapper":false,"optionalDoubleWrapper":"Infinity","optionalUint64Wrapper":"1","optionalEmpty":{},"repeatedTimestamp":["0001-01-01T00:00:00Z","9999-12-31T23:59:59.999999999Z","1970-01-01T00:00:00.000010Z","1969-12-31T23:59:59.000000001Z"],"optionalInt64Wrapper":"-1"}"#)
        // Durations with 0, 3, 6 and 9 fraction digits, and the sign of a fraction alone.
        for (seconds, nanos, text) in [(Int64(1), Int32(0), "1s"), (1, 10_000_000, "1.010s"), (1, 10_000, "1.000010s"),
                                        (1, 10, "1.000000010s"), (0, -500_000_000, "-0.500s"), (-315_576_000_000, -999_999_999, "-315576000000.999999999s")] {
            #expect(try Google_Protobuf_Duration(seconds: seconds, nanos: nanos).jsonString() == "\"\(text)\"")
        }
        // Any: the packed message's fields after "@type", or "value" for a well-known type.
        var any = M()
        any.optionalAny = Google_Protobuf_Any(packing: M.with { $0.optionalInt32 = 12345 })
        #expect(try json(any) == #"{"optionalAny":{"@type":"type.googleapis.com/test.FormatAllTypes","optionalInt32":12345}}"#)
        any.optionalAny = Google_Protobuf_Any(packing: Google_Protobuf_Any(packing: Google_Protobuf_Duration(seconds: 1)))
        #expect(try json(any) == #"{"optionalAny":{"@type":"type.googleapis.com/google.protobuf.Any","value":{"@type":"type.googleapis.com/google.protobuf.Duration","value":"1s"}}}"#)
        any.optionalAny = Google_Protobuf_Any(packing: Google_Protobuf_Empty(), typePrefix: "example.com/x")
        #expect(try json(any) == #"{"optionalAny":{"@type":"example.com/x/google.protobuf.Empty"}}"#)
        any.optionalAny = Google_Protobuf_Any()
        #expect(try json(any) == #"{"optionalAny":{}}"#)
    }

    @Test func whatJSONCannotHold() {
        for (t, ok) in [(Google_Protobuf_Timestamp(seconds: -62_135_596_801), false), (Google_Protobuf_Timestamp(seconds: 253_402_300_800), false),
                        (Google_Protobuf_Timestamp(seconds: 0, nanos: -1), false), (Google_Protobuf_Timestamp(seconds: 0, nanos: 1_000_000_000), false),
                        (Google_Protobuf_Timestamp(seconds: 253_402_300_799, nanos: 999_999_999), true)] {
            let e = encodeError(M.with { $0.optionalTimestamp = t })
            #expect((e == nil) == ok, "\(t): \(String(describing: e))")
            if let e {
                #expect(e.code == .invalidTimestamp)
                #expect(e.path == "$.optionalTimestamp")
            }
        }
        for d in [Google_Protobuf_Duration(seconds: 315_576_000_001), Google_Protobuf_Duration(seconds: -315_576_000_001),
                  Google_Protobuf_Duration(seconds: 1, nanos: -1), Google_Protobuf_Duration(seconds: -1, nanos: 1),
                  Google_Protobuf_Duration(seconds: 0, nanos: 1_000_000_000)] {
            #expect(encodeError(M.with { $0.repeatedValue = []; $0.optionalDuration = d })?.code == .invalidDuration)
        }
        for path in ["fooBar", "foo_3_bar", "foo__bar", "foo_", "foo_.bar"] {
            let e = encodeError(M.with { $0.optionalFieldMask = Google_Protobuf_FieldMask(paths: ["ok", path]) })
            #expect(e?.code == .invalidFieldMask, "\(path)")
        }
        #expect(encodeError(M.with { $0.optionalValue = Google_Protobuf_Value(Double.nan) })?.code == .invalidValue)
        #expect(encodeError(M.with { $0.optionalValue = Google_Protobuf_Value() })?.code == .invalidValue)
        let deep = encodeError(M.with { $0.optionalStruct = ["a": ["b": [1, Google_Protobuf_Value(Double.infinity)]]] })
        #expect(deep?.code == .invalidValue)
        #expect(deep?.path == #"$.optionalStruct.a.b[1]"#)
        let unknownAny = encodeError(M.with { $0.optionalAny = Google_Protobuf_Any(typeUrl: "type.googleapis.com/no.Such", value: Data()) })
        #expect(unknownAny?.code == .invalidAny)
        #expect(unknownAny?.description.contains("no.Such") == true)
        let badBytes = encodeError(M.with { $0.optionalAny = Google_Protobuf_Any(typeUrl: "type.googleapis.com/google.protobuf.Duration", value: Data([0xFF])) })
        #expect(badBytes?.code == .invalidAny)
    }

    @Test func messagesWithoutFieldTables() {
        // TestAllKinds is written like code generated before the field hook: no schema.
        var legacy = TestAllKinds()
        legacy.int32 = 5
        do throws(JSONEncodingError) {
            _ = try legacy.jsonString()
            Issue.record("a message without a field table was written as JSON")
        } catch {
            #expect(error.code == .unsupportedMessage)
            #expect(error.message.contains("test.TestAllKinds"))
        }
        #expect(throws: JSONDecodingError.self) { try TestAllKinds(jsonString: "{}") }
    }
}
