import Foundation
import GeneratedFixtures
import ProtoWire
import Testing

/// `extend` fields of `extensions/extensions.proto`, kept in the extended message's unknown fields:
/// typed get, set, has and clear, and bytes that survive decoding untouched.
@Suite struct ExtensionTests {
    typealias Base = Fixtures_Extensions_Base

    @Test func setGetHasClearEachShape() throws {
        var base = Base(id: 7)
        #expect(!base.has(Fixtures_Extensions_Extensions_count))
        #expect(try base.get(Fixtures_Extensions_Extensions_count) == nil)

        base.set(Fixtures_Extensions_Extensions_count, to: 0)
        base.set(Fixtures_Extensions_Extensions_label, to: "héllo")
        base.set(Fixtures_Extensions_Extensions_blob, to: Data([0, 1, 2]))
        base.set(Fixtures_Extensions_Extensions_note, to: Fixtures_Extensions_Note(text: "n", level: 3))
        base.set(Fixtures_Extensions_Extensions_numbers, to: [1, -1, 300])
        base.set(Fixtures_Extensions_Extensions_packed_numbers, to: [-2, 2])
        base.set(Fixtures_Extensions_Extensions_color, to: .blue)
        base.set(Fixtures_Extensions_Extensions_colors, to: [.green, .red])
        base.set(Fixtures_Extensions_Extensions_tags, to: ["a", ""])
        base.set(Fixtures_Extensions_Extensions_ratio, to: -0.5)
        base.set(Fixtures_Extensions_Extensions_flag, to: true)
        base.set(Fixtures_Extensions_Holder.Extensions.holder, to: Fixtures_Extensions_Holder(name: "h"))
        base.set(Fixtures_Extensions_Holder.Extensions.code, to: 0xDEAD_BEEF)

        // Through the wire and back: nothing registered, nothing lost.
        let decoded = try Base(serializedBytes: base.serializedBytes())
        #expect(decoded == base)
        #expect(decoded.id == 7)
        #expect(decoded.has(Fixtures_Extensions_Extensions_count), "explicit presence: zero is held")
        #expect(try decoded.get(Fixtures_Extensions_Extensions_count) == 0)
        #expect(try decoded.get(Fixtures_Extensions_Extensions_label) == "héllo")
        #expect(try decoded.get(Fixtures_Extensions_Extensions_blob) == Data([0, 1, 2]))
        #expect(try decoded.get(Fixtures_Extensions_Extensions_note) == Fixtures_Extensions_Note(text: "n", level: 3))
        #expect(try decoded.get(Fixtures_Extensions_Extensions_numbers) == [1, -1, 300])
        #expect(try decoded.get(Fixtures_Extensions_Extensions_packed_numbers) == [-2, 2])
        #expect(try decoded.get(Fixtures_Extensions_Extensions_color) == .blue)
        #expect(try decoded.get(Fixtures_Extensions_Extensions_colors) == [.green, .red])
        #expect(try decoded.get(Fixtures_Extensions_Extensions_tags) == ["a", ""])
        #expect(try decoded.get(Fixtures_Extensions_Extensions_ratio) == -0.5)
        #expect(try decoded.get(Fixtures_Extensions_Extensions_flag) == true)
        #expect(try decoded.get(Fixtures_Extensions_Holder.Extensions.holder)?.name == "h")
        #expect(try decoded.get(Fixtures_Extensions_Holder.Extensions.code) == 0xDEAD_BEEF)

        var cleared = decoded
        cleared.clear(Fixtures_Extensions_Extensions_note)
        cleared.clear(Fixtures_Extensions_Extensions_numbers)
        #expect(!cleared.has(Fixtures_Extensions_Extensions_note))
        #expect(try cleared.get(Fixtures_Extensions_Extensions_numbers) == nil)
        #expect(try cleared.get(Fixtures_Extensions_Extensions_label) == "héllo", "other extensions stay")
        cleared.set(Fixtures_Extensions_Extensions_tags, to: [])
        #expect(!cleared.has(Fixtures_Extensions_Extensions_tags), "an empty repeated extension is not held")
    }

    @Test func extensionsAreWrittenAfterTheFieldsWithTheirOwnTags() {
        var base = Base(id: 1)
        base.set(Fixtures_Extensions_Extensions_count, to: 150)
        base.set(Fixtures_Extensions_Extensions_packed_numbers, to: [-1, 1])
        base.set(Fixtures_Extensions_Extensions_numbers, to: [5, 6])
        // id = 1; count (100, varint) = 150; packed_numbers (105, packed, zigzag) = [1, 2];
        // numbers (104, expanded) = 5, 6. Tags of 100-199 take two bytes.
        #expect(base.serializedBytes() == [
            0x08, 0x01,
            0xA0, 0x06, 0x96, 0x01,
            0xCA, 0x06, 0x02, 0x01, 0x02,
            0xC0, 0x06, 0x05, 0xC0, 0x06, 0x06,
        ])
    }

    @Test func unknownExtensionsRoundTripByteForByte() throws {
        // Extension numbers no `extend` declares, of every wire type, between and after the
        // known fields: varint 150, fixed64 151, length-delimited 152, a group 153 holding a
        // varint, fixed32 154.
        let v150: [UInt8] = [0xB0, 0x09, 0x7F]
        let id: [UInt8] = [0x08, 0x2A]
        let f151: [UInt8] = [0xB9, 0x09, 1, 2, 3, 4, 5, 6, 7, 8]
        let l152: [UInt8] = [0xC2, 0x09, 0x03, 0x61, 0x62, 0x63]
        let name: [UInt8] = [0x12, 0x01, 0x78]
        let g153: [UInt8] = [0xCB, 0x09, 0x08, 0x01, 0xCC, 0x09]
        let f154: [UInt8] = [0xD5, 0x09, 9, 8, 7, 6]
        let bytes = v150 + id + f151 + l152 + name + g153 + f154
        let decoded = try Base(serializedBytes: bytes)
        #expect(decoded.id == 42)
        #expect(decoded.name == "x")
        // Known fields are written first, the unknown ones after them in the order they came.
        let expected = id + name + v150 + f151 + l152 + g153 + f154
        #expect(decoded.serializedBytes() == expected)
        #expect(try Base(serializedBytes: decoded.serializedBytes()).serializedBytes() == expected)

        // Setting a known extension leaves the unknown ones as they were, in order.
        var updated = decoded
        updated.set(Fixtures_Extensions_Extensions_count, to: 1)
        #expect(updated.serializedBytes() == expected + [0xA0, 0x06, 0x01])
        updated.clear(Fixtures_Extensions_Extensions_count)
        #expect(updated.serializedBytes() == expected)
    }

    @Test func repeatedOccurrencesMergeAsTheWireSays() throws {
        // count = 1 then count = 2: the last wins. note arrives in two parts: text, then level.
        // numbers arrives unpacked, then packed: both are read.
        let bytes: [UInt8] = [
            0xA0, 0x06, 0x01,
            0xBA, 0x06, 0x03, 0x0A, 0x01, 0x74,
            0xC0, 0x06, 0x07,
            0xA0, 0x06, 0x02,
            0xBA, 0x06, 0x02, 0x10, 0x05,
            0xC2, 0x06, 0x02, 0x08, 0x09,
        ]
        let decoded = try Base(serializedBytes: bytes)
        #expect(try decoded.get(Fixtures_Extensions_Extensions_count) == 2)
        #expect(try decoded.get(Fixtures_Extensions_Extensions_note) == Fixtures_Extensions_Note(text: "t", level: 5))
        #expect(try decoded.get(Fixtures_Extensions_Extensions_numbers) == [7, 8, 9])
        #expect(decoded.serializedBytes() == bytes)
    }

    @Test func closedEnumNumbersTheEnumLacksAreNotValues() throws {
        // color (106) = 9 and colors (107) = [1, 9, 2]: 9 is not a Color.
        let bytes: [UInt8] = [0xD0, 0x06, 0x09, 0xD8, 0x06, 0x01, 0xD8, 0x06, 0x09, 0xD8, 0x06, 0x02]
        let decoded = try Base(serializedBytes: bytes)
        #expect(try decoded.get(Fixtures_Extensions_Extensions_color) == nil)
        #expect(try decoded.get(Fixtures_Extensions_Extensions_colors) == [.green, .blue])
        #expect(decoded.serializedBytes() == bytes, "the numbers stay in the message as they came")
    }

    @Test func aBrokenValueIsAnError() throws {
        // note (103) holding a sub-message whose only field claims 5 bytes and has none:
        // decoding keeps the bytes, reading them as a Note fails.
        let decoded = try Base(serializedBytes: [0xBA, 0x06, 0x02, 0x0A, 0x05])
        #expect(decoded.has(Fixtures_Extensions_Extensions_note))
        #expect(throws: WireDecodingError.self) { try decoded.get(Fixtures_Extensions_Extensions_note) }
        #expect(decoded.serializedBytes() == [0xBA, 0x06, 0x02, 0x0A, 0x05])
    }

    @Test func extensionsKnowTheirNames() {
        #expect(Fixtures_Extensions_Extensions_count.fullName == "fixtures.extensions.count")
        #expect(Fixtures_Extensions_Extensions_count.fieldNumber == 100)
        #expect(Fixtures_Extensions_Holder.Extensions.holder.fullName == "fixtures.extensions.Holder.holder")
        #expect(Fixtures_Extensions_Extensions_tags.isRepeated)
    }

    @Test func textFormatNamesRegisteredExtensions() throws {
        var base = Base(id: 3)
        base.set(Fixtures_Extensions_Extensions_count, to: 5)
        base.set(Fixtures_Extensions_Extensions_tags, to: ["a", "b"])
        base.set(Fixtures_Extensions_Extensions_color, to: .green)
        base.set(Fixtures_Extensions_Holder.Extensions.holder, to: Fixtures_Extensions_Holder(name: "h"))
        base.unknownFields.bytes += [0xB0, 0x09, 0x01]  // field 150, which no extension declares
        let registry = ExtensionRegistry([
            Fixtures_Extensions_Extensions_count, Fixtures_Extensions_Extensions_tags,
            Fixtures_Extensions_Extensions_color, Fixtures_Extensions_Holder.Extensions.holder,
        ])
        let text = base.textFormatString(options: TextFormatEncodingOptions(extensions: registry))
        #expect(text == """
            id: 3
            [fixtures.extensions.count]: 5
            [fixtures.extensions.color]: GREEN
            [fixtures.extensions.tags]: "a"
            [fixtures.extensions.tags]: "b"
            [fixtures.extensions.Holder.holder] {
              name: "h"
            }
            150: 1

            """)
        // Without the registry they are fields by number, as any unknown field.
        #expect(base.textFormatString().contains("100: 5"))

        // Unknown fields by number do not read back (in any text-format parser); the rest does.
        let named = text.replacingOccurrences(of: "150: 1\n", with: "")
        let read = try Base(textFormatString: named, options: TextFormatDecodingOptions(extensions: registry))
        #expect(read.id == 3)
        #expect(try read.get(Fixtures_Extensions_Extensions_count) == 5)
        #expect(try read.get(Fixtures_Extensions_Extensions_tags) == ["a", "b"])
        #expect(try read.get(Fixtures_Extensions_Extensions_color) == .green)
        #expect(try read.get(Fixtures_Extensions_Holder.Extensions.holder)?.name == "h")
        #expect(throws: TextFormatDecodingError.self) { try Base(textFormatString: "[fixtures.extensions.count]: 5") }
    }

    @Test func textFormatReadsListsOfRepeatedExtensions() throws {
        let registry = ExtensionRegistry([
            Fixtures_Extensions_Extensions_numbers, Fixtures_Extensions_Extensions_packed_numbers,
            Fixtures_Extensions_Extensions_tags, Fixtures_Extensions_Extensions_colors,
        ])
        let options = TextFormatDecodingOptions(extensions: registry)
        // Lists, single values and empty lists mix, as for a repeated field.
        let read = try Base(textFormatString: """
            [fixtures.extensions.numbers]: [1, -2]
            [fixtures.extensions.numbers]: 3
            [fixtures.extensions.packed_numbers]: [4, 5]
            [fixtures.extensions.tags]: []
            [fixtures.extensions.tags]: ["a", "b"]
            [fixtures.extensions.colors]: [GREEN, 2]
            """, options: options)
        #expect(try read.get(Fixtures_Extensions_Extensions_numbers) == [1, -2, 3])
        #expect(try read.get(Fixtures_Extensions_Extensions_packed_numbers) == [4, 5])
        #expect(try read.get(Fixtures_Extensions_Extensions_tags) == ["a", "b"])
        #expect(try read.get(Fixtures_Extensions_Extensions_colors) == [.green, .blue])
        do {
            _ = try Base(textFormatString: #"[fixtures.extensions.numbers]: [1, "x"]"#, options: options)
            Issue.record("a string in a list of int32 was read")
        } catch {
            #expect(error.description.contains("[fixtures.extensions.numbers]"), "\(error)")
        }
        #expect(throws: TextFormatDecodingError.self) {
            try Base(textFormatString: "[fixtures.extensions.numbers]: [1, 2", options: options)
        }
    }

    @Test func groupExtensionsAreWrittenBetweenGroupTags() throws {
        // Python's bytes for id: 1, extra { x: 7 }, item { name: "a" }, item { name: "b" }.
        let python: [UInt8] = [
            0x08, 0x01, 0xF3, 0x06, 0x08, 0x07, 0xF4, 0x06,
            0xFB, 0x06, 0x0A, 0x01, 0x61, 0xFC, 0x06, 0xFB, 0x06, 0x0A, 0x01, 0x62, 0xFC, 0x06,
        ]
        var base = Base(id: 1)
        base.set(Fixtures_Extensions_Extensions_extra, to: Fixtures_Extensions_Extra(x: 7))
        base.set(Fixtures_Extensions_Extensions_item, to: [Fixtures_Extensions_Item(name: "a"), Fixtures_Extensions_Item(name: "b")])
        #expect(base.serializedBytes() == python)
        let decoded = try Base(serializedBytes: python)
        #expect(decoded == base)
        #expect(try decoded.get(Fixtures_Extensions_Extensions_extra) == Fixtures_Extensions_Extra(x: 7))
        #expect(try decoded.get(Fixtures_Extensions_Extensions_item)?.map(\.name) == ["a", "b"])

        let registry = ExtensionRegistry([Fixtures_Extensions_Extensions_extra, Fixtures_Extensions_Extensions_item])
        let json = try base.jsonString(options: JSONEncodingOptions(extensions: registry))
        #expect(json == #"{"id":1,"[fixtures.extensions.extra]":{"x":7},"[fixtures.extensions.item]":[{"name":"a"},{"name":"b"}]}"#)
        #expect(try Base(jsonString: json, options: JSONDecodingOptions(extensions: registry)) == base)
        let text = base.textFormatString(options: TextFormatEncodingOptions(extensions: registry))
        #expect(text == """
            id: 1
            [fixtures.extensions.extra] {
              x: 7
            }
            [fixtures.extensions.item] {
              name: "a"
            }
            [fixtures.extensions.item] {
              name: "b"
            }

            """)
        #expect(try Base(textFormatString: text, options: TextFormatDecodingOptions(extensions: registry)) == base)

        // A group extension without its end-group tag is an error naming it.
        do {
            _ = try Base(serializedBytes: [0xF3, 0x06, 0x08, 0x07]).get(Fixtures_Extensions_Extensions_extra)
            Issue.record("an unterminated group decoded")
        } catch {
            #expect(error.fieldNumber == 110 || error.code == .truncated, "\(error)")
        }
    }

    @Test func jsonNamesRegisteredExtensions() throws {
        var base = Base(id: 3)
        base.set(Fixtures_Extensions_Extensions_count, to: 5)
        base.set(Fixtures_Extensions_Extensions_packed_numbers, to: [-1, 2])
        base.set(Fixtures_Extensions_Extensions_note, to: Fixtures_Extensions_Note(text: "t"))
        base.unknownFields.bytes += [0xB0, 0x09, 0x01]  // field 150, which no extension declares
        let registry = ExtensionRegistry([
            Fixtures_Extensions_Extensions_count, Fixtures_Extensions_Extensions_packed_numbers,
            Fixtures_Extensions_Extensions_note,
        ])
        let json = try base.jsonString(options: JSONEncodingOptions(extensions: registry))
        #expect(json == #"{"id":3,"[fixtures.extensions.count]":5,"[fixtures.extensions.note]":{"text":"t"},"[fixtures.extensions.packed_numbers]":["-1","2"]}"#)
        #expect(try base.jsonString() == #"{"id":3}"#, "unknown fields, unregistered extensions included, are not JSON")

        let read = try Base(jsonString: json, options: JSONDecodingOptions(extensions: registry))
        #expect(read.id == 3)
        #expect(try read.get(Fixtures_Extensions_Extensions_count) == 5)
        #expect(try read.get(Fixtures_Extensions_Extensions_packed_numbers) == [-1, 2])
        #expect(try read.get(Fixtures_Extensions_Extensions_note)?.text == "t")
        #expect(throws: JSONDecodingError.self) { try Base(jsonString: json) }
    }
}
