import Foundation
@testable import PluginCore
import ProtoWire
import Testing

/// Custom options through ProtoWire's run-time descriptors: protoc's descriptors of a file that
/// extends the `google.protobuf.*Options` messages (and of descriptor.proto itself, which the
/// run-time model must read too), read into a `DescriptorPool`; each element's options keep the
/// custom options, which the typed `Extension` machinery reads.
@Suite struct RuntimeDescriptorOptionsTests {
    func pool() throws -> DescriptorPool {
        let dir = try temporaryDirectory()
        try CustomOptionsTests.proto.write(to: dir.appendingPathComponent("options.proto"), atomically: true, encoding: .utf8)
        let set = dir.appendingPathComponent("set.pb")
        let result = try run("protoc", ["-I", dir.path, "-I", Repo.protoInclude, "--include_imports", "--descriptor_set_out=\(set.path)", "options.proto"])
        #expect(result.status == 0, "\(result.stderr)")
        let descriptorSet = try Google_Protobuf_FileDescriptorSet(serializedBytes: [UInt8](Data(contentsOf: set)))
        #expect(descriptorSet.file.map(\.name) == ["google/protobuf/descriptor.proto", "options.proto"])
        var serialized: [String: SerializedFileDescriptor] = [:]
        for file in descriptorSet.file {
            let name = file.name ?? ""
            serialized[name] = SerializedFileDescriptor(
                name: name, dependencies: file.dependency.compactMap { serialized[$0] }, bytes: try file.serializedBytes(partial: true))
        }
        return try DescriptorPool(files: [try #require(serialized["options.proto"])])
    }

    @Test func customOptionsReadFromRunTimeDescriptors() throws {
        let pool = try pool()
        let row = try #require(pool.message(named: "demo.Row"))
        let id = try #require(row.field(named: "id"))
        let column = Extension<Google_Protobuf_FieldOptions, String>(50001, "demo.column", codec: ProtoString.self)
        #expect(try Google_Protobuf_FieldOptions(serializedBytes: id.options.bytes).get(column) == "row_id")
        #expect(row.field(named: "plain")?.options.bytes.isEmpty == true)
        #expect(row.options.fields(numbered: 50003) == [.varint(3)])
        let flags = Extension<Google_Protobuf_FileOptions, [Int64]>(50004, "demo.flags", repeated: ProtoInt64.self)
        let file = try #require(pool.file(named: "options.proto"))
        #expect(try Google_Protobuf_FileOptions(serializedBytes: file.options.bytes).get(flags) == [-1, 7])
        let method = try #require(file.services.first?.methods.first)
        #expect(method.inputType == "demo.Row" && method.outputType == "demo.Row")
        guard case .lengthDelimited(let route)? = method.options.fields(numbered: 50002).first else {
            Issue.record("no route option")
            return
        }
        // The option's message, read dynamically with its descriptor from the same pool.
        let routeMessage = try DynamicMessage(descriptor: try #require(pool.message(named: "demo.Route")), serializedBytes: route)
        #expect(routeMessage.textFormatString() == "path: \"/rows\"\nverbs: \"GET\"\nverbs: \"HEAD\"\n")
        #expect(file.extensions.map(\.extendee) == [
            "google.protobuf.FieldOptions", "google.protobuf.MethodOptions", "google.protobuf.MessageOptions", "google.protobuf.FileOptions",
        ])
    }

    @Test func descriptorProtoItselfReads() throws {
        let pool = try pool()
        // proto2 with groups-free nesting, required fields, extension ranges, closed enums.
        let field = try #require(pool.message(named: "google.protobuf.FieldDescriptorProto"))
        #expect(field.field(named: "type")?.enumType?.fullName == "google.protobuf.FieldDescriptorProto.Type")
        #expect(field.field(named: "type")?.enumType?.isClosed == true)
        #expect(field.field(named: "name")?.hasPresence == true)
        let namePart = try #require(pool.message(named: "google.protobuf.UninterpretedOption.NamePart"))
        #expect(namePart.fields.allSatisfy { $0.label == .required })
        // A FileDescriptorProto read dynamically writes back the bytes it came as.
        let dir = try temporaryDirectory()
        let set = dir.appendingPathComponent("d.pb")
        let result = try run("protoc", ["-I", Repo.protoInclude, "--descriptor_set_out=\(set.path)", "google/protobuf/descriptor.proto"])
        #expect(result.status == 0, "\(result.stderr)")
        let bytes = try Google_Protobuf_FileDescriptorSet(serializedBytes: [UInt8](Data(contentsOf: set))).file[0].serializedBytes(partial: true)
        let dynamic = try DynamicMessage(descriptor: try #require(pool.message(named: "google.protobuf.FileDescriptorProto")), serializedBytes: bytes)
        #expect(dynamic.serializedBytes() == bytes)

        // The plugin's own descriptor types are generated with their descriptors (Reflection on):
        // the same bytes read through the embedded descriptor print as the typed message does.
        let embedded = Google_Protobuf_FileDescriptorProto.protoDescriptor
        #expect(embedded.fullName == "google.protobuf.FileDescriptorProto")
        let typeEnum = Google_Protobuf_FieldDescriptorProto.TypeEnum.protoDescriptor
        #expect(typeEnum.fullName == "google.protobuf.FieldDescriptorProto.Type" && typeEnum.values.count == 18 && typeEnum.isClosed)
        let typed = try Google_Protobuf_FileDescriptorProto(serializedBytes: bytes)
        let viaEmbedded = try DynamicMessage(descriptor: embedded, serializedBytes: bytes)
        #expect(viaEmbedded.serializedBytes() == (try typed.serializedBytes(partial: true)))
        #expect(viaEmbedded.textFormatString() == typed.textFormatString())
    }
}
