@testable import ProtoGenerator
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
        #expect(files.count == 2)
        for file in files {
            #expect(file.content.contains("import ProtoWire\nimport Geometry\n"), "\(file.name)")
        }
    }

    @Test func publicImportsAreFollowed() throws {
        let files = try generate([point, reexport, place(importing: "all.proto")], mappings: "mapping { module_name: \"Geometry\" proto_file_path: \"geo/point.proto\" }")
        #expect(files[0].content.contains("import Geometry\n"))
    }

    @Test func unmappedOrRuntimeFilesImportNothingMore() throws {
        let unmapped = try generate([point, place(importing: "geo/point.proto")], mappings: nil)
        #expect(!unmapped[0].content.contains("import Geometry"))
        let runtime = try generate([point, place(importing: "geo/point.proto")], mappings: "mapping { module_name: \"ProtoWire\" proto_file_path: \"geo/point.proto\" }")
        #expect(runtime[0].content.components(separatedBy: "import ProtoWire").count == 2, "ProtoWire is imported once")
    }

    @Test func aFileBeingGeneratedCannotBeMappedElsewhere() {
        #expect(throws: GeneratorError.self) {
            try generate([point], mappings: "mapping { module_name: \"Geometry\" proto_file_path: \"geo/point.proto\" }")
        }
    }

    @Test func theOptionNeedsAPath() throws {
        #expect(throws: GeneratorError.self) { try GeneratorOptions(parameter: "ProtoPathModuleMappings=") }
        #expect(try GeneratorOptions(parameter: "protopathmodulemappings=a/b.asciipb").moduleMappingsPath == "a/b.asciipb")
    }
}
