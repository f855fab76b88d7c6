import Foundation
import ProtoWire
import Testing

@Suite struct JSONSmokeTests {
    @Test func roundTrip() throws {
        var m = FormatAllTypes()
        m.optionalInt32 = -5
        m.optionalInt64 = -9_000_000_000
        m.optionalString = "hé\"llo\n"
        m.optionalBytes = Data([1, 2, 3, 255])
        m.optionalDouble = 0.1
        m.optionalFloat = 2.5
        m.repeatedInt32 = [1, 2, 3]
        m.mapStringString = ["b": "2", "a": "1"]
        m.mapBoolBool = [true: false]
        m.mapInt64Int64 = [-1: 5]
        m.optionalColor = .infrared
        m.oneofField = .oneofString("x")
        m.optionalNestedMessage = FormatNested.with { $0.a = 7 }
        m.optionalTimestamp = Google_Protobuf_Timestamp(seconds: 1, nanos: 10_000_000)
        m.optionalDuration = Google_Protobuf_Duration(seconds: -1, nanos: -500_000_000)
        m.optionalValue = ["a": [1, "x", nil, true]]
        m.optionalAny = Google_Protobuf_Any(packing: Google_Protobuf_Duration(seconds: 3))
        m.conventionField3 = 3
        m.customJson = 9
        let json = try m.jsonString()
        print(json)
        let back = try FormatAllTypes(jsonString: json)
        #expect(back == m)
        print(m.textFormatString())
        let text = try FormatAllTypes(textFormatString: m.textFormatString())
        #expect(text == m)
    }
}
