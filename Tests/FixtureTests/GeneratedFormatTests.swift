// The JSON mapping and the text format through generated code: the field tables, visitors and
// decoders the plugin writes for every message and the name tables it writes for every enum.

import GeneratedFixtures
import ProtoWire
import Testing

@Suite struct GeneratedFormatTests {
    @Test func searchRequestInJSONAndText() throws {
        let request = SearchRequest(query: "pizza", lat: 1.5, lng: -2.25, pageNumber: 2, resultPerPage: 10)
        let json = #"{"query":"pizza","pageNumber":2,"resultPerPage":10,"lat":1.5,"lng":-2.25}"#
        #expect(try request.jsonString() == json)
        #expect(try SearchRequest(jsonString: json) == request)
        let protoNames = try request.jsonString(options: JSONEncodingOptions(preserveProtoFieldNames: true))
        #expect(protoNames == #"{"query":"pizza","page_number":2,"result_per_page":10,"lat":1.5,"lng":-2.25}"#)
        #expect(try SearchRequest(jsonString: protoNames) == request)
        let text = "query: \"pizza\"\npage_number: 2\nresult_per_page: 10\nlat: 1.5\nlng: -2.25\n"
        #expect(request.description == text)
        #expect(try SearchRequest(textFormatString: text) == request)
        // Defaults are left out unless asked for.
        #expect(try SearchRequest().jsonString() == "{}")
        let defaults = try SearchRequest().jsonString(options: JSONEncodingOptions(alwaysPrintFieldsWithoutPresence: true))
        #expect(defaults == #"{"query":"","pageNumber":0,"resultPerPage":0,"lat":0,"lng":0}"#)
    }

    @Test func repeatedMessagesInJSON() throws {
        let responses = SearchResponses(responses: (0..<3).map { SearchResponse(response: "place \($0)") })
        let json = try responses.jsonString()
        #expect(json == #"{"responses":[{"response":"place 0"},{"response":"place 1"},{"response":"place 2"}]}"#)
        #expect(try SearchResponses(jsonString: json) == responses)
        let text = responses.textFormatString()
        #expect(text.hasPrefix("responses {\n  response: \"place 0\"\n}\n"))
        #expect(try SearchResponses(textFormatString: text) == responses)
    }

    @Test func enumsByNameAndNumber() throws {
        var m = Fixtures_Enums_Enums()
        m.color = .red
        m.levels = [.belowZero, .ceiling]
        m.mood = .sad
        m.choice = .choiceLevel(.floor)
        let json = try m.jsonString()
        #expect(json.contains(#""color":"COLOR_RED""#))
        #expect(json.contains(#""levels":["LEVEL_BELOW_ZERO","LEVEL_CEILING"]"#))
        #expect(json.contains(#""mood":"MOOD_SAD""#))
        #expect(json.contains(#""choiceLevel":"LEVEL_FLOOR""#))
        #expect(try Fixtures_Enums_Enums(jsonString: json) == m)
        let numbers = try m.jsonString(options: JSONEncodingOptions(enumsAsIntegers: true))
        #expect(numbers.contains(#""color":1"#) && numbers.contains(#""mood":-5"#) && numbers.contains(#""levels":[-1,2147483647]"#))
        #expect(try Fixtures_Enums_Enums(jsonString: numbers) == m)
        // An open enum keeps a number it does not declare; an unknown name is an error unless
        // unknown fields are ignored.
        #expect(try Fixtures_Enums_Enums(jsonString: #"{"color":77}"#).color == .unrecognized(77))
        #expect(throws: JSONDecodingError.self) { try Fixtures_Enums_Enums(jsonString: #"{"color":"COLOR_PURPLE"}"#) }
        let ignoring = JSONDecodingOptions(ignoreUnknownFields: true)
        #expect(try Fixtures_Enums_Enums(jsonString: #"{"color":"COLOR_PURPLE","nope":1}"#, options: ignoring) == Fixtures_Enums_Enums())
        #expect(Fixtures_Enums_Color.enumSchema.enumName == "fixtures.enums.Color")
        #expect(Fixtures_Enums_Enums.Mood.enumSchema.number(named: "MOOD_SAD") == -5)
        let text = m.textFormatString()
        #expect(text.contains("color: COLOR_RED\n") && text.contains("choice_level: LEVEL_FLOOR\n"))
        #expect(try Fixtures_Enums_Enums(textFormatString: text) == m)
    }

    @Test func mapsWithEveryKeyKind() throws {
        var m = Fixtures_Maps_Maps()
        m.boolKey = [true: "yes", false: "no"]
        m.stringKey = ["b": "2", "a": "1"]
        m.enumValue = ["x": .apple]
        m.messageValue = ["v": Fixtures_Maps_Value(text: "t", number: 9)]
        let json = try m.jsonString()
        #expect(json.contains(#""boolKey":{"false":"no","true":"yes"}"#))
        #expect(json.contains(#""stringKey":{"a":"1","b":"2"}"#))
        #expect(json.contains(#""messageValue":{"v":{"text":"t","number":"9"}}"#))
        #expect(try Fixtures_Maps_Maps(jsonString: json) == m)
        #expect(try Fixtures_Maps_Maps(textFormatString: m.textFormatString()) == m)
    }

    @Test func wellKnownTypesInAGeneratedMessage() throws {
        var m = Fixtures_Imports_Everything()
        m.timestamp = Google_Protobuf_Timestamp(seconds: 1_700_000_000, nanos: 500_000_000)
        m.duration = Google_Protobuf_Duration(seconds: 3, nanos: 0)
        m.int32Value = Google_Protobuf_Int32Value(value: 5)
        m.fieldMask = Google_Protobuf_FieldMask(paths: ["a.b_c", "d"])
        m.wrapped = .wrappedString(Google_Protobuf_StringValue(value: "w"))
        let json = try m.jsonString()
        #expect(json.contains(#""timestamp":"2023-11-14T22:13:20.500Z""#))
        #expect(json.contains(#""duration":"3s""#))
        #expect(json.contains(#""int32Value":5"#))
        #expect(json.contains(#""fieldMask":"a.bC,d""#))
        #expect(json.contains(#""wrappedString":"w""#))
        #expect(try Fixtures_Imports_Everything(jsonString: json) == m)
        #expect(try Fixtures_Imports_Everything(textFormatString: m.textFormatString()) == m)
    }

    @Test func errorsNameThePathAndOffset() {
        do {
            _ = try SearchResponses(jsonString: #"{"responses":[{"response":"a"},{"response":7}]}"#)
            Issue.record("a number for a string field was accepted")
        } catch {
            #expect("\(error)".contains("$.responses[1].response"))
            #expect("\(error)".hasSuffix("at byte 43"))
        }
    }

    /// `editions/editions.proto`: JSON and the text format follow each field's resolved features,
    /// as the binary format does.
    @Test func editionsPresenceInJSONAndText() throws {
        // count: explicit presence (the edition's default), so a set zero is written; total and
        // ratio: implicit (`features.field_presence = IMPLICIT`), left out at zero.
        let zeros = Fixtures_Editions_Editions(count: 0, total: 0, ratio: 0)
        #expect(try zeros.jsonString() == #"{"count":0}"#)
        #expect(zeros.textFormatString() == "count: 0\n")
        #expect(try Fixtures_Editions_Editions(jsonString: #"{"count":0}"#).count == 0)
        #expect(try Fixtures_Editions_Editions(jsonString: "{}").count == nil)
        #expect(try Fixtures_Editions_Editions(textFormatString: "count: 0").count == 0)
        #expect(try Fixtures_Editions_Editions(textFormatString: "").count == nil)
        // Plain sets implicit presence field by field; its `flag` keeps the edition's explicit one.
        let plain = Fixtures_Editions_Plain(number: 0, name: "", tone: .unspecified, flag: false)
        #expect(try plain.jsonString() == #"{"flag":false}"#)
        #expect(plain.textFormatString() == "flag: false\n")
        let every = try plain.jsonString(options: JSONEncodingOptions(alwaysPrintFieldsWithoutPresence: true))
        #expect(every == #"{"number":0,"name":"","tone":"TONE_UNSPECIFIED","flag":false}"#)
        #expect(try Fixtures_Editions_Plain(jsonString: every) == plain)
    }

    @Test func editionsEnumOpennessInJSONAndText() throws {
        var m = Fixtures_Editions_Editions()
        m.shape = .square
        m.shapes = [.circle, .triangle]
        m.tone = .high
        m.toneByName = ["a": .low]
        m.choice = .chosenShape(.triangle)
        let json = try m.jsonString()
        #expect(json.contains(#""shape":"SHAPE_SQUARE""#) && json.contains(#""shapes":["SHAPE_CIRCLE","SHAPE_TRIANGLE"]"#))
        #expect(json.contains(#""toneByName":{"a":"TONE_LOW"}"#) && json.contains(#""chosenShape":"SHAPE_TRIANGLE""#))
        #expect(try Fixtures_Editions_Editions(jsonString: json) == m)
        #expect(try Fixtures_Editions_Editions(textFormatString: m.textFormatString()) == m)
        // Shape is closed (`features.enum_type = CLOSED`): a number it does not declare is an
        // error, in JSON and in text; Tone is open and keeps it.
        #expect(throws: JSONDecodingError.self) { try Fixtures_Editions_Editions(jsonString: #"{"shape":9}"#) }
        #expect(throws: JSONDecodingError.self) { try Fixtures_Editions_Editions(jsonString: #"{"shapes":[1,9]}"#) }
        #expect(try Fixtures_Editions_Editions(jsonString: #"{"shape":2}"#).shape == .square)
        #expect(try Fixtures_Editions_Editions(jsonString: #"{"tone":9}"#).tone == .unrecognized(9))
        #expect(throws: TextFormatDecodingError.self) { try Fixtures_Editions_Editions(textFormatString: "shape: 9") }
        #expect(try Fixtures_Editions_Editions(textFormatString: "tone: 9").tone == .unrecognized(9))
        // With unknown fields ignored, the undeclared number is dropped and the rest is read.
        let ignoring = JSONDecodingOptions(ignoreUnknownFields: true)
        let skipped = try Fixtures_Editions_Editions(jsonString: #"{"shape":9,"count":3}"#, options: ignoring)
        #expect(skipped.shape == nil && skipped.count == 3)
        // Read from the wire, the closed enum's undeclared number is an unknown field, which the
        // text format shows by number and JSON leaves out.
        let decoded = try Fixtures_Editions_Editions(serializedBytes: [0x38, 0x09])
        #expect(decoded.textFormatString() == "7: 9\n")
        #expect(try decoded.jsonString() == "{}")
    }
}
