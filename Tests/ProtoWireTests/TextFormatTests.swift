// The text format: printing compared with text written out by hand, and parsing against the
// language specification's rules (the conformance suite's text-format cases among them), with
// errors naming line and column.

import Foundation
import ProtoWire
import Testing

private typealias M = FormatAllTypes

private func parse(_ text: String) -> Result<M, TextFormatDecodingError> {
    do throws(TextFormatDecodingError) {
        return .success(try M(textFormatString: text, options: TextFormatDecodingOptions(typeRegistry: formatTestRegistry)))
    } catch {
        return .failure(error)
    }
}

private func expectParses(_ text: String, sourceLocation: SourceLocation = #_sourceLocation, _ build: (inout M) -> Void) {
    var expected = M()
    build(&expected)
    switch parse(text) {
    case .success(let m): #expect(m == expected, "\(text)", sourceLocation: sourceLocation)
    case .failure(let e): Issue.record("\(text) failed: \(e)", sourceLocation: sourceLocation)
    }
}

@discardableResult
private func expectFails(
    _ text: String, _ code: TextFormatDecodingError.Code, line: Int? = nil, column: Int? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> TextFormatDecodingError? {
    switch parse(text) {
    case .success(let m):
        Issue.record("\(text) parsed, as \(m.textFormatString())", sourceLocation: sourceLocation)
        return nil
    case .failure(let e):
        #expect(e.code == code, "\(text): \(e)", sourceLocation: sourceLocation)
        if let line { #expect(e.line == line, "\(text): \(e)", sourceLocation: sourceLocation) }
        if let column { #expect(e.column == column, "\(text): \(e)", sourceLocation: sourceLocation) }
        return e
    }
}

@Suite("Text format")
struct TextFormatTests {
    // MARK: Printing

    @Test func printsOneFieldPerLine() {
        var m = M()
        m.optionalInt32 = -1
        m.optionalInt64 = 9_007_199_254_740_993
        m.optionalUint64 = .max
        m.optionalFloat = .infinity
        m.optionalDouble = -.infinity
        m.optionalBool = true
        m.optionalString = "é \"q\" 'a' \\ \n\t\u{1}"
        m.optionalBytes = Data([0, 0x7F, 0x80, 0xFF, 0x41, 0x22])
        m.optionalNestedMessage = FormatNested.with { $0.a = 1; $0.b = "x" }
        m.optionalColor = .unrecognized(99)
        m.repeatedDouble = [.nan, 0.1, 1e16]
        m.repeatedNestedMessage = [FormatNested(), FormatNested.with { $0.a = 2 }]
        m.mapStringString = ["b": "2", "a": "1"]
        m.oneofField = .oneofColor(.green)
        m.defaultedShape = .triangle
        m.conventionField3 = 3
        #expect(m.textFormatString() == """
            optional_int32: -1
            optional_int64: 9007199254740993
            optional_uint64: 18446744073709551615
            optional_float: inf
            optional_double: -inf
            optional_bool: true
            optional_string: "é \\"q\\" \\'a\\' \\\\ \\n\\t\\001"
            optional_bytes: "\\000\\177\\200\\377A\\""
            optional_nested_message {
              a: 1
              b: "x"
            }
            optional_color: 99
            defaulted_shape: TRIANGLE
            repeated_double: nan
            repeated_double: 0.1
            repeated_double: 1e+16
            repeated_nested_message {
            }
            repeated_nested_message {
              a: 2
            }
            map_string_string {
              key: "a"
              value: "1"
            }
            map_string_string {
              key: "b"
              value: "2"
            }
            oneof_color: GREEN
            _field_name3: 3

            """)
        #expect(M().textFormatString() == "")
    }

    @Test func printsAnyExpandedWhenTheTypeIsKnown() {
        var m = M()
        m.optionalAny = Google_Protobuf_Any(packing: M.with { $0.optionalInt32 = 12345 })
        #expect(m.textFormatString(options: TextFormatEncodingOptions(typeRegistry: formatTestRegistry)) == """
            optional_any {
              [type.googleapis.com/test.FormatAllTypes] {
                optional_int32: 12345
              }
            }

            """)
        // Not registered: the raw fields.
        #expect(m.textFormatString() == """
            optional_any {
              type_url: "type.googleapis.com/test.FormatAllTypes"
              value: "\\010\\271`"
            }

            """)
    }

    @Test func printsUnknownFieldsByNumber() throws {
        // Field 1000 varint 150, 1001 fixed32, 1002 fixed64, 1003 a nested message, 1004 bytes
        // that are not a message, 1005 a group holding a varint.
        let unknown = Raw.varintField(1000, 150) + Raw.fixed32Field(1001, 0xDEAD_BEEF) + Raw.fixed64Field(1002, 1)
            + Raw.lengthDelimited(1003, Raw.varintField(1, 2) + Raw.string(2, "x")) + Raw.lengthDelimited(1004, [0xFF, 0x41])
            + Raw.group(1005, Raw.varintField(3, 4))
        let m = try M(serializedBytes: Raw.varintField(1, 7) + unknown)
        #expect(m.textFormatString() == """
            optional_int32: 7
            1000: 150
            1001: 0xdeadbeef
            1002: 0x0000000000000001
            1003 {
              1: 2
              2: "x"
            }
            1004: "\\377A"
            1005 {
              3: 4
            }

            """)
        #expect(m.textFormatString(options: TextFormatEncodingOptions(printUnknownFields: false)) == "optional_int32: 7\n")
    }

    @Test func descriptionIsTheTextFormat() {
        let m = M.with { $0.optionalNestedMessage = FormatNested.with { $0.b = "n" } }
        #expect(m.description == "optional_nested_message {\n  b: \"n\"\n}\n")
        #expect("\(m)" == m.description)
        // Types generated without a field table keep their reflective description.
        let legacy = TestNested()
        #expect(legacy.description == legacy.debugDescription)
    }

    // MARK: Parsing

    @Test func scalarsAndNumbers() {
        expectParses("optional_int32: 2147483647 optional_uint32: 4294967295 optional_int64: -9223372036854775808") {
            $0.optionalInt32 = .max; $0.optionalUint32 = .max; $0.optionalInt64 = .min
        }
        expectParses("optional_uint64: 18446744073709551615, optional_sint32: -0x80000000; optional_fixed32: 0xFFFFFFFF") {
            $0.optionalUint64 = .max; $0.optionalSint32 = .min; $0.optionalFixed32 = .max
        }
        expectParses("optional_int32: 017 optional_int64: 0x7fffffffffffffff optional_sint64: -  # a comment\n 5") {
            $0.optionalInt32 = 15; $0.optionalInt64 = .max; $0.optionalSint64 = -5
        }
        expectFails("optional_int32: 2147483648", .invalidNumber)
        expectFails("optional_int32: -2147483649", .invalidNumber)
        expectFails("optional_uint32: 4294967296", .invalidNumber)
        expectFails("optional_int64: 9223372036854775808", .invalidNumber)
        expectFails("optional_int64: -9223372036854775809", .invalidNumber)
        expectFails("optional_uint64: 18446744073709551616", .invalidNumber)
        expectFails("optional_uint32: -1", .invalidNumber)
        expectFails("optional_int32: 1.0", .invalidNumber)
        expectFails("optional_int32: 08", .invalidNumber)
        expectFails("optional_int32: 0x", .invalidNumber)
        expectFails("optional_int32: 12abc", .invalidNumber)
        expectFails("optional_int32: abc", .syntax)
    }

    @Test func floatingPoint() {
        expectParses("optional_float: 3.192837 optional_double: 3.123456789123456789") {
            $0.optionalFloat = 3.192837; $0.optionalDouble = 3.123456789123456789
        }
        expectParses("optional_float: 3.4028235e+38 repeated_float: 1.17549e-38 repeated_float: 4294967296 repeated_float: 9223372036854775808") {
            $0.optionalFloat = .greatestFiniteMagnitude; $0.repeatedFloat = [Float("1.17549e-38")!, 4_294_967_296, 9_223_372_036_854_775_808]
        }
        // Beyond the float range: infinity; below it: zero. Integers beyond 64 bits still read.
        expectParses("optional_float: 3.4028235e+39 repeated_float: 1.17549e-50 repeated_double: 18446744073709551616") {
            $0.optionalFloat = .infinity; $0.repeatedFloat = [0]; $0.repeatedDouble = [18_446_744_073_709_551_616]
        }
        expectParses("repeated_double: [inf, -inf, INF, Infinity, -infinity, 1f, 1.5F, .5, 5., 1e3, 0x10, 017, -0]") {
            $0.repeatedDouble = [.infinity, -.infinity, .infinity, .infinity, -.infinity, 1, 1.5, 0.5, 5, 1000, 16, 15, -0.0]
        }
        if case .success(let m) = parse("optional_float: NaN optional_double: -nan") {
            #expect(m.optionalFloat.isNaN && m.optionalDouble.isNaN)
        } else {
            Issue.record("nan did not parse")
        }
        expectFails("optional_double: infinite", .invalidNumber)
        expectFails("optional_double: 1e", .invalidNumber)
        expectFails("optional_double: 1.5x", .invalidNumber)
        expectFails("optional_double: \"1\"", .syntax)
    }

    @Test func boolsAndEnums() {
        expectParses("optional_bool: true repeated_bool: [True, t, false, False, f, 0, 1]") {
            $0.optionalBool = true; $0.repeatedBool = [true, true, false, false, false, false, true]
        }
        expectFails("optional_bool: 2", .wrongType)
        expectFails("optional_bool: yes", .wrongType)
        expectParses("optional_color: GREEN repeated_color: [RED, CRIMSON, -5, 42] optional_shape: NEGATIVE repeated_shape: 3") {
            $0.optionalColor = .green; $0.repeatedColor = [.red, .red, .infrared, .unrecognized(42)]
            $0.optionalShape = .negative; $0.repeatedShape = [.triangle]
        }
        expectFails("optional_color: BLUE", .unknownEnumValue, line: 1, column: 17)
        expectFails("optional_shape: 7", .unknownEnumValue)
        expectFails("optional_color: \"RED\"", .syntax)
    }

    @Test func stringLiterals() {
        for field in ["optional_string", "optional_bytes"] {
            func expect(_ literal: String, _ value: String, sourceLocation: SourceLocation = #_sourceLocation) {
                expectParses("\(field): \(literal)", sourceLocation: sourceLocation) {
                    if field == "optional_string" { $0.optionalString = value } else { $0.optionalBytes = Data(value.utf8) }
                }
            }
            expect("'first' \"second\"\n'third'", "firstsecondthird")
            expect(#"'\a\b\f\n\r\t\v\?\\\'\"'"#, "\u{7}\u{8}\u{C}\n\r\t\u{B}?\\'\"")
            expect(#"'\341\210\264'"#, "\u{1234}")
            expect(#"'\xe1\x88\xb4'"#, "\u{1234}")
            expect(#"'\u1234'"#, "\u{1234}")
            expect(#"'\U00001234\U00010437'"#, "\u{1234}\u{10437}")
            expect(#"'\0\7x\x9'"#, "\u{0}\u{7}x\u{9}")
            expectFails("\(field): 'first line\nsecond line'", .invalidString, line: 1)
            expectFails("\(field): '\\U00110000'", .invalidString)
            expectFails("\(field): '\\ud801\\udc37'", .invalidString)
            expectFails("\(field): '\\ud800'", .invalidString)
            expectFails("\(field): '\\udc00'", .invalidString)
            expectFails("\(field): '\\U0000d800'", .invalidString)
            expectFails("\(field): '\\U0000d801\\U00000dc37'", .invalidString)
            expectFails("\(field): '\\U0000d801\\udc37'", .invalidString)
            expectFails("\(field): '\\ud801\\U0000dc37'", .invalidString)
            expectFails("\(field): '\\q'", .invalidString)
            expectFails("\(field): '\\400'", .invalidString)
            expectFails("\(field): 'unterminated", .truncated)
        }
        // A string field must hold UTF-8; a bytes field may hold anything.
        expectFails(#"optional_string: '\300'"#, .invalidString)
        expectFails(#"optional_string: '\xc0'"#, .invalidString)
        expectParses(#"optional_bytes: '\300\xc0'"#) { $0.optionalBytes = Data([0xC0, 0xC0]) }
    }

    @Test func messagesListsAndMaps() {
        expectParses("optional_nested_message { a: 1 } repeated_nested_message: { b: 'x' } repeated_nested_message < a: 2 >") {
            $0.optionalNestedMessage = FormatNested.with { $0.a = 1 }
            $0.repeatedNestedMessage = [FormatNested.with { $0.b = "x" }, FormatNested.with { $0.a = 2 }]
        }
        expectParses("repeated_int32: [1, 2, 3] repeated_int32: 4 repeated_int32: [] repeated_nested_message [{a: 1}, <a: 2>]") {
            $0.repeatedInt32 = [1, 2, 3, 4]; $0.repeatedNestedMessage = [FormatNested.with { $0.a = 1 }, FormatNested.with { $0.a = 2 }]
        }
        expectParses("map_string_string { key: 'a' value: 'b' } map_string_string: { value: 'c' } map_int32_color [{key: 1 value: RED}, {key: 2}]") {
            $0.mapStringString = ["a": "b", "": "c"]; $0.mapInt32Color = [1: .red, 2: .unspecified]
        }
        // The last entry with a key wins.
        expectParses("map_string_nested_message { key: 'dup' value: { a: 123 } } map_string_nested_message { key: 'dup' value { b: 'x' } }") {
            $0.mapStringNestedMessage = ["dup": FormatNested.with { $0.b = "x" }]
        }
        expectParses("recursive { recursive { optional_int32: 3 } } oneof_recursive: { optional_int32: 4 }") {
            $0.recursive = M.with { $0.recursive = M.with { $0.optionalInt32 = 3 } }
            $0.oneofField = .oneofRecursive(M.with { $0.optionalInt32 = 4 })
        }
        expectFails("optional_nested_message { a: 1 ", .truncated)
        expectFails("optional_nested_message { a: 1 >", .syntax)
        expectFails("repeated_int32: [1, 2", .truncated)
        expectFails("repeated_int32: [1 2]", .syntax)
        expectFails("map_string_string { key: 'a' other: 'b' }", .unknownField)
        expectFails("map_string_string { key: 'a' key: 'b' }", .duplicateField)
        expectFails("optional_int32 5", .syntax)
    }

    @Test func duplicatesOneofsAndUnknownNames() {
        expectFails("optional_int32: 1\noptional_int32: 2", .duplicateField, line: 2, column: 1)
        expectFails("optional_nested_message {}\noptional_nested_message {}", .duplicateField)
        expectFails("oneof_uint32: 1 oneof_string: 'x'", .oneofConflict, line: 1, column: 17)
        expectFails("no_such_field: 1", .unknownField, line: 1, column: 1)
        expectFails("optionalInt32: 1", .unknownField)
        expectFails("[some.extension]: 1", .unknownExtension)
        expectFails("1: 2", .syntax)
        let e = expectFails("optional_nested_message {\n  a: 1\n  b: 2\n}", .syntax, line: 3, column: 6)
        #expect(e?.path == "optional_nested_message.b")
        #expect(e?.description == "line 3, column 6: optional_nested_message.b: expected a string, found \"2\"")
        let listError = expectFails("repeated_nested_message [{a: 1}, {a: x}]", .syntax)
        #expect(listError?.path == "repeated_nested_message[1].a")
    }

    @Test func anyExpandedForm() {
        expectParses("optional_any { [type.googleapis.com/test.FormatAllTypes] { optional_int32: 12345 } }") {
            $0.optionalAny = Google_Protobuf_Any(packing: M.with { $0.optionalInt32 = 12345 })
        }
        expectParses("optional_any { [type.googleapis.com/google.protobuf.Duration]: < seconds: 1 > }") {
            $0.optionalAny = Google_Protobuf_Any(packing: Google_Protobuf_Duration(seconds: 1))
        }
        expectParses(#"optional_any { type_url: "type.googleapis.com/test.FormatAllTypes" value: "\b\271`" }"#) {
            $0.optionalAny = Google_Protobuf_Any(packing: M.with { $0.optionalInt32 = 12345 })
        }
        expectFails("optional_any { [type.googleapis.com/unknown] { optional_int32: 12345 } }", .unknownExtension)
        expectFails("optional_any { [type.googleapis.com/test.FormatAllTypes] { no_field: 1 } }", .unknownField)
        expectFails("optional_any { type_url: 'x' [type.googleapis.com/google.protobuf.Empty] {} }", .duplicateField)
    }

    @Test func commentsAndWhitespace() {
        expectParses("# leading comment\n\toptional_int32 :\r\n 1 # trailing\n\u{B}\u{C}optional_string: 'x' # end") {
            $0.optionalInt32 = 1; $0.optionalString = "x"
        }
        expectParses("") { _ in }
        expectParses("   # only a comment") { _ in }
    }

    @Test func depthLimit() {
        func chain(_ levels: Int) -> String {
            String(repeating: "recursive { ", count: levels) + String(repeating: "} ", count: levels)
        }
        if case .failure(let e) = parse(chain(100)) { Issue.record("100 levels failed: \(e)") }
        expectFails(chain(101), .recursionLimitExceeded)
        expectFails(String(repeating: "recursive {", count: 100_000), .recursionLimitExceeded)
    }

    @Test func messagesWithoutFieldTables() {
        // Printed by number, from the wire bytes; not parsed.
        var legacy = TestNested()
        legacy.a = 150
        legacy.b = "x"
        #expect(legacy.textFormatString() == "1: 150\n2: \"x\"\n")
        #expect(throws: TextFormatDecodingError.self) { try TestNested(textFormatString: "a: 1") }
    }
}
