import Foundation
import GeneratedFixtures
import ProtoWire
import Testing

/// What the generated fixture types do, feature by feature, against hand-computed bytes.
@Suite struct EnumFixtureTests {
    @Test func unknownOpenEnumNumbersSurviveARoundTrip() throws {
        // Field 1 (color) = 7, field 2 (colors, packed) = [1, 99].
        let bytes: [UInt8] = [0x08, 0x07, 0x12, 0x02, 0x01, 0x63]
        let decoded = try Fixtures_Enums_Enums(serializedBytes: bytes)
        #expect(decoded.color == .unrecognized(7))
        #expect(decoded.colors == [.red, .unrecognized(99)])
        #expect(decoded.serializedBytes() == bytes)
    }

    @Test func aliasesAreTheSameValue() {
        #expect(Fixtures_Enums_Level.minimal == .low)
        #expect(Fixtures_Enums_Level.top == .high)
        #expect(Fixtures_Enums_Level.maximal.rawValue == 2)
        #expect(Fixtures_Enums_Level.allCases.count == 6, "aliases are not extra cases")
    }

    @Test func anAliasWhoseSwiftNameIsTakenIsStillReadByItsProtoName() throws {
        // `level_top` and `LEVEL_TOP` are one Swift name (`top`); JSON and text name both.
        #expect(try Fixtures_Enums_Enums(jsonString: #"{"level": "level_top"}"#).level == .high)
        #expect(try Fixtures_Enums_Enums(textFormatString: "level: level_top").level == .high)
        #expect(try Fixtures_Enums_Enums(jsonString: #"{"level": "LEVEL_TOP"}"#).level == .high)
    }

    @Test func negativeEnumValuesTakeTenBytes() {
        let message = Fixtures_Enums_Enums(level: .belowZero)
        #expect(message.serializedBytes() == [0x28] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
        #expect(Fixtures_Enums_Level(rawValue: Int32.min) == .floor)
    }

    @Test func optionalEnumKeepsPresenceOfTheZeroValue() throws {
        let message = Fixtures_Enums_Enums(maybeColor: .unspecified)
        #expect(message.serializedBytes() == [0x18, 0x00])
        #expect(try Fixtures_Enums_Enums(serializedBytes: [0x18, 0x00]).maybeColor == .unspecified)
        #expect(Fixtures_Enums_Enums().maybeColor == nil)
    }

    @Test func unpackedRepeatedIsWrittenOneTagPerValue() {
        let message = Fixtures_Enums_Enums(unpackedColors: [.red, .green])
        #expect(message.serializedBytes() == [0x20, 0x01, 0x20, 0x02])
    }
}

@Suite struct NestedFixtureTests {
    @Test func recursiveMessagesAreValuesAndRoundTrip() throws {
        var leaf = Fixtures_Nested_Node(label: "leaf")
        var root = Fixtures_Nested_Node(label: "root")
        root.child = leaf
        root.children = [leaf, leaf]
        root.namedChildren = ["x": leaf]
        // Value semantics: changing the copy later does not change the tree.
        leaf.label = "changed"
        #expect(root.child?.label == "leaf")
        root.child?.child = Fixtures_Nested_Node(label: "grandchild")
        #expect(root.child?.child?.label == "grandchild")
        let decoded = try Fixtures_Nested_Node(serializedBytes: root.serializedBytes())
        #expect(decoded == root)
        #expect(decoded.child?.child?.label == "grandchild")
    }

    @Test func mutuallyRecursiveMessages() throws {
        var a = Fixtures_Nested_A(aValue: 1)
        a.b = Fixtures_Nested_B(bValue: "b")
        a.b?.a = Fixtures_Nested_A(aValue: 2)
        let decoded = try Fixtures_Nested_A(serializedBytes: a.serializedBytes())
        #expect(decoded.b?.a?.aValue == 2)
        #expect(decoded == a)
    }

    @Test func oneofHoldsOneMemberAndLastOneWins() throws {
        let text = Fixtures_Nested_Choice(value: .text("hi"))
        let number = Fixtures_Nested_Choice(value: .small(5))
        let merged = try Fixtures_Nested_Choice(serializedBytes: text.serializedBytes() + number.serializedBytes())
        #expect(merged.value == .small(5))
        let recursive = Fixtures_Nested_Choice(value: .nestedChoice(Fixtures_Nested_Choice(value: .flag(true))))
        #expect(try Fixtures_Nested_Choice(serializedBytes: recursive.serializedBytes()) == recursive)
    }

    @Test func oneofMessageMembersMerge() throws {
        let first = Fixtures_Nested_Choice(value: .node(Fixtures_Nested_Node(label: "a")))
        let second = Fixtures_Nested_Choice(value: .node(Fixtures_Nested_Node(children: [Fixtures_Nested_Node()])))
        let merged = try Fixtures_Nested_Choice(serializedBytes: first.serializedBytes() + second.serializedBytes())
        guard case .node(let node)? = merged.value else {
            Issue.record("expected the node member, got \(String(describing: merged.value))")
            return
        }
        #expect(node.label == "a")
        #expect(node.children.count == 1)
    }

    @Test func nestingDeeperThanTheLimitThrows() {
        var node = Fixtures_Nested_Node(label: "bottom")
        for _ in 0..<150 {
            var parent = Fixtures_Nested_Node()
            parent.child = node
            node = parent
        }
        let bytes = node.serializedBytes()
        #expect(throws: WireDecodingError.self) { try Fixtures_Nested_Node(serializedBytes: bytes) }
        do {
            _ = try Fixtures_Nested_Node(serializedBytes: bytes)
        } catch {
            #expect(error.code == .recursionLimitExceeded)
            #expect(error.fieldNumber == 1)
        }
    }
}

@Suite struct MapFixtureTests {
    @Test func mapsAreWrittenInKeyOrder() throws {
        var maps = Fixtures_Maps_Maps()
        maps.int64Value = ["b": 2, "a": 1, "é": 3, "z": 4]
        maps.boolKey = [true: "t", false: "f"]
        maps.int32Key = [5: "five", -1: "minus one", 0: "zero"]
        let bytes = maps.serializedBytes()
        // Dictionaries built in another order give the same bytes.
        let again = Fixtures_Maps_Maps(
            int32Key: [0: "zero", 5: "five", -1: "minus one"], boolKey: [false: "f", true: "t"],
            int64Value: ["é": 3, "z": 4, "a": 1, "b": 2]
        )
        #expect(bytes == again.serializedBytes())
        // int32 keys in signed order: the -1 entry (key sign-extended to ten bytes) comes first.
        #expect(Array(bytes.prefix(3)) == [0x0A, 0x16, 0x08])
        // String keys in UTF-8 byte order: "z" (0x7A) before "é" (0xC3 0xA9).
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.range(of: "z")!.lowerBound < text.range(of: "é")!.lowerBound)
        #expect(try Fixtures_Maps_Maps(serializedBytes: bytes) == maps)
    }

    @Test func mapEntryWithMissingKeyOrValueUsesDefaults() throws {
        // int32_key (field 1) entries: one with only a value ("v"), one with only a key (5).
        let decoded = try Fixtures_Maps_Maps(serializedBytes: [0x0A, 0x03, 0x12, 0x01, 0x76, 0x0A, 0x02, 0x08, 0x05])
        #expect(decoded.int32Key == [0: "v", 5: ""])
    }
}

@Suite struct EvolutionFixtureTests {
    @Test func newerFieldsAreKeptAsUnknownAndWrittenBack() throws {
        var v2 = Fixtures_V2_Record(id: 7, name: "seven")
        v2.comment = "added in v2"
        v2.labels = [1: "one"]
        v2.choice = .blob(Data([9]))
        let bytes = v2.serializedBytes()
        let v1 = try Fixtures_V1_Record(serializedBytes: bytes)
        #expect(v1.id == 7)
        #expect(!v1.unknownFields.isEmpty)
        let back = try Fixtures_V2_Record(serializedBytes: v1.serializedBytes())
        #expect(back == v2)
    }

    @Test func scalarsMergeLastOneWinsAndRepeatedConcatenates() throws {
        let a = Fixtures_V1_Record(id: 1, name: "a", values: [1, 2])
        let b = Fixtures_V1_Record(id: 2, values: [3])
        let merged = try Fixtures_V1_Record(serializedBytes: a.serializedBytes() + b.serializedBytes())
        #expect(merged.id == 2)
        #expect(merged.name == "a", "a field absent from the second message keeps its value")
        #expect(merged.values == [1, 2, 3])
    }
}

@Suite struct NamingFixtureTests {
    @Test func keywordFieldsAreUsable() throws {
        var n = Fixtures_Naming_Naming()
        n.class = 1
        n.self_ = 2
        n.default = "d"
        n.protocol = 3
        n.unknownFields_ = Data([1, 2])
        let decoded = try Fixtures_Naming_Naming(serializedBytes: n.serializedBytes())
        #expect(decoded.class == 1 && decoded.self_ == 2 && decoded.default == "d" && decoded.protocol == 3)
        #expect(decoded.unknownFields_ == Data([1, 2]))
        #expect(decoded.unknownFields.isEmpty)
    }

    @Test func swiftPrefixReplacesThePackagePrefix() {
        #expect(NPPrefixed.protoMessageName == "fixtures.prefixed.Prefixed")
    }

    @Test func typesNamedLikeTheRuntimesKeepTheirNames() throws {
        typealias S = Fixtures_Shadowing_Shadowing
        var s = S()
        s.message = S.ProtoMessage(text: "m")
        s.writer = S.WireWriter(value: -3)
        s.reader = S.WireReader(values: [1, 2])
        s.sizes = [S.WireSize(data: Data([9])), S.WireSize()]
        s.unknown = S.UnknownFields(counts: ["a": 1, "b": 2])
        s.box = S.ProtoBox(inner: S(text: "inside"))
        s.errors = ["e": S.WireDecodingError(message: "bad")]
        s.kind = .one
        s.kinds = [.two, .unrecognized(7)]
        s.choice = .stringValue(S.ProtoString(value: "v"))
        s.strings = ["k": S.ProtoString(value: "w")]
        s.text = "t"
        let bytes = s.serializedBytes()
        #expect(try S(serializedBytes: bytes) == s)
        #expect(S.WireWriter.protoMessageName == "fixtures.shadowing.Shadowing.WireWriter")
        // The runtime's own types are still the ones messages conform to and use.
        let unknown: ProtoWire.UnknownFields = try S(serializedBytes: bytes + [0x70, 0x01]).unknownFields
        #expect(unknown.bytes == [0x70, 0x01])
    }

    @Test func wellKnownTypesAreUsableAsFields() throws {
        var e = Fixtures_Imports_Everything()
        e.timestamp = Google_Protobuf_Timestamp(seconds: 1, nanos: 5)
        e.duration = Google_Protobuf_Duration(seconds: -1)
        e.empty = Google_Protobuf_Empty()
        let decoded = try Fixtures_Imports_Everything(serializedBytes: e.serializedBytes())
        #expect(decoded == e)
        #expect(decoded.empty != nil, "an empty message field keeps its presence")
    }
}

/// `fixtures/editions.proto` (edition 2023): each field behaves as its resolved features say.
@Suite struct EditionsFixtureTests {
    @Test func presenceFollowsTheFieldsFeature() throws {
        // count: explicit (the edition's default), so a set zero is written; total: implicit.
        let message = Fixtures_Editions_Editions(count: 0, total: 0, ratio: 0)
        #expect(message.serializedBytes() == [0x08, 0x00])
        #expect(try Fixtures_Editions_Editions(serializedBytes: [0x08, 0x00]).count == 0)
        #expect(try Fixtures_Editions_Editions(serializedBytes: []).count == nil)
        #expect(Fixtures_Editions_Plain(number: 0, flag: false).serializedBytes() == [0x28, 0x00])
    }

    @Test func repeatedEncodingFollowsTheFieldsFeature() throws {
        let message = Fixtures_Editions_Editions(packed: [1, 2], expanded: [1, 2])
        // packed (5): one run, zigzag values 2 and 4; expanded (6): a tag per value.
        #expect(message.serializedBytes() == [0x2A, 0x02, 0x02, 0x04, 0x30, 0x02, 0x30, 0x04])
        // Either encoding is read for either field.
        let swapped = try Fixtures_Editions_Editions(serializedBytes: [0x28, 0x02, 0x32, 0x02, 0x02, 0x04])
        #expect(swapped.packed == [1])
        #expect(swapped.expanded == [1, 2])
    }

    @Test func aClosedEnumsUndeclaredNumbersGoToTheUnknownFields() throws {
        // shape (7) = 9, undeclared in the closed Shape; tone (10) = 9, kept by the open Tone.
        let bytes: [UInt8] = [0x38, 0x09, 0x50, 0x09]
        let decoded = try Fixtures_Editions_Editions(serializedBytes: bytes)
        #expect(decoded.shape == nil)
        #expect(decoded.tone == .unrecognized(9))
        #expect(decoded.unknownFields.count == 2)
        // Written back: the known field first, then the unknown one.
        #expect(decoded.serializedBytes() == [0x50, 0x09, 0x38, 0x09])
    }

    @Test func utf8IsCheckedWhereTheFeatureSays() throws {
        // checked (3) and unchecked (4), each holding the byte 0xFF.
        #expect(throws: WireDecodingError.self) { try Fixtures_Editions_Editions(serializedBytes: [0x1A, 0x01, 0xFF]) }
        let unchecked = try Fixtures_Editions_Editions(serializedBytes: [0x22, 0x01, 0xFF])
        #expect(unchecked.unchecked != nil)
    }
}

/// `fixtures/defaults.proto` (proto2): a field with a declared default reads as it while unset,
/// and presence still tells unset from set to the default.
@Suite struct DefaultsFixtureTests {
    @Test func everyScalarTypeReadsItsDefaultWhileUnset() {
        let m = Fixtures_Defaults_Defaults()
        #expect(m.doubleValue == 1.5)
        #expect(m.floatValue == -2.25)
        #expect(m.int32Value == -42)
        #expect(m.int64Value == Int64.min)
        #expect(m.uint32Value == UInt32.max)
        #expect(m.uint64Value == UInt64.max)
        #expect(m.sint32Value == -7)
        #expect(m.sint64Value == 7_000_000_000)
        #expect(m.fixed32Value == 32)
        #expect(m.fixed64Value == 64)
        #expect(m.sfixed32Value == -32)
        #expect(m.sfixed64Value == -64)
        #expect(m.boolValue == true)
        #expect(m.stringValue == "tab\there \"quoted\" back\\slash é")
        #expect(m.bytesValue == Data([0x00, 0x01, 0xFF, 0x61, 0x62, 0x63, 0x0A]))
        #expect(m.temperature == .mild)
        #expect(m.cold == .freezing && m.cold.rawValue == -10)
        #expect(m.positiveInfinity == .infinity)
        #expect(m.negativeInfinity == -.infinity)
        #expect(m.notANumber.isNaN)
        #expect(m.large == 1e300)
        #expect(m.emptyDefault == "")
        #expect(m.plain == nil)
        // Nothing is set, so nothing is written.
        #expect(m.serializedBytes().isEmpty)
        #expect(!m.hasDoubleValue && !m.hasTemperature && !m.hasStringValue && !m.hasBytesValue && !m.hasNotANumber)
    }

    @Test func presenceTellsUnsetFromSetToTheDefault() throws {
        var m = Fixtures_Defaults_Defaults()
        m.int32Value = -42
        #expect(m.hasInt32Value)
        // Field 3, varint -42 in ten bytes: set to the default, so written.
        #expect(m.serializedBytes() == [0x18, 0xD6, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        let decoded = try Fixtures_Defaults_Defaults(serializedBytes: m.serializedBytes())
        #expect(decoded.hasInt32Value && decoded.int32Value == -42)
        #expect(decoded == m && decoded != Fixtures_Defaults_Defaults())
        m.clearInt32Value()
        #expect(!m.hasInt32Value && m.int32Value == -42)
        #expect(m == Fixtures_Defaults_Defaults())
        // Field 16 = 35 (TEMPERATURE_HOT).
        let hot = try Fixtures_Defaults_Defaults(serializedBytes: [0x80, 0x01, 0x23])
        #expect(hot.hasTemperature && hot.temperature == .hot && !hot.hasCold && hot.cold == .freezing)
        m.stringValue = "x"
        #expect(try Fixtures_Defaults_Defaults(serializedBytes: m.serializedBytes()).stringValue == "x")
        // The initializer sets what it is given; the rest stays unset.
        let initialized = Fixtures_Defaults_Defaults(boolValue: false, plain: 0)
        #expect(initialized.hasBoolValue && initialized.boolValue == false && !initialized.hasDoubleValue)
        #expect(initialized.serializedBytes() == [0x68, 0x00, 0xB8, 0x01, 0x00])
    }

    @Test func aOneofMemberReadsItsDeclaredDefaultWhileItIsNotTheOneSet() throws {
        var m = Fixtures_Defaults_Defaults()
        // No member set: each reads as its default.
        #expect(m.pick == nil)
        #expect(m.pickedNumber == -25)
        #expect(m.pickedTemperature == .hot)
        #expect(m.pickedName == "none \"yet\"")
        #expect(m.pickedBlob == Data([0x01, 0xFF]))
        #expect(m.pickedFlag == true)
        #expect(m.serializedBytes().isEmpty)
        // Another member set: still the default.
        m.pick = .pickedPlain(7)
        #expect(m.pickedNumber == -25 && m.pickedName == "none \"yet\"")
        // Setting through the accessor sets the member, and the others read as their defaults.
        m.pickedNumber = 3
        #expect(m.pick == .pickedNumber(3))
        #expect(m.pickedNumber == 3 && m.pickedFlag == true && m.pickedTemperature == .hot)
        // Set to its default, a member is set and written (field 25, varint -25 in ten bytes).
        m.pickedNumber = -25
        #expect(m.pick == .pickedNumber(-25))
        #expect(m.serializedBytes() == [0xC8, 0x01, 0xE7, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        m.pickedFlag = false
        let decoded = try Fixtures_Defaults_Defaults(serializedBytes: m.serializedBytes())
        #expect(decoded.pick == .pickedFlag(false) && decoded.pickedFlag == false && decoded.pickedNumber == -25)
    }

    @Test func jsonAndTextShowWhatIsSetNotTheDefaults() throws {
        var m = Fixtures_Defaults_Defaults()
        #expect(try m.jsonString() == "{}")
        #expect(m.textFormatString() == "")
        m.int32Value = -42
        #expect(try m.jsonString() == #"{"int32Value":-42}"#)
        #expect(m.textFormatString() == "int32_value: -42\n")
        let fromJSON = try Fixtures_Defaults_Defaults(jsonString: #"{"temperature":"TEMPERATURE_HOT"}"#)
        #expect(fromJSON.hasTemperature && fromJSON.temperature == .hot && !fromJSON.hasInt32Value && fromJSON.int32Value == -42)
        let fromText = try Fixtures_Defaults_Defaults(textFormatString: "bool_value: false")
        #expect(fromText.hasBoolValue && !fromText.boolValue)
    }
}
