import Foundation
@testable import PluginCore
import ProtoGenerator
import ProtoWire
import Testing

/// Bad input reaches protoc as `CodeGeneratorResponse.error`, naming the file and element,
/// and nothing is written.
@Suite struct PluginErrorTests {
    func protoFile(_ name: String, _ text: String) throws -> URL {
        let dir = try temporaryDirectory()
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func groupExtensionsGenerate() throws {
        let dir = try protoFile("ext.proto", """
            syntax = "proto2";
            package demo;
            message Base { extensions 100 to 200; }
            extend Base {
              optional group Extra = 100 { optional int32 x = 1; }
              repeated group Item = 101 { optional int32 y = 1; }
            }
            """)
        let out = try temporaryDirectory()
        let result = try protoc(files: ["ext.proto"], output: out, extraIncludes: [dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        let code = try #require(generatedFiles(in: out)["ext.pb.swift"])
        #expect(code.contains("ProtoWire.Extension<Demo_Base, Demo_Extra>(100, \"demo.extra\", group: Demo_Extra.self)"), "\(code)")
        #expect(code.contains("ProtoWire.Extension<Demo_Base, [Demo_Item]>(101, \"demo.item\", repeatedGroup: Demo_Item.self)"))
    }

    @Test func groupsGenerate() throws {
        let dir = try protoFile("group.proto", """
            syntax = "proto2";
            package demo;
            message Outer { optional group Inner = 1 { optional int32 x = 2; } }
            """)
        let out = try temporaryDirectory()
        let result = try protoc(files: ["group.proto"], output: out, extraIncludes: [dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(generatedFiles(in: out).count == 1)
    }

    @Test func unknownOptionIsNamed() throws {
        let result = try protoc(files: ["search.proto"], options: "Visibility=open", output: try temporaryDirectory())
        #expect(result.status != 0)
        #expect(result.stderr.contains("Visibility: must be public, package or internal, not 'open'"), "\(result.stderr)")
    }

    @Test func malformedRequestGivesAnErrorResponse() throws {
        // A request whose proto_file (15) claims 100 bytes but has 2.
        let response = try Google_Protobuf_Compiler_CodeGeneratorResponse(
            serializedBytes: Plugin.run(request: [0x7A, 0x64, 0x0A, 0x00]))
        let error = try #require(response.error)
        #expect(error.contains("malformed CodeGeneratorRequest"))
        #expect(error.contains("field 15"))
        #expect(response.file.isEmpty)
    }

    @Test func emptyRequestGeneratesNothing() throws {
        let response = try Google_Protobuf_Compiler_CodeGeneratorResponse(serializedBytes: Plugin.run(request: []))
        #expect(response.error == nil)
        #expect(response.file.isEmpty)
        #expect(response.supportedFeatures == 3, "proto3 optional and editions")
        #expect(response.minimumEdition == Google_Protobuf_Edition.proto2.rawValue)
        #expect(response.maximumEdition == Google_Protobuf_Edition.edition2024.rawValue)
    }
}

/// What the plugin copies from protoc's descriptors into the generator's neutral ones.
@Suite struct DescriptorTranslationTests {
    @Test func editionIsCopied() {
        var proto = Google_Protobuf_FileDescriptorProto()
        proto.name = "e.proto"
        proto.syntax = "editions"
        proto.edition = .edition2023
        let file = FileDescriptor(proto)
        #expect(file.syntax == "editions")
        #expect(file.edition == "2023")
        #expect(FileDescriptor(Google_Protobuf_FileDescriptorProto()).edition == "")
    }
}
