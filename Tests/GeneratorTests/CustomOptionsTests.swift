import Foundation
@testable import PluginCore
import ProtoGenerator
import ProtoWire
import Testing

/// Custom options reach the generator: protoc sends them as extension fields of the
/// `google.protobuf.*Options` messages, which the plugin's descriptor types keep as unknown fields
/// and hand on as `CustomOptions`; and `extend` of those messages generates.
@Suite struct CustomOptionsTests {
    static let proto = """
        syntax = "proto3";
        package demo;
        import "google/protobuf/descriptor.proto";

        message Route { string path = 1; repeated string verbs = 2; }

        extend google.protobuf.FieldOptions { string column = 50001; }
        extend google.protobuf.MethodOptions { Route route = 50002; }
        extend google.protobuf.MessageOptions { int32 version = 50003; }
        extend google.protobuf.FileOptions { repeated int64 flags = 50004; }

        option (flags) = -1;
        option (flags) = 7;

        message Row {
          option (version) = 3;
          string id = 1 [(column) = "row_id"];
          string plain = 2;
        }

        service Rows {
          rpc Get(Row) returns (Row) { option (route) = { path: "/rows" verbs: "GET" verbs: "HEAD" }; }
        }
        """

    /// The descriptors protoc gives for `proto`, as the plugin's own types and as the generator's.
    func descriptors() throws -> (wire: Google_Protobuf_FileDescriptorProto, file: FileDescriptor) {
        let dir = try temporaryDirectory()
        try Self.proto.write(to: dir.appendingPathComponent("options.proto"), atomically: true, encoding: .utf8)
        let set = dir.appendingPathComponent("set.pb")
        let result = try run("protoc", ["-I", dir.path, "-I", Repo.protoInclude, "--descriptor_set_out=\(set.path)", "options.proto"])
        #expect(result.status == 0, "\(result.stderr)")
        let descriptorSet = try Google_Protobuf_FileDescriptorSet(serializedBytes: [UInt8](Data(contentsOf: set)))
        let wire = try #require(descriptorSet.file.first { $0.name == "options.proto" })
        return (wire, FileDescriptor(wire))
    }

    @Test func theGeneratorSeesCustomOptionValues() throws {
        let file = try descriptors().file
        #expect(file.options.values(50004) == [.varint(UInt64(bitPattern: -1)), .varint(7)])
        let row = try #require(file.messages.first { $0.name == "Row" })
        #expect(row.options.varint(50003) == 3)
        #expect(row.fields[0].options.string(50001) == "row_id")
        #expect(row.fields[1].options.isEmpty)
        let route = try #require(file.services.first?.methods.first?.options.message(50002))
        #expect(route.string(1) == "/rows")
        #expect(route.values(2) == [.lengthDelimited(Array("GET".utf8)), .lengthDelimited(Array("HEAD".utf8))])
        #expect(file.extensions.map(\.name) == ["column", "route", "version", "flags"])
        #expect(file.extensions.map(\.extendee) == [
            ".google.protobuf.FieldOptions", ".google.protobuf.MethodOptions",
            ".google.protobuf.MessageOptions", ".google.protobuf.FileOptions",
        ])
    }

    @Test func optionsReadThroughTypedExtensions() throws {
        // The plugin's descriptor types are extensible like any generated message.
        let wire = try descriptors().wire
        let column = Extension<Google_Protobuf_FieldOptions, String>(50001, "demo.column", codec: ProtoString.self)
        let flags = Extension<Google_Protobuf_FileOptions, [Int64]>(50004, "demo.flags", repeated: ProtoInt64.self)
        let row = try #require(wire.messageType.first { $0.name == "Row" })
        #expect(try row.field[0].options?.get(column) == "row_id")
        #expect(try wire.options?.get(flags) == [-1, 7])
        #expect(row.field[1].options.map { $0.has(column) } != true)
    }

    @Test func extendingOptionsGenerates() throws {
        let dir = try temporaryDirectory()
        try Self.proto.write(to: dir.appendingPathComponent("options.proto"), atomically: true, encoding: .utf8)
        let out = try temporaryDirectory()
        let result = try protoc(files: ["options.proto"], output: out, extraIncludes: [dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        let swift = try #require(generatedFiles(in: out)["options.pb.swift"])
        #expect(swift.contains(
            #"nonisolated public let Demo_Extensions_column = ProtoWire.Extension<Google_Protobuf_FieldOptions, String>(50001, "demo.column", codec: ProtoWire.ProtoString.self)"#))
        #expect(swift.contains(
            #"nonisolated public let Demo_Extensions_route = ProtoWire.Extension<Google_Protobuf_MethodOptions, Demo_Route>(50002, "demo.route", message: Demo_Route.self)"#))
        #expect(swift.contains(
            #"nonisolated public let Demo_Extensions_flags = ProtoWire.Extension<Google_Protobuf_FileOptions, [Int64]>(50004, "demo.flags", repeated: ProtoWire.ProtoInt64.self, packed: true)"#))
    }
}
