import Foundation
import GeneratedFixtures
import ProtoWire
import Testing

/// Descriptors at run time and `DynamicMessage`: against the generated types of the fixtures
/// (same bytes, same text format, same JSON) and against Python's protobuf, which reads what a
/// dynamic message writes knowing nothing of Swift.
@Suite("Dynamic messages")
struct DynamicMessageTests {
    static let count = 300

    /// One fixture root: its generated type's three writers, and its descriptor.
    struct Root: Sendable, CustomTestStringConvertible {
        let message: String
        let descriptor: ProtoMessageDescriptor
        /// Whether JSON is compared: not for roots holding well-known types, whose JSON forms
        /// dynamic messages do not write.
        let json: Bool
        /// Decodes with the generated type and returns its binary, text format and JSON (nil when
        /// the generated type cannot write it).
        let typed: @Sendable ([UInt8]) throws -> (binary: [UInt8], text: String, json: String?)
        var testDescription: String { message }
    }

    static func root<M: ProtoMessage>(_ type: M.Type, _ descriptor: ProtoMessageDescriptor, json: Bool = true) -> Root {
        Root(message: M.protoMessageName, descriptor: descriptor, json: json) { bytes in
            let m = try M(serializedBytes: bytes)
            return (try m.serializedBytes(), m.textFormatString(), try? m.jsonString())
        }
    }

    static let roots: [Root] = [
        root(Fixtures_Scalars.self, Fixtures_Scalars.protoDescriptor),
        root(Fixtures_Maps_Maps.self, Fixtures_Maps_Maps.protoDescriptor),
        root(Fixtures_Enums_Enums.self, Fixtures_Enums_Enums.protoDescriptor),
        root(Fixtures_Nested_NestedRoot.self, Fixtures_Nested_NestedRoot.protoDescriptor),
        root(Fixtures_Naming_Naming.self, Fixtures_Naming_Naming.protoDescriptor),
        root(NPPrefixed.self, NPPrefixed.protoDescriptor),
        root(Fixtures_Shadowing_Shadowing.self, Fixtures_Shadowing_Shadowing.protoDescriptor),
        root(Fixtures_Imports_Everything.self, Fixtures_Imports_Everything.protoDescriptor, json: false),
        root(Fixtures_Editions_Editions.self, Fixtures_Editions_Editions.protoDescriptor),
        root(Fixtures_Defaults_Defaults.self, Fixtures_Defaults_Defaults.protoDescriptor),
        root(Fixtures_Proto2_Proto2.self, Fixtures_Proto2_Proto2.protoDescriptor),
    ]

    /// Python's random messages, decoded and written by the generated type; the dynamic message
    /// decodes those bytes and must write the same bytes, text and JSON.
    @Test("Same bytes, text format and JSON as the generated type", arguments: roots)
    func sameAsGenerated(_ root: Root) throws {
        #expect(root.descriptor.fullName == root.message)
        var time = DifferentialHarness.Stopwatch()
        let records = try DifferentialTests.PythonRecords(message: root.message, count: Self.count, name: "dynamic-\(root.message)", time: &time)
        var compared = (binary: 0, text: 0, json: 0)
        var failures = 0
        for (index, record) in records.expected.enumerated() {
            guard let typed = try? root.typed(record) else { continue }
            let dynamic = try DynamicMessage(descriptor: root.descriptor, serializedBytes: typed.binary)
            func fail(_ what: String, _ expected: String, _ actual: String) {
                failures += 1
                if failures <= 3 { Issue.record("\(root.message) #\(index) \(what):\nexpected \(expected)\nactual   \(actual)") }
            }
            let binary = dynamic.serializedBytes()
            if binary == typed.binary { compared.binary += 1 } else {
                fail("binary", DifferentialHarness.hex(typed.binary, limit: 300), DifferentialHarness.hex(binary, limit: 300))
            }
            let text = dynamic.textFormatString()
            if text == typed.text { compared.text += 1 } else { fail("text", typed.text, text) }
            if root.json, let typedJSON = typed.json {
                let json = try dynamic.jsonString()
                if json == typedJSON { compared.json += 1 } else { fail("json", typedJSON, json) }
            }
        }
        #expect(failures == 0)
        #expect(compared.binary > Self.count / 2)
        print("dynamic \(root.message): \(compared.binary) binary, \(compared.text) text, \(compared.json) JSON equal to the generated type's of \(records.expected.count)")
    }

    /// Python's random messages decoded by the dynamic message alone; Python parses what it
    /// writes (binary, text format with `text_format`, JSON with `json_format`) and requires
    /// the message it generated.
    @Test("Python reads what a dynamic message writes", arguments: [
        "fixtures.Scalars", "fixtures.enums.Enums", "fixtures.nested.NestedRoot", "fixtures.maps.Maps",
        "fixtures.editions.Editions", "fixtures.proto2.Proto2",
    ])
    func pythonReads(_ message: String) throws {
        let pool = Fixtures_Scalars_FileDescriptorPools.all
        let descriptor = try #require(pool.compactMap { $0.message(named: message) }.first)
        var time = DifferentialHarness.Stopwatch()
        let binaryRecords = try DifferentialTests.PythonRecords(message: message, count: Self.count, name: "dynamic-py-\(message)", time: &time)
        // JSON over records of values JSON and json_format can carry (`generate --json`, see JSONInteropTests).
        let jsonRecords = try DifferentialTests.PythonRecords(
            message: message, count: Self.count, jsonMode: true, name: "dynamic-py-json-\(message)", time: &time)
        for (format, command, records) in [("binary", "check", binaryRecords), ("text", "check-text", binaryRecords), ("json", "check-json", jsonRecords)] {
            let common = ["--descriptor-set", records.workspace.descriptorSet, "--message", message]
            let path = records.workspace.path("dynamic-\(format).rec")
            try DifferentialTests.reencodeAll(records.expected, { bytes in
                let m = try DynamicMessage(descriptor: descriptor, serializedBytes: bytes)
                switch format {
                case "binary": return m.serializedBytes()
                case "text": return Array(m.textFormatString().utf8)
                default: return Array(try m.jsonString().utf8)
                }
            }, label: "\(message) dynamic \(format)", to: path)
            let checked = try DifferentialHarness.python([command] + common + ["--expected", records.expectedPath, "--actual", path])
            let counts = DifferentialHarness.checkCounts(checked)
            #expect(checked.status == 0 && counts?.mismatches == 0 && counts?.messages == records.expected.count, "\(format): \(checked.transcript)")
            print("dynamic \(message) \(format) → python: \(counts?.messages ?? 0) messages, \(counts?.mismatches ?? -1) mismatches")
        }
    }

    @Test("Descriptors: names, fields, oneofs, enums, services, options")
    func descriptors() throws {
        let scalars = Fixtures_Scalars.protoDescriptor
        #expect(scalars.fullName == "fixtures.Scalars")
        #expect(scalars.fields.map(\.number) == scalars.fields.map(\.number).sorted())
        let maps = Fixtures_Maps_Maps.protoDescriptor
        let mapFields = maps.fields.filter(\.isMap)
        #expect(!mapFields.isEmpty)
        for f in mapFields {
            let entry = try #require(f.messageType)
            #expect(entry.isMapEntry && entry.fields.map(\.name) == ["key", "value"])
        }
        let enums = Fixtures_Enums_Enums.protoDescriptor
        let enumField = try #require(enums.fields.first { $0.type == .enum })
        let enumType = try #require(enumField.enumType)
        #expect(enumType.fullName == enumField.typeName)
        #expect(!enumType.values.isEmpty)
        let service = Search.protoDescriptor
        #expect(service.fullName == "Search")
        #expect(!service.methods.isEmpty)
        for m in service.methods {
            #expect(Search_FileDescriptor.pool.message(named: m.inputType) != nil)
        }
        // proto2 presence, proto3 implicit presence, packing by syntax.
        let proto2 = Fixtures_Proto2_Proto2.protoDescriptor
        for f in proto2.fields where !f.isRepeated { #expect(f.hasPresence, "\(f.name)") }
        for f in scalars.fields where !f.isRepeated && f.type != .message && f.oneofIndex == nil {
            #expect(!f.hasPresence, "\(f.name)")
        }
        // Packed by default in proto3, but for `[packed = false]`.
        for f in scalars.fields where f.isRepeated && f.type != .string && f.type != .bytes && f.type != .message {
            #expect(f.isPacked == !f.name.hasPrefix("unpacked_"), "\(f.name)")
        }
        #expect(scalars.fields.contains { $0.name.hasPrefix("unpacked_") })
        #expect(scalars.field(named: "unpacked_int32")?.options.fields(numbered: 2) == [.varint(0)])
    }

    @Test("Every generated message type reaches its descriptor through DescribedMessage")
    func describedTypes() throws {
        let types: [any ProtoMessage.Type] = Fixtures_Scalars_MessageTypes + Fixtures_Maps_Maps_MessageTypes
            + Fixtures_Nested_Nested_MessageTypes + Fixtures_Proto2_Proto2_MessageTypes + Fixtures_Editions_Editions_MessageTypes
            + [Google_Protobuf_Timestamp.self, Google_Protobuf_Any.self]
        for type in types {
            let described = try #require(type as? any DescribedMessage.Type, "\(type)")
            #expect(described.protoDescriptor.fullName == type.protoMessageName)
        }
        var search = SearchRequest()
        search.query = "q"
        search.pageNumber = 3
        let dynamic = try DynamicMessage(search)
        #expect(dynamic.textFormatString() == search.textFormatString())
        #expect(dynamic["page_number"] == .int32(3))
    }

    @Test("A message built from values encodes as the generated type reads it")
    func build() throws {
        let d = SearchRequest.protoDescriptor
        var m = DynamicMessage(descriptor: d)
        let stringField = try #require(d.fields.first { $0.type == .string && !$0.isRepeated })
        try m.set(stringField.name, to: .string("grüße \"x\""))
        #expect(throws: DynamicMessageError.self) { try m.set(stringField.name, to: .int32(1)) }
        #expect(throws: DynamicMessageError.self) { try m.set("no_such_field", to: .int32(1)) }
        let typed = try SearchRequest(serializedBytes: m.serializedBytes())
        #expect(typed.textFormatString() == m.textFormatString())
        #expect(try typed.serializedBytes() == m.serializedBytes())
        #expect(try typed.jsonString() == m.jsonString())
        let back = try DynamicMessage(descriptor: d, serializedBytes: m.serializedBytes())
        #expect(back == m)
    }

    @Test("Bad bytes: a typed error naming the field and offset")
    func badBytes() throws {
        let d = Fixtures_Scalars.protoDescriptor
        let stringField = try #require(d.fields.first { $0.type == .string && !$0.isRepeated })
        let tag = UInt8(stringField.number << 3 | 2)
        do {
            _ = try DynamicMessage(descriptor: d, serializedBytes: [tag, 5, 0x61])
            Issue.record("truncated bytes decoded")
        } catch {
            #expect(error.code == .lengthOutOfBounds && error.fieldNumber == stringField.number && error.offset == 2)
        }
        do {
            _ = try DynamicMessage(descriptor: d, serializedBytes: [tag, 2, 0xFF, 0xFE])
            Issue.record("invalid UTF-8 decoded")
        } catch {
            #expect(error.code == .invalidUTF8 && error.fieldNumber == stringField.number)
        }
        var deep: [UInt8] = []
        let nested = Fixtures_Nested_NestedRoot.protoDescriptor
        if let self_ = nested.fields.first(where: { $0.messageType === nested }) {
            for _ in 0..<200 { deep = [UInt8(self_.number << 3 | 2)] + varint(deep.count) + deep }
            #expect(throws: WireDecodingError.self) { try DynamicMessage(descriptor: nested, serializedBytes: deep) }
        }
    }

    func varint(_ n: Int) -> [UInt8] {
        var n = UInt64(n)
        var out: [UInt8] = []
        while n >= 0x80 {
            out.append(UInt8(n & 0x7F) | 0x80)
            n >>= 7
        }
        out.append(UInt8(n))
        return out
    }
}

/// Every fixture file's pool, for tests that look messages up by name.
enum Fixtures_Scalars_FileDescriptorPools {
    static let all: [DescriptorPool] = [
        Fixtures_Scalars_FileDescriptor, Fixtures_Enums_Enums_FileDescriptor, Fixtures_Nested_Nested_FileDescriptor,
        Fixtures_Maps_Maps_FileDescriptor, Fixtures_Editions_Editions_FileDescriptor, Fixtures_Proto2_Proto2_FileDescriptor,
    ].map(\.pool)
}
