import GeneratedFixtures
import ProtoWire
import Testing

/// proto2 on the wire with the generated `fixtures.proto2` types: closed enums' undeclared numbers
/// kept as unknown fields, groups read and written between start-group and end-group tags, and
/// malformed groups rejected with the field and offset.
@Suite struct Proto2WireTests {
    typealias Root = Fixtures_Proto2_Proto2

    func decodeError(_ bytes: [UInt8]) -> WireDecodingError? {
        do {
            _ = try Root(serializedBytes: bytes)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Closed enums

    @Test func undeclaredNumbersGoToUnknownFieldsInEveryShape() throws {
        let bytes: [UInt8] = [
            0x08, 0x07,  // color = 7: undeclared
            0x10, 0x02,  // colors += green
            0x10, 0x63,  // colors += 99: undeclared
            0x1A, 0x03, 0x01, 0x08, 0x03,  // packed_colors: red, 8 (undeclared), blue
            0x22, 0x04, 0x08, 0x01, 0x10, 0x01,  // status_by_number[1] = ok
            0x22, 0x04, 0x08, 0x02, 0x10, 0x02,  // status_by_number[2] = 2: undeclared
            0x30, 0x09,  // chosen_color = 9: undeclared
        ]
        let m = try Root(serializedBytes: bytes)
        #expect(m.color == nil)
        #expect(m.colors == [.green])
        #expect(m.packedColors == [.red, .blue])
        #expect(m.statusByNumber == [1: .ok])
        #expect(m.choice == nil)
        // Each undeclared number as it came (a packed one as a varint of its own, a map entry
        // whole), in the order read.
        #expect(m.unknownFields.bytes == [
            0x08, 0x07, 0x10, 0x63, 0x18, 0x08, 0x22, 0x04, 0x08, 0x02, 0x10, 0x02, 0x30, 0x09,
        ])
        // Re-encoded: the known fields, then the unknown ones.
        let again = try Root(serializedBytes: m.serializedBytes())
        #expect(again == m)
    }

    @Test func undeclaredNumberInAMapWithStringKeysKeepsTheWholeEntry() throws {
        let entry: [UInt8] = [0x2A, 0x05, 0x0A, 0x01, 0x6B, 0x10, 0x04]  // status_by_name["k"] = 4
        let m = try Root(serializedBytes: entry)
        #expect(m.statusByName.isEmpty)
        #expect(m.unknownFields.bytes == entry)
        #expect(m.serializedBytes() == entry)
    }

    // MARK: Groups

    @Test func groupsRoundTrip() throws {
        var m = Root()
        var note = Root.Note()
        note.text = "hi"
        var inner = Root.Note.Inner()
        inner.depth = -3
        inner.colors = [.blue, .negative]
        note.inner = inner
        m.note = note
        var entry = Root.Entry()
        entry.key = 5
        entry.values = [1, 2]
        var nested = Root()
        nested.count = 1
        entry.nested = nested
        m.entry = [entry, Root.Entry()]
        var pick = Root.Pick()
        pick.number = 300
        m.choice = .pick(pick)
        let bytes = m.serializedBytes()
        #expect(bytes.count == m.encodedSize())
        #expect(try Root(serializedBytes: bytes) == m)
    }

    @Test func aGroupIsWrittenBetweenItsTags() throws {
        var m = Root()
        var note = Root.Note()
        note.text = "hi"
        m.note = note
        // Field 23: start-group tag 0xBB 0x01, end-group tag 0xBC 0x01; no length.
        #expect(m.serializedBytes() == [0xBB, 0x01, 0x0A, 0x02, 0x68, 0x69, 0xBC, 0x01])
        #expect(try Root(serializedBytes: [0xBB, 0x01, 0x0A, 0x02, 0x68, 0x69, 0xBC, 0x01]) == m)
    }

    @Test func anEndGroupTagOfAnotherFieldIsAnError() {
        // Note (23) closed by the end-group tag of field 24.
        let error = decodeError([0xBB, 0x01, 0x0A, 0x02, 0x68, 0x69, 0xC4, 0x01])
        #expect(error == WireDecodingError(.unmatchedEndGroup, fieldNumber: 24, offset: 6))
    }

    @Test func aGroupWithoutItsEndGroupTagIsAnError() {
        let error = decodeError([0xBB, 0x01, 0x0A, 0x02, 0x68, 0x69])
        #expect(error == WireDecodingError(.unterminatedGroup, fieldNumber: 23, offset: 6))
        // Unterminated inside a length-delimited message: the message's end ends the search.
        // child (22) holds 4 bytes, Note's start-group tag and an empty text; Note's end-group tag
        // comes after the child has ended.
        let nested = decodeError([0xB2, 0x01, 0x04, 0xBB, 0x01, 0x0A, 0x00, 0xBC, 0x01])
        #expect(nested == WireDecodingError(.unterminatedGroup, fieldNumber: 23, offset: 7))
    }

    @Test func anEndGroupTagInsideANestedMessageDoesNotCloseTheGroup() {
        // Note (23) holding leaf (4), a message whose bytes are Note's end-group tag.
        let error = decodeError([0xBB, 0x01, 0x22, 0x02, 0xBC, 0x01, 0xBC, 0x01])
        #expect(error?.code == .unmatchedEndGroup)
        #expect(error?.offset == 4)
    }

    @Test func anEndGroupTagOutsideAGroupIsAnError() {
        #expect(decodeError([0xBC, 0x01]) == WireDecodingError(.unmatchedEndGroup, fieldNumber: 23, offset: 0))
    }

    @Test func groupsNestedPastTheDepthLimitAreAnError() {
        // Entry (24) holding nested (3) holding Entry ...: two levels per round.
        var m = Root()
        for _ in 0..<(WireReader.recursionLimit / 2 + 1) {
            var entry = Root.Entry()
            entry.nested = m
            m = Root()
            m.entry = [entry]
        }
        let error = decodeError(m.serializedBytes())
        #expect(error?.code == .recursionLimitExceeded)
        #expect(error?.fieldNumber == 24 || error?.fieldNumber == 3)
    }

    /// A tree `levels` deep, each child a group (editions' `DELIMITED` encoding) of the one above.
    func tree(levels: Int) -> Fixtures_Editions_Tree {
        var tree = Fixtures_Editions_Tree()
        tree.value = 1
        for _ in 0..<levels {
            var parent = Fixtures_Editions_Tree()
            parent.child = tree
            tree = parent
        }
        return tree
    }

    @Test func knownGroupsNestedPastTheDepthLimitAreAnError() throws {
        let limit = WireReader.recursionLimit
        // Groups alone, nothing length-delimited between them: `limit` of them fit.
        let deepest = tree(levels: limit)
        let bytes = deepest.serializedBytes()
        #expect(bytes.prefix(limit) == ArraySlice(repeating: 0x0B, count: limit))  // start-group 1, `limit` times
        #expect(try Fixtures_Editions_Tree(serializedBytes: bytes) == deepest)
        for levels in [limit + 1, limit + 2, 1000] {
            do {
                _ = try Fixtures_Editions_Tree(serializedBytes: tree(levels: levels).serializedBytes())
                Issue.record("\(levels) nested groups decoded")
            } catch {
                // Refused at the start-group tag of group `limit + 1`, one byte each.
                #expect(error == WireDecodingError(.recursionLimitExceeded, fieldNumber: 1, offset: limit + 1), "\(levels) levels")
            }
        }
        // Deep and broken: the depth is found first, before the missing end-group tags.
        let unterminated = [UInt8](repeating: 0x0B, count: limit + 1)
        #expect(throws: WireDecodingError(.recursionLimitExceeded, fieldNumber: 1, offset: limit + 1)) {
            try Fixtures_Editions_Tree(serializedBytes: unterminated)
        }
        // Within the limit, a group closed by another field's end-group tag, or never closed.
        #expect(throws: WireDecodingError(.unmatchedEndGroup, fieldNumber: 2, offset: 3)) {
            try Fixtures_Editions_Tree(serializedBytes: [0x0B, 0x0B, 0x0C, 0x14])
        }
        #expect(throws: WireDecodingError(.unterminatedGroup, fieldNumber: 1, offset: 50)) {
            try Fixtures_Editions_Tree(serializedBytes: [UInt8](repeating: 0x0B, count: 50))
        }
    }

    @Test func aGroupOfTheWrongWireTypeIsKeptAsUnknown() throws {
        // Field 23 arriving length-delimited: not a group, so an unknown field.
        let bytes: [UInt8] = [0xBA, 0x01, 0x02, 0x0A, 0x00]
        let m = try Root(serializedBytes: bytes)
        #expect(m.note == nil)
        #expect(m.unknownFields.bytes == bytes)
        #expect(m.serializedBytes() == bytes)
    }
}
