// The field hook's pieces on their own: schemas and their lookups, enum schemas, the type
// registry, and visiting and decoding fields with visitors and decoders of one's own.

import Foundation
@testable import ProtoWire
import Testing

/// A message with sparse field numbers (the schema's binary-search path), in the generated shape.
private struct SparseMessage: ProtoMessage {
    var first: Int32 = 0  // 1
    var last: String = ""  // 536_870_911
    var unknownFields = UnknownFields()

    static var protoMessageName: String { "test.SparseMessage" }
    init() {}

    static let messageSchema = MessageSchema(for: Self.self, fields: [
        .implicit(536_870_911, "last", .string),
        .implicit(1, "first", .int32),
    ])

    func encodedSize() -> Int {
        unknownFields.count + WireSize.implicit(ProtoInt32.self, 1, first) + WireSize.implicit(ProtoString.self, 536_870_911, last)
    }

    func encode(to writer: inout WireWriter) {
        writer.implicit(ProtoInt32.self, 1, first)
        writer.implicit(ProtoString.self, 536_870_911, last)
        writer.unknown(unknownFields)
    }

    mutating func merge(from reader: inout WireReader) throws(WireDecodingError) {
        while let tag = try reader.nextTag() {
            switch tag.fieldNumber {
            case 1: first = try reader.read(ProtoInt32.self, tag)
            case 536_870_911: last = try reader.read(ProtoString.self, tag)
            default: try reader.skip(tag, into: &unknownFields)
            }
        }
    }

    func visitFields<V: FieldVisitor>(_ visitor: inout V) throws {
        try visitor.implicit(ProtoInt32.self, 1, first)
        try visitor.implicit(ProtoString.self, 536_870_911, last)
        try visitor.unknown(unknownFields)
    }

    mutating func decodeField<D: FieldDecoder>(_ number: Int, from decoder: inout D) throws {
        switch number {
        case 1: first = try decoder.read(ProtoInt32.self)
        case 536_870_911: last = try decoder.read(ProtoString.self)
        default: break
        }
    }
}

/// Records what a message's `visitFields` reports.
private struct RecordingVisitor: FieldVisitor {    var calls: [String] = []

    mutating func implicit<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ value: C.Value) {
        calls.append("implicit \(number)\(C.isDefault(value) ? " default" : "")")
    }

    mutating func field<C: FieldCodec>(_ codec: C.Type, _ number: Int, _ value: C.Value) {
        calls.append("field \(number)")
    }

    mutating func beginList<C: FieldCodec>(_ codec: C.Type, _ number: Int, count: Int) -> Bool {
        calls.append("list \(number) ×\(count)")
        return count > 0
    }

    mutating func listElement<C: FieldCodec>(_ codec: C.Type, _ value: C.Value) {
        calls.append("element")
    }

    mutating func endList<C: FieldCodec>(_ codec: C.Type) {
        calls.append("end list")
    }

    mutating func beginMap<K: FieldCodec, V: FieldCodec>(_ key: K.Type, _ value: V.Type, _ number: Int, count: Int) -> Bool {
        calls.append("map \(number) ×\(count)")
        return count > 0
    }

    mutating func mapEntry<K: FieldCodec, V: FieldCodec>(_ key: K.Type, _ value: V.Type, _ k: K.Value, _ v: V.Value) {
        calls.append("entry \(k)")
    }

    mutating func endMap<K: FieldCodec, V: FieldCodec>(_ key: K.Type, _ value: V.Type) {
        calls.append("end map")
    }

    mutating func unknown(_ fields: UnknownFields) {
        calls.append("unknown \(fields.count)")
    }
}

/// A decoder that answers every read with the codec's default, counting the calls.
private struct DefaultsDecoder: FieldDecoder {
    struct Failure: Error {}

    var reads = 0

    mutating func read<C: FieldCodec>(_ codec: C.Type) throws -> C.Value {
        reads += 1
        return C.defaultValue
    }

    mutating func nextElement<C: FieldCodec>(_ codec: C.Type, into element: inout C.Value, _ cursor: inout ListCursor) throws -> Bool {
        if reads > 1000 { throw Failure() }
        guard cursor.isFirst else { return false }
        reads += 1
        cursor.advance()
        element = C.defaultValue
        return true
    }

    mutating func nextEntry<K: FieldCodec, V: FieldCodec>(
        _ keyCodec: K.Type, _ valueCodec: V.Type, key: inout K.Value, value: inout V.Value, _ cursor: inout ListCursor
    ) throws -> Bool {
        guard cursor.isFirst else { return false }
        reads += 1
        cursor.advance()
        key = K.defaultValue
        value = V.defaultValue
        return true
    }
}

@Suite("Schemas, registries, visitors")
struct SchemaTests {
    @Test(arguments: [
        ("fieldname1", "fieldname1"), ("field_name2", "fieldName2"), ("_field_name3", "FieldName3"), ("field__name4_", "fieldName4"),
        ("field0name5", "field0name5"), ("field_0_name6", "field0Name6"), ("FIELD_NAME11", "FIELDNAME11"), ("FIELD_name12", "FIELDName12"),
        ("__field_name13", "FieldName13"), ("field_name17__", "fieldName17"), ("page_number", "pageNumber"), ("a_1_b", "a1B"), ("", ""),
    ])
    func jsonNamesAsProtocDerivesThem(proto: String, json: String) {
        #expect(FieldSchema.jsonName(forProtoName: proto) == json)
    }

    @Test func messageSchemaLookups() {
        let schema = FormatAllTypes.messageSchema
        #expect(schema.messageName == "test.FormatAllTypes")
        #expect(schema.hasFields)
        #expect(schema.fields.map(\.number) == schema.fields.map(\.number).sorted())
        #expect(schema.field(number: 111)?.jsonName == "renamed")
        #expect(schema.field(named: "custom_json")?.number == 111)
        #expect(schema.field(jsonName: "renamed")?.number == 111)
        #expect(schema.field(jsonName: "custom_json")?.number == 111)
        #expect(schema.field(jsonName: "customJson") == nil)
        #expect(schema.field(number: 999) == nil && schema.field(number: -1) == nil && schema.field(number: 0) == nil)
        #expect(schema.oneofs == ["oneof_field"])
        #expect(schema.fields.filter { $0.oneofIndex == 0 }.count == 10)
        let map = schema.field(number: 53)!
        #expect(map.isMap && !map.isRepeated)
        if case .map(let key) = map.cardinality, case .uint32 = key {} else { Issue.record("map_uint32_uint32's key type") }
        #expect(ObjectIdentifier(schema.field(number: 16)!.type.messageType!) == ObjectIdentifier(FormatNested.self))
        #expect(ObjectIdentifier(schema.field(number: 17)!.type.enumType!) == ObjectIdentifier(FormatColor.self))
        // Sparse numbers, listed out of order.
        let sparse = SparseMessage.messageSchema
        #expect(sparse.fields.map(\.number) == [1, 536_870_911])
        #expect(sparse.field(number: 536_870_911)?.name == "last")
        #expect(sparse.field(number: 2) == nil)
        // A type generated before schemas existed.
        #expect(!TestAllKinds.messageSchema.hasFields)
        #expect(TestAllKinds.messageSchema.messageName == "test.TestAllKinds")
        #expect(TestAllKinds.messageSchema === TestAllKinds.messageSchema)
    }

    @Test func sparseFieldNumbersThroughTheFormats() throws {
        var m = SparseMessage()
        m.first = 1
        m.last = "z"
        #expect(try m.jsonString() == #"{"first":1,"last":"z"}"#)
        #expect(try SparseMessage(jsonString: #"{"last":"y","first":2}"#).last == "y")
        #expect(m.textFormatString() == "first: 1\nlast: \"z\"\n")
    }

    /// Renders a field's properties as one comparable line.
    private func summary(_ f: FieldSchema) -> String {
        func type(_ t: FieldType) -> String {
            switch t {
            case .message(let m): "message \(m.protoMessageName)"
            case .group(let m): "group \(m.protoMessageName)"
            case .enum(let e): "enum \(e.enumSchema.enumName)"
            default: "\(t)"
            }
        }
        let cardinality: String
        switch f.cardinality {
        case .map(let key): cardinality = "map \(type(key))"
        default: cardinality = "\(f.cardinality)"
        }
        return "\(f.number) \(f.name) \(f.jsonName) \(cardinality) \(type(f.type)) \(f.oneofIndex.map(String.init) ?? "-")"
    }

    @Test func fieldTablesDescribeTheSameFieldsAsFieldValues() {
        let table = MessageSchema(for: SparseMessage.self, fields: """
            1 a int32; 2 b json=bee optional string
            3 c repeated message 0
            4 d packed enum 0
            5 e map string message 1
            6 f oneof 0 bytes
            7 g oneof 1 group 0
            8 h required sint64
            """, messages: [FormatNested.self, FormatAllTypes.self], enums: [FormatColor.self], oneofs: ["x", "y"])
        let values = MessageSchema(for: SparseMessage.self, oneofs: ["x", "y"], fields: [
            .implicit(1, "a", .int32), .optional(2, "b", .string, json: "bee"), .repeated(3, "c", .message(FormatNested.self)),
            .packed(4, "d", .enum(FormatColor.self)), .map(5, "e", .string, .message(FormatAllTypes.self)),
            .oneof(0, 6, "f", .bytes), .oneof(1, 7, "g", .group(FormatNested.self)), .required(8, "h", .sint64),
        ])
        #expect(table.fields.map(summary) == values.fields.map(summary))
        #expect(table.fields.count == 8 && table.oneofs == ["x", "y"])
        #expect(table.field(jsonName: "bee")?.number == 2)
        // Every scalar type name of the `.proto` language reads back as itself.
        let scalars = "double float int64 uint64 int32 fixed64 fixed32 bool string bytes uint32 sfixed32 sfixed64 sint32 sint64"
        for name in scalars.split(separator: " ") {
            #expect(FieldType(scalar: String(name)).map { "\($0)" } == String(name))
        }
        #expect(FieldType(scalar: "int") == nil)
        // Lines that do not make a field (checked without the debug-build assertion).
        for bad in ["1 a", "0 a int32", "x a int32", "1 a message 0", "1 a message 5", "1 a map int32", "1 a int32 extra", "1 a oneof int32"] {
            let words = bad.split(separator: " ").map(String.init)
            #expect(FieldSchema(tableLine: words, messages: [], enums: []) == nil, "\(bad)")
        }
    }

    @Test func enumTablesReadNumberNamePairs() {
        let table = EnumSchema(for: FormatShape.self, "test.Table", values: "0 ZERO 1 ONE -1 MINUS 1 UNO")
        #expect(table.values.map(\.number) == [0, 1, -1, 1])
        #expect(table.name(of: 1) == "ONE" && table.number(named: "UNO") == 1 && table.name(of: -1) == "MINUS")
        #expect(table.isClosed)
    }

    @Test func enumSchemas() {
        let colors = FormatColor.enumSchema
        #expect(colors.name(of: 1) == "RED")
        #expect(colors.number(named: "CRIMSON") == 1)
        #expect(colors.number(named: "crimson") == nil)
        #expect(colors.name(of: 7) == nil)
        #expect(!colors.isClosed)
        #expect(FormatShape.enumSchema.isClosed)
        #expect(FormatShape.enumSchema.name(of: -1) == "NEGATIVE")
        let sparse = EnumSchema(for: FormatShape.self, "test.Sparse", [(-2_000_000_000, "LOW"), (0, "ZERO"), (2_000_000_000, "HIGH")])
        #expect(sparse.name(of: 2_000_000_000) == "HIGH" && sparse.name(of: 1) == nil && sparse.number(named: "LOW") == -2_000_000_000)
        // An enum generated before schemas existed has no names.
        #expect(Color.enumSchema.values.isEmpty)
    }

    @Test func typeRegistries() {
        var registry = TypeRegistry()
        #expect(registry.messageType(named: "test.FormatAllTypes") == nil)
        #expect(registry.messageType(named: "google.protobuf.Duration") == Google_Protobuf_Duration.self)
        registry.register(FormatAllTypes.self)
        // Types reachable through fields come along.
        #expect(registry.registeredNames.contains("test.FormatNested"))
        #expect(registry.messageType(forTypeURL: "type.googleapis.com/test.FormatNested") == FormatNested.self)
        #expect(registry.messageType(forTypeURL: "example.com/a/b/test.FormatAllTypes") == FormatAllTypes.self)
        #expect(registry.messageType(forTypeURL: "test.FormatAllTypes") == FormatAllTypes.self)
        #expect(registry.messageType(forTypeURL: "type.googleapis.com/test.FormatAllTypesX") == nil)
        // The shared registry is consulted by every registry.
        #expect(TypeRegistry().messageType(named: "test.SparseMessage") == nil)
        TypeRegistry.registerShared([SparseMessage.self])
        #expect(TypeRegistry().messageType(named: "test.SparseMessage") == SparseMessage.self)
        #expect(TypeRegistry.shared.registeredNames == ["test.SparseMessage"])
    }

    @Test func visitorsSeeEveryFieldInNumberOrder() throws {
        var m = try SparseMessage(serializedBytes: Raw.varintField(7, 1))
        m.last = "x"
        var visitor = RecordingVisitor()
        try m.visitFields(&visitor)
        #expect(visitor.calls == ["implicit 1 default", "implicit 536870911", "unknown 2"])
        var all = RecordingVisitor()
        try FormatAllTypes.with { $0.oneofField = .oneofBool(true); $0.proto3OptionalInt32 = 1 }.visitFields(&all)
        #expect(all.calls.contains("field 75") && all.calls.contains("field 18"))
        #expect(!all.calls.contains { $0.hasPrefix("field 16") })  // an unset message field is not visited
        #expect(all.calls.contains("list 31 ×0") && all.calls.contains("map 51 ×0"))
        // Lists and maps element by element, maps in key order.
        var lists = RecordingVisitor()
        try FormatAllTypes.with { $0.repeatedInt32 = [5, 6]; $0.mapInt32Int32 = [3: 0, -1: 0, 2: 0] }.visitFields(&lists)
        let interesting = lists.calls.filter { !$0.hasSuffix("×0") && !$0.hasPrefix("implicit") && !$0.hasPrefix("unknown") }
        #expect(interesting == ["list 31 ×2", "element", "element", "end list", "map 51 ×3", "entry -1", "entry 2", "entry 3", "end map"])
        // A legacy type shows its whole encoding as unknown fields.
        var legacy = RecordingVisitor()
        var kinds = TestAllKinds()
        kinds.int32 = 1
        try kinds.visitFields(&legacy)
        #expect(legacy.calls == ["unknown 2"])
    }

    @Test func decodersFillEveryFieldTheSchemaNames() throws {
        var m = FormatAllTypes()
        var decoder = DefaultsDecoder()
        for field in FormatAllTypes.messageSchema.fields {
            try m.decodeField(field.number, from: &decoder)
        }
        #expect(decoder.reads == FormatAllTypes.messageSchema.fields.count)
        #expect(m.repeatedInt32 == [0] && m.mapStringString == ["": ""] && m.proto3OptionalInt32 == 0)
        #expect(m.optionalNestedMessage == FormatNested())
        // The oneof holds the member decoded last.
        if case .oneofRecursive? = m.oneofField {} else { Issue.record("oneof holds \(String(describing: m.oneofField))") }
    }
}
