// Random messages through JSON and the text format and back: the message read back must equal
// the original and encode to the same wire bytes. JSON output is also checked to be JSON by
// Foundation's own parser, independently of ours.

import Foundation
import ProtoWire
import Testing
import TestSupport

@Suite("JSON and text-format round trips")
struct FormatRoundTripTests {
    static let count = 1500

    @Test("random messages survive JSON, with every combination of output options")
    func jsonRoundTrip() throws {
        var rng = SplitMix64(seed: 0x4A53_4F4E)
        let optionSets: [JSONEncodingOptions] = [
            JSONEncodingOptions(typeRegistry: formatTestRegistry),
            JSONEncodingOptions(alwaysPrintFieldsWithoutPresence: true, typeRegistry: formatTestRegistry),
            JSONEncodingOptions(preserveProtoFieldNames: true, typeRegistry: formatTestRegistry),
            JSONEncodingOptions(enumsAsIntegers: true, typeRegistry: formatTestRegistry),
        ]
        let decoding = JSONDecodingOptions(typeRegistry: formatTestRegistry)
        var checked = 0
        for i in 0..<Self.count {
            let m = rng.formatAllTypes(finite: true)
            let options = optionSets[i % optionSets.count]
            let json: [UInt8]
            do {
                json = try m.jsonUTF8Bytes(options: options)
            } catch {
                Issue.record("message \(i) did not encode: \(error)\n\(m.textFormatString())")
                continue
            }
            // Foundation's parser must accept the document as JSON.
            #expect((try? JSONSerialization.jsonObject(with: Data(json), options: [.fragmentsAllowed])) != nil,
                    "not JSON: \(String(decoding: json, as: UTF8.self))")
            do {
                let back = try FormatAllTypes(jsonUTF8Bytes: json, options: decoding)
                #expect(back == m, "message \(i) changed through JSON: \(String(decoding: json, as: UTF8.self))")
                #expect(back.serializedBytes() == m.serializedBytes(), "message \(i): wire bytes differ after JSON")
                checked += 1
            } catch {
                Issue.record("message \(i) did not decode: \(error)\n\(String(decoding: json, as: UTF8.self))")
            }
        }
        #expect(checked == Self.count)
    }

    @Test("random messages survive the text format, infinities included")
    func textRoundTrip() throws {
        var rng = SplitMix64(seed: 0x5445_5854)
        let printing = TextFormatEncodingOptions(typeRegistry: formatTestRegistry)
        let parsing = TextFormatDecodingOptions(typeRegistry: formatTestRegistry)
        var checked = 0
        for i in 0..<Self.count {
            let m = rng.formatAllTypes()
            let text = m.textFormatString(options: printing)
            do {
                let back = try FormatAllTypes(textFormatString: text, options: parsing)
                #expect(back == m, "message \(i) changed through the text format:\n\(text)")
                #expect(back.serializedBytes() == m.serializedBytes(), "message \(i): wire bytes differ after text")
                checked += 1
            } catch {
                Issue.record("message \(i) did not parse: \(error)\n\(text)")
            }
        }
        #expect(checked == Self.count)
    }

    @Test("JSON written by Foundation from the same values reads as the same message")
    func foundationWrittenJSON() throws {
        let object: [String: Any] = [
            "optionalInt32": -7, "optionalInt64": "-9007199254740993", "optionalUint64": 18_446_744_073_709_551_615 as UInt64,
            "optionalDouble": 0.1, "optionalFloat": 2.5, "optional_bool": true, "optionalString": "é \" \\ \n 😁",
            "optionalBytes": Data([0, 1, 254, 255]).base64EncodedString(), "repeatedInt32": [1, 2, 3],
            "mapStringString": ["k": "v"], "optionalNestedMessage": ["a": 5, "b": "x"], "optionalColor": "GREEN",
        ]
        let data = try JSONSerialization.data(withJSONObject: object)
        let m = try FormatAllTypes(jsonUTF8Data: data)
        var expected = FormatAllTypes()
        expected.optionalInt32 = -7
        expected.optionalInt64 = -9_007_199_254_740_993
        expected.optionalUint64 = .max
        expected.optionalDouble = 0.1
        expected.optionalFloat = 2.5
        expected.optionalBool = true
        expected.optionalString = "é \" \\ \n 😁"
        expected.optionalBytes = Data([0, 1, 254, 255])
        expected.repeatedInt32 = [1, 2, 3]
        expected.mapStringString = ["k": "v"]
        expected.optionalNestedMessage = FormatNested.with { $0.a = 5; $0.b = "x" }
        expected.optionalColor = .green
        #expect(m == expected)
    }
}
