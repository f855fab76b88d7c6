// The JSON reader against the protobuf JSON mapping's rules, case by case: what must be
// accepted (and what it means) and what must be refused (with which code, path and offset).
// Most cases follow the conformance suite's JSON tests; the expected messages are built in
// Swift, not parsed.

import Foundation
import ProtoWire
import Testing
import TestSupport

private typealias M = FormatAllTypes

/// Decodes `json` as `FormatAllTypes`, or returns the error.
private func decode(_ json: String, ignoreUnknown: Bool = false) -> Result<M, JSONDecodingError> {
    do throws(JSONDecodingError) {
        return .success(try M(jsonString: json, options: JSONDecodingOptions(ignoreUnknownFields: ignoreUnknown, typeRegistry: formatTestRegistry)))
    } catch {
        return .failure(error)
    }
}

private func expectDecodes(
    _ json: String, ignoreUnknown: Bool = false, sourceLocation: SourceLocation = #_sourceLocation, _ build: (inout M) -> Void
) {
    var expected = M()
    build(&expected)
    switch decode(json, ignoreUnknown: ignoreUnknown) {
    case .success(let m): #expect(m == expected, "\(json)", sourceLocation: sourceLocation)
    case .failure(let e): Issue.record("\(json) failed: \(e)", sourceLocation: sourceLocation)
    }
}

@discardableResult
private func expectFails(
    _ json: String, _ code: JSONDecodingError.Code, path: String? = nil, offset: Int? = nil,
    ignoreUnknown: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
) -> JSONDecodingError? {
    switch decode(json, ignoreUnknown: ignoreUnknown) {
    case .success(let m):
        Issue.record("\(json) decoded, as \(m.textFormatString())", sourceLocation: sourceLocation)
        return nil
    case .failure(let e):
        #expect(e.code == code, "\(json): \(e)", sourceLocation: sourceLocation)
        if let path { #expect(e.path == path, "\(json): \(e)", sourceLocation: sourceLocation) }
        if let offset { #expect(e.offset == offset, "\(json): \(e)", sourceLocation: sourceLocation) }
        #expect(e.offset >= 0 && e.offset <= json.utf8.count, sourceLocation: sourceLocation)
        return e
    }
}

@Suite("JSON reading")
struct JSONDecodingTests {
    // MARK: Field names

    @Test func fieldNamesJSONAndProto() {
        expectDecodes(#"{"fieldname1": 1, "fieldName2": 2, "FieldName3": 3, "fieldName4": 4}"#) {
            $0.conventionField1 = 1; $0.conventionField2 = 2; $0.conventionField3 = 3; $0.conventionField4 = 4
        }
        expectDecodes(#"{"field0name5": 5, "field0Name6": 6, "fieldName7": 7, "FieldName8": 8, "fieldName9": 9}"#) {
            $0.conventionField5 = 5; $0.conventionField6 = 6; $0.conventionField7 = 7; $0.conventionField8 = 8; $0.conventionField9 = 9
        }
        expectDecodes(#"{"FieldName10": 10, "FIELDNAME11": 11, "FIELDName12": 12, "FieldName13": 13, "FieldName14": 14}"#) {
            $0.conventionField10 = 10; $0.conventionField11 = 11; $0.conventionField12 = 12; $0.conventionField13 = 13
            $0.conventionField14 = 14
        }
        expectDecodes(#"{"fieldName15": 15, "fieldName16": 16, "fieldName17": 17, "FieldName18": 18}"#) {
            $0.conventionField15 = 15; $0.conventionField16 = 16; $0.conventionField17 = 17; $0.conventionField18 = 18
        }
        expectDecodes(#"{"field_name2": 2, "_field_name3": 3, "field__name4_": 4, "field_0_name6": 6, "__Field_name14": 14, "Field_name18__": 18}"#) {
            $0.conventionField2 = 2; $0.conventionField3 = 3; $0.conventionField4 = 4; $0.conventionField6 = 6
            $0.conventionField14 = 14; $0.conventionField18 = 18
        }
        // json_name replaces the derived name; the .proto name still works.
        expectDecodes(#"{"renamed": 1}"#) { $0.customJson = 1 }
        expectDecodes(#"{"custom_json": 2}"#) { $0.customJson = 2 }
        expectFails(#"{"customJson": 3}"#, .unknownField, path: "$.customJson", offset: 1)
        // Keys may be escaped.
        expectDecodes(#"{"fieldn\u0061me1": 1, "optional\u0053tring": "x"}"#) { $0.conventionField1 = 1; $0.optionalString = "x" }
    }

    @Test func duplicateFields() {
        expectFails(#"{"optionalNestedMessage": {"a": 1}, "optionalNestedMessage": {}}"#, .duplicateField, path: "$.optionalNestedMessage", offset: 36)
        expectFails(#"{"optional_nested_message": {"a": 1}, "optionalNestedMessage": {}}"#, .duplicateField)
        expectFails(#"{"optionalNestedMessage": {}, "optional_nested_message": {}}"#, .duplicateField)
        expectFails(#"{"optionalInt32": 1, "optionalInt32": 1}"#, .duplicateField)
    }

    @Test func unknownFields() {
        expectFails(#"{"unknown": 1}"#, .unknownField, path: "$.unknown")
        for value in ["1", "\"a\"", "true", "false", "null", #"{"a": [1, {"b": null}]}"#, "[1, [2]]", "-1.5e3"] {
            expectDecodes(#"{"unknown": \#(value), "optionalInt32": 4}"#, ignoreUnknown: true) { $0.optionalInt32 = 4 }
        }
        // Skipped values are still checked to be JSON.
        expectFails(#"{"unknown": [1,], "optionalInt32": 4}"#, .syntax, ignoreUnknown: true)
    }

    // MARK: JSON syntax

    @Test func syntax() {
        expectDecodes("{}") { _ in }
        expectDecodes(" \n\t\r{ \"optionalInt32\" : 1 , \"optionalInt64\" : 2 }\n ") { $0.optionalInt32 = 1; $0.optionalInt64 = 2 }
        expectDecodes("{\n\"optionalInt32\"\n:\n1\n,\n\"optionalInt64\"\n:\n2\n}") { $0.optionalInt32 = 1; $0.optionalInt64 = 2 }
        expectFails("{fieldname1: 1}", .syntax, offset: 1)
        expectFails(#"{"fieldname1":1,}"#, .syntax, offset: 16)
        expectFails(#"{"fieldname1":1 ,}"#, .syntax)
        expectFails("{\n  \"fieldname1\":1,\n}", .syntax)
        expectFails("{\n // comment\n \"fieldname1\": 1\n}", .syntax)
        expectFails(#"{ "optionalInt32": 1 "optionalInt64": 2 }"#, .syntax, offset: 21)
        expectFails(#"{'optionalString': "x"}"#, .syntax)
        expectFails(#"{"optionalString": 'x'}"#, .syntax)
        expectFails("null", .nullNotAllowed, path: "$", offset: 0)
        expectFails("", .truncated, offset: 0)
        expectFails("   ", .truncated)
        expectFails("[]", .wrongType)
        expectFails(#"{"optionalInt32": 1} {}"#, .trailingContent, offset: 21)
        expectFails(#"{"optionalInt32": 1"#, .truncated)
        expectFails(#"{"optionalString": "abc\"#, .truncated)
        expectFails(#"{"optionalInt32": 1 x"#, .syntax)
        expectFails("{\"optionalString\": \"a\u{0}b\"}", .invalidString)
        expectFails("{\"optionalString\": \"a\nb\"}", .invalidString)
    }

    // MARK: Numbers

    @Test func integers() {
        expectDecodes(#"{"optionalInt32": 2147483647, "optionalUint32": 4294967295}"#) { $0.optionalInt32 = .max; $0.optionalUint32 = .max }
        expectDecodes(#"{"optionalInt32": -2147483648}"#) { $0.optionalInt32 = .min }
        expectDecodes(#"{"optionalInt64": "9223372036854775807", "optionalUint64": "18446744073709551615"}"#) {
            $0.optionalInt64 = .max; $0.optionalUint64 = .max
        }
        expectDecodes(#"{"optionalInt64": "-9223372036854775808"}"#) { $0.optionalInt64 = .min }
        // 64-bit values as numbers, exactly (not through a double).
        expectDecodes(#"{"optionalInt64": 9223372036854775807, "optionalSint64": -9223372036854775808, "optionalFixed64": 18446744073709551615}"#) {
            $0.optionalInt64 = .max; $0.optionalSint64 = .min; $0.optionalFixed64 = .max
        }
        expectDecodes(#"{"optionalInt64": 9007199254740993}"#) { $0.optionalInt64 = 9_007_199_254_740_993 }
        expectDecodes(#"{"optionalInt32": "2147483647", "optionalSfixed32": "-5"}"#) { $0.optionalInt32 = .max; $0.optionalSfixed32 = -5 }
        expectDecodes(#"{"optionalInt32": "2\u003147483647"}"#) { $0.optionalInt32 = .max }
        // Integral values in other spellings.
        expectDecodes(#"{"optionalInt32": 100000.000, "optionalUint32": 1e5, "optionalInt64": "1e3", "optionalSint32": -2.147483648e9}"#) {
            $0.optionalInt32 = 100_000; $0.optionalUint32 = 100_000; $0.optionalInt64 = 1000; $0.optionalSint32 = .min
        }
        expectDecodes(#"{"optionalUint32": 4.294967295e9, "optionalInt32": 0.0e-5, "optionalUint64": -0}"#) {
            $0.optionalUint32 = .max; $0.optionalInt32 = 0; $0.optionalUint64 = 0
        }
        // Out of range.
        expectFails(#"{"optionalInt32": 2147483648}"#, .numberOutOfRange, path: "$.optionalInt32", offset: 18)
        expectFails(#"{"optionalInt32": -2147483649}"#, .numberOutOfRange)
        expectFails(#"{"optionalUint32": 4294967296}"#, .numberOutOfRange)
        expectFails(#"{"optionalUint32": -1}"#, .numberOutOfRange)
        expectFails(#"{"optionalInt64": "9223372036854775808"}"#, .numberOutOfRange)
        expectFails(#"{"optionalInt64": "-9223372036854775809"}"#, .numberOutOfRange)
        expectFails(#"{"optionalUint64": "18446744073709551616"}"#, .numberOutOfRange)
        expectFails(#"{"optionalInt64": 1e19}"#, .numberOutOfRange)
        expectFails(#"{"optionalInt32": 1e999999999999}"#, .numberOutOfRange)
        // Not integers, not numbers, not JSON numbers.
        expectFails(#"{"optionalInt32": 0.5}"#, .invalidNumber, path: "$.optionalInt32")
        expectFails(#"{"optionalUint64": "0.5"}"#, .invalidNumber)
        expectFails(#"{"optionalInt32": 1e-1}"#, .invalidNumber)
        expectFails(#"{"optionalInt32": "3x3"}"#, .invalidNumber)
        expectFails(#"{"optionalInt64": "3x3"}"#, .invalidNumber)
        expectFails(#"{"optionalInt32": +1}"#, .syntax)
        expectFails(#"{"optionalInt32": 01}"#, .invalidNumber)
        expectFails(#"{"optionalInt32": -01}"#, .invalidNumber)
        expectFails(#"{"optionalInt32": " 1"}"#, .invalidNumber)
        expectFails(#"{"optionalInt32": "1 "}"#, .invalidNumber)
        expectFails(#"{"optionalInt32": 1.}"#, .invalidNumber)
        expectFails(#"{"optionalInt32": .5}"#, .syntax)
        expectFails(#"{"optionalInt32": 1e}"#, .invalidNumber)
        expectFails(#"{"optionalInt32": true}"#, .wrongType)
        expectFails(#"{"optionalInt32": {}}"#, .wrongType)
    }

    @Test func floatingPoint() {
        expectDecodes(#"{"optionalFloat": 1.175494e-38, "optionalDouble": 2.22507e-308}"#) {
            $0.optionalFloat = 1.175494e-38; $0.optionalDouble = 2.22507e-308
        }
        expectDecodes(#"{"optionalFloat": 3.402823e+38, "optionalDouble": -1.79769e+308}"#) {
            $0.optionalFloat = 3.402823e+38; $0.optionalDouble = -1.79769e+308
        }
        // The largest float's shortest form is above it as a double but rounds to it.
        expectDecodes(#"{"optionalFloat": 3.4028235e+38, "repeatedFloat": [-3.4028235e+38]}"#) {
            $0.optionalFloat = .greatestFiniteMagnitude; $0.repeatedFloat = [-.greatestFiniteMagnitude]
        }
        expectDecodes(#"{"optionalFloat": "1", "optionalDouble": "-2.5e-3"}"#) { $0.optionalFloat = 1; $0.optionalDouble = -0.0025 }
        expectDecodes(#"{"optionalFloat": "Infinity", "optionalDouble": "-Infinity"}"#) {
            $0.optionalFloat = .infinity; $0.optionalDouble = -.infinity
        }
        expectDecodes(#"{"optionalDouble": 0.1, "repeatedDouble": [5e-324, 1.7976931348623157e308, 123456789012345678901234567890]}"#) {
            $0.optionalDouble = 0.1; $0.repeatedDouble = [5e-324, .greatestFiniteMagnitude, 1.2345678901234568e29]
        }
        // Correct rounding beyond the fast path: halfway cases and long inputs.
        expectDecodes(#"{"repeatedDouble": [9007199254740993, 2.2250738585072011e-308, 0.30000000000000004441]}"#) {
            $0.repeatedDouble = [9_007_199_254_740_992, 2.2250738585072011e-308, 0.30000000000000004]
        }
        if case .success(let m) = decode(#"{"optionalFloat": "NaN", "optionalDouble": "NaN"}"#) {
            #expect(m.optionalFloat.isNaN && m.optionalDouble.isNaN)
        } else {
            Issue.record("NaN did not decode")
        }
        if case .success(let m) = decode(#"{"optionalDouble": -0.0}"#) {
            #expect(m.optionalDouble == 0 && m.optionalDouble.sign == .minus)
        }
        expectFails(#"{"optionalFloat": NaN}"#, .syntax)
        expectFails(#"{"optionalFloat": Infinity}"#, .syntax)
        expectFails(#"{"optionalDouble": -Infinity}"#, .invalidNumber)
        expectFails(#"{"optionalFloat": -3.502823e+38}"#, .numberOutOfRange, path: "$.optionalFloat")
        expectFails(#"{"optionalFloat": 3.502823e+38}"#, .numberOutOfRange)
        expectFails(#"{"optionalDouble": -1.89769e+308}"#, .numberOutOfRange)
        expectFails(#"{"optionalDouble": +1.89769e+308}"#, .syntax)
        expectFails(#"{"optionalDouble": "1e400"}"#, .numberOutOfRange)
        expectFails(#"{"optionalDouble": "nan"}"#, .invalidNumber)
    }

    @Test("doubles read exactly as the C library reads them")
    func doublesMatchTheCLibrary() throws {
        var rng = SplitMix64(seed: 0xD0_0B1E)
        var texts: [String] = ["2.2250738585072011e-308", "2.2250738585072012e-308", "4.9406564584124654e-324",
                               "1.7976931348623157e308", "9007199254740993", "9007199254740992.5", "0.1", "1e23", "8.98846567431158e307",
                               "1448997445238699", "7.3177701707893310e+15", "5e-324", "2.4703282292062328e-324", "123456789012345678"]
        for _ in 0..<8000 {
            // Shortest forms of random doubles (what writers produce), 16 to 17 digits mostly.
            let d = Double(bitPattern: rng.next())
            if d.isFinite { texts.append(d.magnitude.description) }
        }
        for _ in 0..<8000 {
            // Random decimals of 1 to 20 digits, the point anywhere, exponents across the range.
            let digits = (0..<rng.int(1...20)).map { _ in String(rng.int(0...9)) }.joined()
            let point = rng.int(0...digits.count)
            var text = String(digits.prefix(point)) + (point < digits.count ? "." + digits.dropFirst(point) : "")
            if text.hasPrefix(".") { text = "0" + text }
            while text.count > 1 && text.hasPrefix("0") && !text.hasPrefix("0.") { text.removeFirst() }
            if rng.chance(60) { text += "e\(rng.int(-340...310))" }
            texts.append(text)
        }
        var checked = 0
        for text in texts {
            guard let expected = Double(text), expected.isFinite else { continue }
            for sign in ["", "-"] {
                switch decode(#"{"optionalDouble": \#(sign)\#(text), "repeatedDouble": ["\#(sign)\#(text)"]}"#) {
                case .success(let m):
                    let want = sign.isEmpty ? expected : -expected
                    #expect(m.optionalDouble.bitPattern == want.bitPattern, "\(sign)\(text): \(m.optionalDouble) != \(want)")
                    #expect(m.repeatedDouble.first?.bitPattern == want.bitPattern, "\(sign)\(text) quoted")
                    checked += 1
                case .failure(let e):
                    Issue.record("\(sign)\(text): \(e)")
                }
            }
        }
        #expect(checked > 25_000)
    }

    @Test func booleans() {
        expectDecodes(#"{"optionalBool": true, "repeatedBool": [false, true]}"#) { $0.optionalBool = true; $0.repeatedBool = [false, true] }
        for bad in ["0", "1", "True", "FALSE", "\"true\"", "\"false\"", "tru", "nul"] {
            expectFails(#"{"optionalBool": \#(bad)}"#, bad.hasPrefix("\"") || bad.first!.isNumber ? .wrongType : .syntax)
        }
    }

    // MARK: Strings and bytes

    @Test func strings() {
        expectDecodes(#"{"optionalString": "Hello world!"}"#) { $0.optionalString = "Hello world!" }
        expectDecodes(#"{"optionalString": "谷歌"}"#) { $0.optionalString = "谷歌" }
        expectDecodes(#"{"optionalString": "\"\\\/\b\f\n\r\t"}"#) { $0.optionalString = "\"\\/\u{8}\u{C}\n\r\t" }
        expectDecodes(#"{"optionalString": "\u8C37\u6B4C", "repeatedString": ["\u8c37\u6b4c", "\u0000"]}"#) {
            $0.optionalString = "谷歌"; $0.repeatedString = ["谷歌", "\u{0}"]
        }
        expectDecodes(#"{"optionalString": "\uD83D\uDE01"}"#) { $0.optionalString = "😁" }
        expectDecodes(#"{"optionalString": "long string with an escape at the end, beyond eight bytes\n"}"#) {
            $0.optionalString = "long string with an escape at the end, beyond eight bytes\n"
        }
        expectFails(#"{"optionalString": "\U8C37\U6b4C"}"#, .invalidString)
        expectFails(#"{"optionalString": "\uXXXX\u6B4C"}"#, .invalidString)
        expectFails(#"{"optionalString": "\u8C3"}"#, .invalidString)
        expectFails(#"{"optionalString": "\uD800"}"#, .invalidString, path: "$.optionalString", offset: 20)
        expectFails(#"{"optionalString": "\uDC00"}"#, .invalidString)
        expectFails(#"{"optionalString": "\uDE01\uD83D"}"#, .invalidString)
        expectFails(#"{"optionalString": "\uD83D\u0041"}"#, .invalidString)
        expectFails(#"{"optionalString": "\x41"}"#, .invalidString)
        expectFails(#"{"optionalString": 12345}"#, .wrongType, path: "$.optionalString", offset: 19)
        // Bytes that are not UTF-8.
        var invalid = Array(#"{"optionalString": "a"#.utf8)
        invalid += [0xC0, 0x80]
        invalid += Array(#""}"#.utf8)
        #expect(throws: JSONDecodingError.self) { try M(jsonUTF8Bytes: invalid) }
    }

    @Test func bytesInBothAlphabets() {
        expectDecodes(#"{"optionalBytes": "AQI="}"#) { $0.optionalBytes = Data([1, 2]) }
        expectDecodes(#"{"optionalBytes": "AQI"}"#) { $0.optionalBytes = Data([1, 2]) }
        expectDecodes(#"{"optionalBytes": "-_"}"#) { $0.optionalBytes = Data([0xFB]) }
        expectDecodes(#"{"optionalBytes": "+/+/", "repeatedBytes": ["AAEC", "", "_-_-"]}"#) {
            $0.optionalBytes = Data([0xFB, 0xFF, 0xBF]); $0.repeatedBytes = [Data([0, 1, 2]), Data(), Data([0xFF, 0xEF, 0xFE])]
        }
        expectDecodes(#"{"optionalBytes": "AQIDBA=="}"#) { $0.optionalBytes = Data([1, 2, 3, 4]) }
        expectFails(#"{"optionalBytes": "A"}"#, .invalidBase64, path: "$.optionalBytes")
        expectFails(#"{"optionalBytes": "AQ=I"}"#, .invalidBase64)
        expectFails(#"{"optionalBytes": "AQI=="}"#, .invalidBase64)
        expectFails(#"{"optionalBytes": "A QI"}"#, .invalidBase64)
        expectFails(#"{"optionalBytes": "AQ*="}"#, .invalidBase64)
        expectFails(#"{"optionalBytes": 12}"#, .wrongType)
    }

    // MARK: Enums

    @Test func enums() {
        expectDecodes(#"{"optionalColor": "GREEN", "repeatedColor": ["RED", "CRIMSON", "INFRARED", 2, -5, 77]}"#) {
            $0.optionalColor = .green; $0.repeatedColor = [.red, .red, .infrared, .green, .infrared, .unrecognized(77)]
        }
        expectDecodes(#"{"optionalColor": 0, "optionalShape": "TRIANGLE", "repeatedShape": [-1, "CIRCLE"]}"#) {
            $0.optionalColor = .unspecified; $0.optionalShape = .triangle; $0.repeatedShape = [.negative, .circle]
        }
        expectFails(#"{"optionalColor": GREEN}"#, .syntax)
        expectFails(#"{"optionalColor": "green"}"#, .unknownEnumValue, path: "$.optionalColor", offset: 18)
        expectFails(#"{"repeatedColor": ["RED", "BLUE"]}"#, .unknownEnumValue, path: "$.repeatedColor[1]")
        // A closed enum has no room for numbers it does not declare.
        expectFails(#"{"optionalShape": 7}"#, .unknownEnumValue)
        expectFails(#"{"optionalColor": 2147483648}"#, .numberOutOfRange)
        expectFails(#"{"optionalColor": 1.5}"#, .invalidNumber)
        // With ignoreUnknownFields the unknown value is dropped: the field stays unset, the
        // element and the entry are left out.
        expectDecodes(#"{"optionalColor": "BLUE", "optionalShape": 9, "repeatedColor": ["RED", "BLUE", "GREEN"], "mapInt32Color": {"1": "BLUE", "2": "RED"}, "optionalInt32": 5}"#, ignoreUnknown: true) {
            $0.repeatedColor = [.red, .green]; $0.mapInt32Color = [2: .red]; $0.optionalInt32 = 5
        }
        expectDecodes(#"{"oneofColor": "BLUE"}"#, ignoreUnknown: true) { _ in }
    }

    // MARK: null

    @Test func nullMeansUnset() {
        let fields = ["optionalInt32", "optionalInt64", "optionalUint32", "optionalUint64", "optionalSint32", "optionalSint64",
                      "optionalFixed32", "optionalFixed64", "optionalSfixed32", "optionalSfixed64", "optionalFloat",
                      "optionalDouble", "optionalBool", "optionalString", "optionalBytes", "optionalColor",
                      "optionalNestedMessage", "repeatedInt32", "repeatedString", "repeatedNestedMessage", "mapInt32Int32",
                      "mapBoolBool", "mapStringNestedMessage", "optionalTimestamp", "optionalDuration", "optionalAny",
                      "optionalStruct", "optionalListValue", "optionalInt32Wrapper", "optionalStringWrapper",
                      "optionalBytesWrapper", "proto3OptionalInt32", "optionalShape", "defaultedInt32"]
        let json = "{" + fields.map { "\"\($0)\": null" }.joined(separator: ", ") + "}"
        expectDecodes(json) { _ in }
        // A field given as null still counts as given.
        expectFails(#"{"optionalInt32": null, "optional_int32": 1}"#, .duplicateField)
        // google.protobuf.Value and NullValue hold null.
        expectDecodes(#"{"optionalValue": null, "optionalNullValue": null}"#) { $0.optionalValue = .null; $0.optionalNullValue = .nullValue }
        expectDecodes(#"{"oneofNullValue": null}"#) { $0.oneofField = .oneofNullValue(.nullValue) }
        expectDecodes(#"{"oneofNullValue": "NULL_VALUE"}"#) { $0.oneofField = .oneofNullValue(.nullValue) }
        expectDecodes(#"{"repeatedValue": [null, 1]}"#) { $0.repeatedValue = [.null, 1] }
        // Not in lists and maps.
        expectFails(#"{"repeatedInt32": [1, null, 2]}"#, .nullNotAllowed, path: "$.repeatedInt32[1]", offset: 22)
        expectFails(#"{"repeatedNestedMessage": [{"a":1}, null]}"#, .nullNotAllowed, path: "$.repeatedNestedMessage[1]")
        expectFails(#"{"mapInt32Int32": {"0": null}}"#, .nullNotAllowed, path: "$.mapInt32Int32[\"0\"]")
        expectFails(#"{"mapInt32Int32": {null: 1}}"#, .syntax)
    }

    // MARK: Oneofs

    @Test func oneofs() {
        expectFails(#"{"oneofUint32": 1, "oneofString": "test"}"#, .oneofConflict, path: "$.oneofString", offset: 19)
        expectDecodes(#"{"oneofUint32": null, "oneofString": "test"}"#) { $0.oneofField = .oneofString("test") }
        expectDecodes(#"{"oneofString": "test", "oneofUint32": null}"#) { $0.oneofField = .oneofString("test") }
        expectDecodes(#"{"oneofUint32": 0}"#) { $0.oneofField = .oneofUint32(0) }
        expectDecodes(#"{"oneofNestedMessage": {}}"#) { $0.oneofField = .oneofNestedMessage(FormatNested()) }
        expectDecodes(#"{"oneofString": ""}"#) { $0.oneofField = .oneofString("") }
        expectDecodes(#"{"oneofBytes": ""}"#) { $0.oneofField = .oneofBytes(Data()) }
        expectDecodes(#"{"oneofBool": false}"#) { $0.oneofField = .oneofBool(false) }
        expectDecodes(#"{"oneofUint64": 0}"#) { $0.oneofField = .oneofUint64(0) }
        expectDecodes(#"{"oneofDouble": 0.0}"#) { $0.oneofField = .oneofDouble(0) }
        expectDecodes(#"{"oneofColor": "COLOR_UNSPECIFIED"}"#) { $0.oneofField = .oneofColor(.unspecified) }
        expectDecodes(#"{"oneofRecursive": {"oneofRecursive": {"optionalInt32": 1}}}"#) {
            $0.oneofField = .oneofRecursive(M.with { $0.oneofField = .oneofRecursive(M.with { $0.optionalInt32 = 1 }) })
        }
    }

    // MARK: Repeated fields and maps

    @Test func repeatedFields() {
        expectDecodes(#"{"repeatedInt32": [1, 2, 3, 4], "repeatedString": ["Hello", "world"], "repeatedNestedMessage": [{"a": 1234}, {"b": "x"}]}"#) {
            $0.repeatedInt32 = [1, 2, 3, 4]; $0.repeatedString = ["Hello", "world"]
            $0.repeatedNestedMessage = [FormatNested.with { $0.a = 1234 }, FormatNested.with { $0.b = "x" }]
        }
        expectDecodes(#"{"repeatedInt32": [], "repeatedUint64": ["1", 2]}"#) { $0.repeatedUint64 = [1, 2] }
        expectFails(#"{"repeatedInt32": [1, false, 3]}"#, .wrongType, path: "$.repeatedInt32[1]")
        expectFails(#"{"repeatedInt32": [1, 2, "name"]}"#, .invalidNumber, path: "$.repeatedInt32[2]")
        expectFails(#"{"repeatedInt32": [1, {"a": 4}]}"#, .wrongType)
        expectFails(#"{"repeatedString": ["1", 2]}"#, .wrongType, path: "$.repeatedString[1]")
        expectFails(#"{"repeatedString": ["1", false]}"#, .wrongType)
        expectFails(#"{"repeatedNestedMessage": [{"a": 1}, 2]}"#, .wrongType, path: "$.repeatedNestedMessage[1]")
        expectFails(#"{"repeatedNestedMessage": [{"a": 1}, "2"]}"#, .wrongType)
        expectFails(#"{"repeatedInt32": [1, 2,]}"#, .syntax)
        expectFails(#"{"repeatedInt32": [1, 2 , ]}"#, .syntax)
        expectFails(#"{"repeatedInt32": 1}"#, .wrongType, path: "$.repeatedInt32")
        expectFails(#"{"repeatedInt32": [1 2]}"#, .syntax)
    }

    @Test func maps() {
        expectDecodes(#"{"mapInt32Int32": {"1": 2, "-3": 4}, "mapUint32Uint32": {"4294967295": 1}, "mapInt64Int64": {"-9223372036854775808": "5"}}"#) {
            $0.mapInt32Int32 = [1: 2, -3: 4]; $0.mapUint32Uint32 = [.max: 1]; $0.mapInt64Int64 = [.min: 5]
        }
        expectDecodes(#"{"mapUint64Uint64": {"18446744073709551615": 1}, "mapSint32Sint32": {"-1": -1}, "mapFixed32Fixed32": {"7": 7}}"#) {
            $0.mapUint64Uint64 = [.max: 1]; $0.mapSint32Sint32 = [-1: -1]; $0.mapFixed32Fixed32 = [7: 7]
        }
        expectDecodes(#"{"mapBoolBool": {"true": true, "false": false}, "mapSfixed64Sfixed64": {"1": "-1"}}"#) {
            $0.mapBoolBool = [true: true, false: false]; $0.mapSfixed64Sfixed64 = [1: -1]
        }
        expectDecodes(#"{"mapStringNestedMessage": {"hello": {"a": 1234}, "": {}}, "mapStringBytes": {"k": "AQI="}}"#) {
            $0.mapStringNestedMessage = ["hello": FormatNested.with { $0.a = 1234 }, "": FormatNested()]
            $0.mapStringBytes = ["k": Data([1, 2])]
        }
        expectDecodes(#"{"mapInt32Int32": {"\u0031": 2}, "mapBoolBool": {"tr\u0075e": true}, "mapInt32Color": {"5": "GREEN"}}"#) {
            $0.mapInt32Int32 = [1: 2]; $0.mapBoolBool = [true: true]; $0.mapInt32Color = [5: .green]
        }
        // The last of two equal keys wins.
        expectDecodes(#"{"mapStringString": {"a": "1", "a": "2"}}"#) { $0.mapStringString = ["a": "2"] }
        expectFails(#"{"mapInt32Int32": {1: 2}}"#, .syntax)
        expectFails(#"{"mapBoolBool": {true: true}}"#, .syntax)
        expectFails(#"{"mapInt32Int32": {"x": 2}}"#, .invalidMapKey, path: "$.mapInt32Int32[\"x\"]", offset: 19)
        expectFails(#"{"mapInt32Int32": {"2147483648": 2}}"#, .invalidMapKey)
        expectFails(#"{"mapInt32Int32": {" 1": 2}}"#, .invalidMapKey)
        expectFails(#"{"mapBoolBool": {"True": true}}"#, .invalidMapKey)
        expectFails(#"{"mapUint32Uint32": {"-1": 1}}"#, .invalidMapKey)
        expectFails(#"{"mapInt32Int32": [1]}"#, .wrongType)
        expectFails(#"{"mapStringNestedMessage": {"k": {"a": "x"}}}"#, .invalidNumber, path: "$.mapStringNestedMessage[\"k\"].a")
    }

    // MARK: Messages and nesting

    @Test func errorPathsThroughNesting() {
        let e = expectFails(#"{"repeatedNestedMessage": [{}, {}, {"a": "no"}]}"#, .invalidNumber, path: "$.repeatedNestedMessage[2].a", offset: 41)
        #expect(e?.description == #"$.repeatedNestedMessage[2].a: "no" is not a 32-bit integer, at byte 41"#)
        expectFails(#"{"recursive": {"recursive": {"mapStringString": {"a b": 1}}}}"#, .wrongType, path: "$.recursive.recursive.mapStringString[\"a b\"]")
        expectFails(#"{"optionalStruct": {"x y": [1, {"z": nul}]}}"#, .syntax, path: "$.optionalStruct[\"x y\"][1].z")
    }

    @Test func depthLimit() {
        // 100 nested objects are allowed; 101 are not.
        func chain(_ levels: Int) -> String {
            String(repeating: #"{"recursive":"#, count: levels - 1) + "{}" + String(repeating: "}", count: levels - 1)
        }
        if case .failure(let e) = decode(chain(100)) { Issue.record("100 levels failed: \(e)") }
        expectFails(chain(101), .recursionLimitExceeded)
        // The same through google.protobuf.Value lists, and in skipped unknown values.
        let values = #"{"optionalValue":"# + String(repeating: "[", count: 99) + String(repeating: "]", count: 99) + "}"
        if case .failure(let e) = decode(values) { Issue.record("99 nested lists failed: \(e)") }
        expectFails(#"{"optionalValue":"# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}", .recursionLimitExceeded)
        expectFails(#"{"x":"# + String(repeating: "[", count: 5000), .recursionLimitExceeded, ignoreUnknown: true)
        expectFails(String(repeating: "{\"recursive\":", count: 100_000), .recursionLimitExceeded)
    }

    // MARK: Well-known types

    @Test func timestamps() {
        expectDecodes(#"{"optionalTimestamp": "0001-01-01T00:00:00Z"}"#) { $0.optionalTimestamp = .init(seconds: -62_135_596_800) }
        expectDecodes(#"{"optionalTimestamp": "9999-12-31T23:59:59.999999999Z"}"#) {
            $0.optionalTimestamp = .init(seconds: 253_402_300_799, nanos: 999_999_999)
        }
        expectDecodes(#"{"optionalTimestamp": "1993-02-10T00:00:00.000Z", "repeatedTimestamp": ["1970-01-01T08:00:01+08:00", "1969-12-31T16:00:01-08:00"]}"#) {
            $0.optionalTimestamp = .init(seconds: 729_302_400); $0.repeatedTimestamp = [.init(seconds: 1), .init(seconds: 1)]
        }
        expectDecodes(#"{"optionalTimestamp": "2000-02-29T12:30:45.5Z"}"#) { $0.optionalTimestamp = .init(seconds: 951_827_445, nanos: 500_000_000) }
        for bad in ["0000-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "0001-01-01T00:00:00", "0001-01-01 00:00:00Z",
                    "0001-01-01T00:00:00z", "0001-01-01t00:00:00Z", "2001-02-29T00:00:00Z", "2000-13-01T00:00:00Z",
                    "2000-01-01T24:00:00Z", "2000-01-01T00:00:60Z", "2000-01-01T00:00:00.Z", "2000-01-01T00:00:00.1234567890Z",
                    "2000-01-01T00:00:00+8:00", "0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-00:01", ""] {
            expectFails(#"{"optionalTimestamp": "\#(bad)"}"#, .invalidTimestamp, path: "$.optionalTimestamp", offset: 22)
        }
        expectFails(#"{"optionalTimestamp": 0}"#, .wrongType)
    }

    @Test func durations() {
        expectDecodes(#"{"optionalDuration": "-315576000000.999999999s"}"#) { $0.optionalDuration = .init(seconds: -315_576_000_000, nanos: -999_999_999) }
        expectDecodes(#"{"optionalDuration": "315576000000.999999999s"}"#) { $0.optionalDuration = .init(seconds: 315_576_000_000, nanos: 999_999_999) }
        expectDecodes(#"{"optionalDuration": "-0.5s"}"#) { $0.optionalDuration = .init(seconds: 0, nanos: -500_000_000) }
        expectDecodes(#"{"optionalDuration": "1.000000010s"}"#) { $0.optionalDuration = .init(seconds: 1, nanos: 10) }
        for bad in ["1", "-315576000001.000000000s", "315576000001s", "1.s", "+1s", "1e3s", " 1s", "1.0000000001s", "s", "-s", "1S"] {
            expectFails(#"{"optionalDuration": "\#(bad)"}"#, .invalidDuration, path: "$.optionalDuration")
        }
    }

    @Test func fieldMasks() {
        expectDecodes(#"{"optionalFieldMask": "foo,barBaz"}"#) { $0.optionalFieldMask = .init(paths: ["foo", "bar_baz"]) }
        expectDecodes(#"{"optionalFieldMask": ""}"#) { $0.optionalFieldMask = .init(paths: []) }
        expectDecodes(#"{"optionalFieldMask": "a.bC,dEf.g"}"#) { $0.optionalFieldMask = .init(paths: ["a.b_c", "d_ef.g"]) }
        expectFails(#"{"optionalFieldMask": "foo,bar_bar"}"#, .invalidFieldMask, path: "$.optionalFieldMask")
        expectFails(#"{"optionalFieldMask": ["foo"]}"#, .wrongType)
    }

    @Test func structsAndValues() {
        expectDecodes(#"{"optionalStruct": {"nullValue": null, "intValue": 1234, "boolValue": true, "doubleValue": 1234.5678, "stringValue": "Hello world!", "listValue": [1234, "5678"], "objectValue": {"value": 0}}}"#) {
            $0.optionalStruct = ["nullValue": nil, "intValue": 1234, "boolValue": true, "doubleValue": 1234.5678,
                                 "stringValue": "Hello world!", "listValue": [1234, "5678"], "objectValue": ["value": 0]]
        }
        expectDecodes(#"{"optionalStruct": {"listValue": []}}"#) { $0.optionalStruct = ["listValue": []] }
        expectDecodes(#"{"optionalValue": 1.5}"#) { $0.optionalValue = 1.5 }
        expectDecodes(#"{"optionalValue": false}"#) { $0.optionalValue = false }
        expectDecodes(#"{"optionalValue": "hello"}"#) { $0.optionalValue = "hello" }
        expectDecodes(#"{"optionalValue": [0, "hello"]}"#) { $0.optionalValue = [0, "hello"] }
        expectDecodes(#"{"optionalValue": {"value": 1}}"#) { $0.optionalValue = ["value": 1] }
        expectDecodes(#"{"repeatedValue": [["a"]], "optionalListValue": [["a"], {}]}"#) {
            $0.repeatedValue = [["a"]]; $0.optionalListValue = [["a"], [:]]
        }
        expectFails(#"{"optionalStruct": [1]}"#, .wrongType)
        expectFails(#"{"optionalListValue": {}}"#, .wrongType)
        expectFails(#"{"optionalValue": 1e400}"#, .numberOutOfRange)
        expectFails(#"{"optionalValue": nope}"#, .syntax)
    }

    @Test func wrappers() {
        expectDecodes(#"{"optionalBoolWrapper": false, "optionalInt32Wrapper": 0, "optionalUint32Wrapper": 0, "optionalInt64Wrapper": 0, "optionalUint64Wrapper": 0, "optionalFloatWrapper": 0, "optionalDoubleWrapper": 0, "optionalStringWrapper": "", "optionalBytesWrapper": ""}"#) {
            $0.optionalBoolWrapper = false; $0.optionalInt32Wrapper = 0; $0.optionalUint32Wrapper = 0; $0.optionalInt64Wrapper = 0
            $0.optionalUint64Wrapper = 0; $0.optionalFloatWrapper = 0; $0.optionalDoubleWrapper = 0
            $0.optionalStringWrapper = ""; $0.optionalBytesWrapper = Google_Protobuf_BytesValue(value: Data())
        }
        expectDecodes(#"{"optionalInt64Wrapper": "1", "optionalUint64Wrapper": "1", "optionalFloatWrapper": "Infinity", "optionalBytesWrapper": "AQI="}"#) {
            $0.optionalInt64Wrapper = 1; $0.optionalUint64Wrapper = 1; $0.optionalFloatWrapper = .init(.infinity)
            $0.optionalBytesWrapper = [1, 2]
        }
        expectFails(#"{"optionalInt32Wrapper": {"value": 1}}"#, .wrongType)
        expectFails(#"{"optionalBoolWrapper": "true"}"#, .wrongType)
    }

    @Test func anys() {
        let registry = formatTestRegistry
        func packed<P: ProtoMessage>(_ p: P) -> Google_Protobuf_Any { Google_Protobuf_Any(packing: p) }
        expectDecodes(#"{"optionalAny": {"@type": "type.googleapis.com/test.FormatAllTypes", "optionalInt32": 12345}}"#) {
            $0.optionalAny = packed(M.with { $0.optionalInt32 = 12345 })
        }
        // "@type" may come anywhere.
        expectDecodes(#"{"optionalAny": {"optionalInt32": 12345, "repeatedString": ["@type"], "@type": "type.googleapis.com/test.FormatAllTypes"}}"#) {
            $0.optionalAny = packed(M.with { $0.optionalInt32 = 12345; $0.repeatedString = ["@type"] })
        }
        expectDecodes(#"{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.Any", "value": {"@type": "type.googleapis.com/test.FormatAllTypes", "optionalInt32": 12345}}}"#) {
            $0.optionalAny = packed(packed(M.with { $0.optionalInt32 = 12345 }))
        }
        expectDecodes(#"{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.Int32Value", "value": 12345}}"#) {
            $0.optionalAny = packed(Google_Protobuf_Int32Value(value: 12345))
        }
        expectDecodes(#"{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.Duration", "value": "1.5s"}}"#) {
            $0.optionalAny = packed(Google_Protobuf_Duration(seconds: 1, nanos: 500_000_000))
        }
        expectDecodes(#"{"optionalAny": {"value": "1970-01-01T00:00:00Z", "@type": "type.googleapis.com/google.protobuf.Timestamp"}}"#) {
            $0.optionalAny = packed(Google_Protobuf_Timestamp())
        }
        expectDecodes(#"{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.FieldMask", "value": "foo,barBaz"}}"#) {
            $0.optionalAny = packed(Google_Protobuf_FieldMask(paths: ["foo", "bar_baz"]))
        }
        expectDecodes(#"{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.Struct", "value": {"foo": 1}}}"#) {
            $0.optionalAny = packed(["foo": 1] as Google_Protobuf_Struct)
        }
        expectDecodes(#"{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.Value", "value": {"foo": 1}}}"#) {
            $0.optionalAny = packed(["foo": 1] as Google_Protobuf_Value)
        }
        expectDecodes(#"{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.Value", "value": 1}}"#) {
            $0.optionalAny = packed(1 as Google_Protobuf_Value)
        }
        expectDecodes(#"{"optionalAny": {"@type": "example.com/x/google.protobuf.Empty"}}"#) {
            $0.optionalAny = Google_Protobuf_Any(typeUrl: "example.com/x/google.protobuf.Empty", value: Data())
        }
        expectDecodes(#"{"optionalAny": {}}"#) { $0.optionalAny = Google_Protobuf_Any() }
        expectFails(#"{"optionalAny": {"optionalInt32": 1}}"#, .invalidAny, path: "$.optionalAny", offset: 16)
        expectFails(#"{"optionalAny": {"@type": "type.googleapis.com/no.Such"}}"#, .invalidAny, path: "$.optionalAny")
        expectFails(#"{"optionalAny": {"@type": 5}}"#, .invalidAny)
        expectFails(#"{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.Value"}}"#, .invalidAny)
        expectFails(#"{"optionalAny": {"@type": "type.googleapis.com/test.FormatAllTypes", "@type": "x/y"}}"#, .invalidAny)
        expectFails(#"{"optionalAny": {"@type": "type.googleapis.com/google.protobuf.Duration", "value": "1.5s", "extra": 1}}"#, .unknownField)
        expectFails(#"{"optionalAny": {"@type": "type.googleapis.com/test.FormatAllTypes", "optionalInt32": "x"}}"#, .invalidNumber, path: "$.optionalAny.optionalInt32")
        // Registration is what makes a type known.
        #expect(throws: JSONDecodingError.self) {
            try M(jsonString: #"{"optionalAny": {"@type": "type.googleapis.com/test.FormatNested", "a": 1}}"#)
        }
        #expect((try? M(jsonString: #"{"optionalAny": {"@type": "type.googleapis.com/test.FormatNested", "a": 1}}"#,
                        options: JSONDecodingOptions(typeRegistry: registry))) != nil)
    }
}
