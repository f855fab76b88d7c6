import Foundation
import Testing

@Suite("Build plugin: the protoc command")
struct GenerationPlanTests {
    let target = "/pkg/Sources/Target"

    func plan(
        _ files: [String: String], configuration: PluginConfiguration = PluginConfiguration(),
        existing: Set<String> = ["/usr/include/google/protobuf/timestamp.proto"],
        underImportPaths: [String: [String]] = [:]
    ) throws(PluginError) -> GenerationPlan? {
        let request = GenerationPlan.Request(
            targetDirectory: target, protoFiles: Array(files.keys), configuration: configuration,
            configurationFile: nil, protoc: "/usr/bin/protoc", generator: "/build/protoc-gen-swift-grpc",
            outputDirectory: "/pkg/out"
        )
        return try GenerationPlan.make(
            request,
            read: { path in
                guard let text = files[path] else { throw CocoaError(.fileNoSuchFile) }
                return text
            },
            exists: { existing.contains($0) },
            protosUnder: { underImportPaths[$0] ?? [] }
        )
    }

    @Test func declaresAServicesFileOnlyForFilesWithServices() throws {
        let plan = try #require(try plan([
            "\(target)/api/greeter.proto": "syntax = \"proto3\"; service Greeter { }",
            "\(target)/api/types.proto": "syntax = \"proto3\"; message Greeting { }",
        ]))
        #expect(plan.outputFiles == [
            "/pkg/out/api_greeter.pb.swift", "/pkg/out/api_greeter.grpc.swift", "/pkg/out/api_types.pb.swift",
        ])
        #expect(plan.arguments == [
            "--plugin=protoc-gen-swift-grpc=/build/protoc-gen-swift-grpc", "--swift-grpc_out=/pkg/out",
            "--swift-grpc_opt=FileNaming=PathToUnderscores", "-I", target,
            "\(target)/api/greeter.proto", "\(target)/api/types.proto",
        ])
        #expect(plan.inputFiles.last == "/build/protoc-gen-swift-grpc")
    }

    @Test func optionsShapeTheOutputsAndPassThrough() throws {
        var configuration = PluginConfiguration()
        configuration.options = [("FileNaming", "DropPath"), ("Messages", "false"), ("Visibility", "internal")]
        configuration.importPaths = ["/pkg/Protos"]
        configuration.moduleMappings = "/pkg/mappings.asciipb"
        let plan = try #require(try plan(
            ["/pkg/Protos/x/a.proto": "service A {}", "\(target)/b.proto": "message B {}"],
            configuration: configuration, underImportPaths: ["/pkg/Protos": ["/pkg/Protos/x/a.proto", "/pkg/Protos/shared.proto"]]
        ))
        // Messages=false: only services files; DropPath: no directories in the names.
        #expect(plan.outputFiles == ["/pkg/out/a.grpc.swift"])
        #expect(plan.arguments == [
            "--plugin=protoc-gen-swift-grpc=/build/protoc-gen-swift-grpc", "--swift-grpc_out=/pkg/out",
            "--swift-grpc_opt=FileNaming=DropPath", "--swift-grpc_opt=Messages=false", "--swift-grpc_opt=Visibility=internal",
            "--swift-grpc_opt=ProtoPathModuleMappings=/pkg/mappings.asciipb",
            "-I", "/pkg/Protos", "-I", target, "/pkg/Protos/x/a.proto", "\(target)/b.proto",
        ])
        #expect(plan.inputFiles.contains("/pkg/Protos/shared.proto"))
        #expect(plan.inputFiles.contains("/pkg/mappings.asciipb"))
    }

    @Test func nothingToGenerateIsNoCommand() throws {
        var configuration = PluginConfiguration()
        configuration.options = [("Messages", "false")]
        #expect(try plan(["\(target)/a.proto": "message A {}"], configuration: configuration) == nil)
    }

    @Test func aMissingWellKnownTypeNamesThePackage() {
        #expect {
            try plan(["\(target)/a.proto": "import \"google/protobuf/duration.proto\";"])
        } throws: { error in
            let text = "\(error)"
            return text.contains("\(target)/a.proto imports \"google/protobuf/duration.proto\"")
                && text.contains("apt-get install libprotobuf-dev") && text.contains("/usr/include")
        }
        // Found beside protoc: no error.
        #expect(throws: Never.self) { try plan(["\(target)/a.proto": "import \"google/protobuf/timestamp.proto\";"]) }
    }

    @Test func protoNamesFollowTheFirstImportPathThatHoldsTheFile() {
        #expect(GenerationPlan.protoName(of: "/p/Protos/a/b.proto", importPaths: ["/p/Protos", "/p"]) == "a/b.proto")
        #expect(GenerationPlan.protoName(of: "/p/Protos/a/b.proto", importPaths: ["/p", "/p/Protos"]) == "Protos/a/b.proto")
        #expect(GenerationPlan.outputName("a/b.proto", suffix: ".pb.swift", naming: "fullpath") == "a/b.pb.swift")
    }
}
