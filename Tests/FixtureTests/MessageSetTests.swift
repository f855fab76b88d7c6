import Foundation
import GeneratedFixtures
import ProtoWire
import Testing

/// `Bag` of `extensions/extensions.proto` is a MessageSet (`message_set_wire_format`): its
/// extensions are written as items of group 1 (`type_id` 2, `message` 3), checked against
/// Python's protobuf (upb) both ways.
@Suite struct MessageSetTests {
    typealias Bag = Fixtures_Extensions_Bag
    typealias Envelope = Fixtures_Extensions_Envelope

    /// Python's bytes for a Bag holding bag_note { text: "t" level: 5 } and then
    /// bag_holder { name: "h" } (see `pythonAgreesBothWays`, which checks them again).
    static let pythonBag: [UInt8] = [
        0x0B, 0x10, 0x64, 0x1A, 0x05, 0x0A, 0x01, 0x74, 0x10, 0x05, 0x0C,
        0x0B, 0x10, 0xF9, 0xBB, 0x5E, 0x1A, 0x03, 0x0A, 0x01, 0x68, 0x0C,
    ]

    static func sample() -> Bag {
        var bag = Bag()
        bag.set(Fixtures_Extensions_Extensions_bag_note, to: Fixtures_Extensions_Note(text: "t", level: 5))
        bag.set(Fixtures_Extensions_Extensions_bag_holder, to: Fixtures_Extensions_Holder(name: "h"))
        return bag
    }

    @Test func extensionsAreWrittenAsItems() throws {
        let bag = Self.sample()
        #expect(bag.serializedBytes() == Self.pythonBag)
        #expect(bag.encodedSize() == Self.pythonBag.count)
        let decoded = try Bag(serializedBytes: Self.pythonBag)
        #expect(decoded == bag)
        #expect(try decoded.get(Fixtures_Extensions_Extensions_bag_note) == Fixtures_Extensions_Note(text: "t", level: 5))
        #expect(try decoded.get(Fixtures_Extensions_Extensions_bag_holder)?.name == "h")
    }

    @Test func messageBeforeTypeIDIsReadToo() throws {
        // message (3) first, then type_id (2); the output puts type_id first.
        let swapped: [UInt8] = [0x0B, 0x1A, 0x03, 0x0A, 0x01, 0x74, 0x10, 0x64, 0x0C]
        let decoded = try Bag(serializedBytes: swapped)
        #expect(try decoded.get(Fixtures_Extensions_Extensions_bag_note) == Fixtures_Extensions_Note(text: "t"))
        #expect(decoded.serializedBytes() == [0x0B, 0x10, 0x64, 0x1A, 0x03, 0x0A, 0x01, 0x74, 0x0C])
    }

    @Test func itemsOfOneTypeMergeAndUnknownItemsRoundTrip() throws {
        // Two items for bag_note (text, then level), one for type id 999 that no extension
        // declares, and a field inside an item (4) that the format drops.
        let bytes: [UInt8] = [
            0x0B, 0x10, 0x64, 0x1A, 0x03, 0x0A, 0x01, 0x74, 0x0C,
            0x0B, 0x10, 0xE7, 0x07, 0x20, 0x01, 0x1A, 0x02, 0x08, 0x01, 0x0C,
            0x0B, 0x1A, 0x02, 0x10, 0x07, 0x10, 0x64, 0x0C,
        ]
        let decoded = try Bag(serializedBytes: bytes)
        #expect(try decoded.get(Fixtures_Extensions_Extensions_bag_note) == Fixtures_Extensions_Note(text: "t", level: 7))
        #expect(decoded.serializedBytes() == [
            0x0B, 0x10, 0x64, 0x1A, 0x03, 0x0A, 0x01, 0x74, 0x0C,
            0x0B, 0x10, 0xE7, 0x07, 0x1A, 0x02, 0x08, 0x01, 0x0C,
            0x0B, 0x10, 0x64, 0x1A, 0x02, 0x10, 0x07, 0x0C,
        ])
        let again = try Bag(serializedBytes: decoded.serializedBytes())
        #expect(again == decoded)
    }

    @Test func aMessageSetInsideAMessage() throws {
        let envelope = Envelope(bag: Self.sample(), after: 3)
        let bytes = envelope.serializedBytes()
        #expect(bytes == [0x0A, UInt8(Self.pythonBag.count)] + Self.pythonBag + [0x10, 0x03])
        let decoded = try Envelope(serializedBytes: bytes)
        #expect(decoded == envelope)
        #expect(try decoded.bag?.get(Fixtures_Extensions_Extensions_bag_holder)?.name == "h")
    }

    @Test func anItemWithoutTypeIDIsAnError() {
        // The second item (at byte 6) has a message but no type_id.
        do {
            _ = try Bag(serializedBytes: [0x0B, 0x10, 0x64, 0x1A, 0x00, 0x0C, 0x0B, 0x1A, 0x00, 0x0C])
            Issue.record("an item without type_id decoded")
        } catch {
            #expect(error.code == .malformedMessageSetItem)
            #expect(error.fieldNumber == 1)
            #expect(error.offset == 6)
        }
        #expect(throws: WireDecodingError.self) { try Bag(serializedBytes: [0x0B, 0x10, 0x64]) }  // no end-group
    }

    @Test func jsonAndTextFormatNameTheExtensions() throws {
        let registry = ExtensionRegistry([Fixtures_Extensions_Extensions_bag_note, Fixtures_Extensions_Extensions_bag_holder])
        let bag = Self.sample()
        let json = try bag.jsonString(options: JSONEncodingOptions(extensions: registry))
        #expect(json == #"{"[fixtures.extensions.bag_note]":{"text":"t","level":5},"[fixtures.extensions.bag_holder]":{"name":"h"}}"#)
        #expect(try Bag(jsonString: json, options: JSONDecodingOptions(extensions: registry)).serializedBytes() == Self.pythonBag)
        let text = bag.textFormatString(options: TextFormatEncodingOptions(extensions: registry))
        let read = try Bag(textFormatString: text, options: TextFormatDecodingOptions(extensions: registry))
        #expect(read.serializedBytes() == Self.pythonBag)
    }

    @Test func pythonAgreesBothWays() throws {
        let workspace = FileManager.default.temporaryDirectory
            .appendingPathComponent("messageset-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }
        let descriptorSet = workspace.appendingPathComponent("extensions.pb").path
        let swiftBytes = workspace.appendingPathComponent("swift.bin").path
        try Data(Self.sample().serializedBytes()).write(to: URL(fileURLWithPath: swiftBytes))
        try DifferentialHarness.runChecked([
            "protoc", "-I", DifferentialHarness.repoRoot.appendingPathComponent("Fixtures/protos").path,
            "--include_imports", "--descriptor_set_out=\(descriptorSet)", "extensions/extensions.proto",
        ])
        let script = #"""
            import sys
            from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
            fds = descriptor_pb2.FileDescriptorSet.FromString(open(sys.argv[1], "rb").read())
            pool = descriptor_pool.DescriptorPool()
            for f in fds.file:
                pool.Add(f)
            classes = message_factory.GetMessageClassesForFiles([f.name for f in fds.file], pool)
            Bag = classes["fixtures.extensions.Bag"]
            note = pool.FindExtensionByName("fixtures.extensions.bag_note")
            holder = pool.FindExtensionByName("fixtures.extensions.bag_holder")
            bag = Bag()
            bag.Extensions[note].text = "t"
            bag.Extensions[note].level = 5
            bag.Extensions[holder].name = "h"
            print(bag.SerializeToString().hex())
            swift = Bag.FromString(open(sys.argv[2], "rb").read())
            assert swift == bag, swift
            assert swift.Extensions[holder].name == "h"
            print("equal")
            """#
        let output = try DifferentialHarness.runChecked(["python3", "-c", script, descriptorSet, swiftBytes])
        let lines = output.stdout.split(separator: "\n")
        #expect(lines.first.map(String.init) == Self.pythonBag.map { String(format: "%02x", $0) }.joined())
        #expect(lines.last == "equal", "\(output.transcript)")
    }
}
