import Foundation
@testable import PluginCore
@testable import ProtoGenerator
import ProtoWire
import Testing

@Suite struct ModuleMappingsTests {
    @Test func parsesTheTextFormatWithCommentsAndBothDelimiters() throws {
        let mappings = try ModuleMappings(parsing: """
            # shared types
            mapping {
              module_name: "Geometry"
              proto_file_path: "geo/point.proto"
              proto_file_path: 'geo/shape.proto';
            }
            mapping: < module_name: "Units", proto_file_path: "units.proto" >
            """, source: "m.asciipb")
        #expect(mappings.moduleByProtoPath == [
            "geo/point.proto": "Geometry", "geo/shape.proto": "Geometry", "units.proto": "Units",
        ])
        #expect(mappings.module(of: "other.proto") == nil)
    }

    @Test(arguments: [
        ("mapping { proto_file_path: \"a.proto\" }", "m.asciipb: line 1: the mapping that starts on line 1 has no module_name"),
        ("mapping {\n module_name: \"A\"\n proto_file_path: a.proto }", "m.asciipb: line 3: proto_file_path needs a quoted string"),
        ("mapping { module_name: \"A\" path: \"a.proto\" }", "m.asciipb: line 1: unknown field path (known: module_name, proto_file_path)"),
        ("mapping { module_name: \"A\"", "m.asciipb: line 1: the mapping that starts on line 1 is not closed"),
        ("mappings { }", "m.asciipb: line 1: expected 'mapping', found 'mappings'"),
        ("mapping { module_name: \"A\n\" }", "m.asciipb: line 1: a string is not closed"),
        ("mapping { module_name: \"A\" proto_file_path: \"a.proto\" }\nmapping { module_name: \"B\" proto_file_path: \"a.proto\" }",
         "m.asciipb: a.proto: mapped to two modules, A and B (line 2)"),
    ])
    func badFilesNameTheProblemAndTheLine(text: String, message: String) {
        #expect(throws: GeneratorError.self) { try ModuleMappings(parsing: text, source: "m.asciipb") }
        do {
            _ = try ModuleMappings(parsing: text, source: "m.asciipb")
        } catch {
            #expect(error.description == message)
        }
    }

    func generate(_ files: [FileDescriptor], mappings: String?, parameter: String = "") throws -> [GeneratedFile] {
        let parsed = try mappings.map { try ModuleMappings(parsing: $0, source: "m.asciipb") } ?? ModuleMappings()
        let options = mappings == nil ? parameter : "ProtoPathModuleMappings=m.asciipb" + (parameter.isEmpty ? "" : "," + parameter)
        return try Generator(GeneratorRequest(
            files: files, filesToGenerate: [files.last!.name], parameter: options, moduleMappings: parsed
        )).generate()
    }

    let point = FileDescriptor(name: "geo/point.proto", package: "geo", messages: [
        MessageDescriptor(name: "Point", fields: [FieldDescriptor(name: "x", number: 1, type: .double)]),
    ])
    let reexport = FileDescriptor(name: "all.proto", package: "geo", dependencies: ["geo/point.proto"], publicDependencies: ["geo/point.proto"])

    func place(importing dependency: String) -> FileDescriptor {
        FileDescriptor(
            name: "place.proto", package: "places",
            messages: [MessageDescriptor(name: "Place", fields: [
                FieldDescriptor(name: "at", number: 1, type: .message, typeName: ".geo.Point"),
            ])],
            services: [ServiceDescriptor(name: "Atlas", methods: [
                ServiceDescriptor.Method(name: "Nearest", inputType: ".geo.Point", outputType: ".places.Place"),
            ])],
            dependencies: [dependency]
        )
    }

    @Test func mappedImportsBecomeModuleImportsInBothFiles() throws {
        let files = try generate([point, place(importing: "geo/point.proto")], mappings: "mapping { module_name: \"Geometry\" proto_file_path: \"geo/point.proto\" }")
        #expect(files.map(\.name) == ["place.pb.swift", "place.grpc.swift"])
        for file in files {
            #expect(file.content.contains("import ProtoWire\nimport Geometry\n"), "\(file.name)")
        }
        // geo.Point keeps its Swift name, now found in Geometry: the field, the service's input.
        #expect(files[0].content.contains("var at: Geo_Point?"), "\(files[0].content)")
        #expect(files[1].content.contains("Geo_Point"), "\(files[1].content)")
        #expect(!files.contains { $0.content.contains("struct Geo_Point") }, "Geo_Point is not generated here")
    }

    @Test func publicImportsAreFollowed() throws {
        let mapping = "mapping { module_name: \"Geometry\" proto_file_path: \"geo/point.proto\" }"
        let files = try generate([point, reexport, place(importing: "all.proto")], mappings: mapping)
        #expect(files[0].content.contains("import Geometry\n"))
        // A plain (not public) import of an import is not followed: its types are not visible.
        var privateReexport = reexport
        privateReexport.publicDependencies = []
        let hidden = try generate([point, privateReexport, place(importing: "all.proto")], mappings: mapping)
        #expect(!hidden[0].content.contains("import Geometry"))
    }

    @Test func unmappedOrRuntimeFilesImportNothingMore() throws {
        let unmapped = try generate([point, place(importing: "geo/point.proto")], mappings: nil)
        #expect(!unmapped[0].content.contains("import Geometry"))
        let runtime = try generate([point, place(importing: "geo/point.proto")], mappings: "mapping { module_name: \"ProtoWire\" proto_file_path: \"geo/point.proto\" }")
        #expect(runtime[0].content.components(separatedBy: "import ProtoWire").count == 2, "ProtoWire is imported once")
    }

    @Test func aFileBeingGeneratedCannotBeMappedElsewhere() {
        #expect(throws: GeneratorError(
            file: "geo/point.proto", element: "ProtoPathModuleMappings",
            message: "is mapped to module Geometry but is being generated into this one"
        )) {
            try generate([point], mappings: "mapping { module_name: \"Geometry\" proto_file_path: \"geo/point.proto\" }")
        }
    }

    @Test func aMappingsFileThatMapsNothingIsAnError() {
        #expect(throws: GeneratorError(file: "m.asciipb", element: "ProtoPathModuleMappings", message: "maps no .proto file to a module")) {
            try generate([point, place(importing: "geo/point.proto")], mappings: "# nothing yet\n")
        }
    }

    @Test func theOptionNeedsAPath() throws {
        #expect(throws: GeneratorError.self) { try GeneratorOptions(parameter: "ProtoPathModuleMappings=") }
        #expect(try GeneratorOptions(parameter: "protopathmodulemappings=a/b.asciipb").moduleMappingsPath == "a/b.asciipb")
    }

    // Through protoc and the plugin binary: the mappings file is read from protoc's working
    // directory, and its problems come back as CodeGeneratorResponse.error, which protoc prints.

    /// A folder with geo/point.proto and place.proto (which imports it), and a mappings file.
    func protoTree(mappings: String) throws -> URL {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("geo"), withIntermediateDirectories: true)
        try """
            syntax = "proto3";
            package geo;
            message Point { double x = 1; double y = 2; }
            """.write(to: dir.appendingPathComponent("geo/point.proto"), atomically: true, encoding: .utf8)
        try """
            syntax = "proto3";
            package places;
            import "geo/point.proto";
            message Place { string name = 1; geo.Point at = 2; }
            service Atlas { rpc Nearest(geo.Point) returns (Place); }
            """.write(to: dir.appendingPathComponent("place.proto"), atomically: true, encoding: .utf8)
        try mappings.write(to: dir.appendingPathComponent("mappings.asciipb"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func protocRunImportsTheMappedModule() throws {
        let dir = try protoTree(mappings: "mapping {\n  module_name: \"Geometry\"\n  proto_file_path: \"geo/point.proto\"\n}\n")
        let out = try temporaryDirectory()
        let result = try protoc(
            files: ["place.proto"], options: "ProtoPathModuleMappings=\(dir.path)/mappings.asciipb",
            output: out, extraIncludes: [dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        let files = generatedFiles(in: out)
        #expect(files.keys.sorted() == ["place.grpc.swift", "place.pb.swift"])
        #expect(files["place.pb.swift"]?.contains("\nimport Geometry\n") == true)
        #expect(files["place.pb.swift"]?.contains("var at: Geo_Point?") == true)
        #expect(files["place.grpc.swift"]?.contains("\nimport Geometry\n") == true)
    }

    @Test(arguments: [
        ("mapping {\n  module_name: \"Geometry\"\n  proto_file_path: geo/point.proto\n}\n",
         "mappings.asciipb: line 3: proto_file_path needs a quoted string"),
        ("mapping {\n  module: \"Geometry\"\n}\n",
         "mappings.asciipb: line 2: unknown field module (known: module_name, proto_file_path)"),
    ])
    func aBadMappingsFileIsAnErrorNamingItAndTheLine(text: String, message: String) throws {
        let dir = try protoTree(mappings: text)
        let out = try temporaryDirectory()
        let result = try protoc(
            files: ["place.proto"], options: "ProtoPathModuleMappings=\(dir.path)/mappings.asciipb",
            output: out, extraIncludes: [dir.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("\(dir.path)/\(message)"), "\(result.stderr)")
        #expect(generatedFiles(in: out).isEmpty)
    }

    @Test func aMissingMappingsFileIsAnErrorResponse() throws {
        var request = Google_Protobuf_Compiler_CodeGeneratorRequest()
        request.parameter = "ProtoPathModuleMappings=/nonexistent/mappings.asciipb"
        let response = try Google_Protobuf_Compiler_CodeGeneratorResponse(
            serializedBytes: Plugin.run(request: request.serializedBytes()))
        #expect(response.error == "ProtoPathModuleMappings: cannot read /nonexistent/mappings.asciipb: No such file or directory")
        #expect(response.file.isEmpty)
    }
}
