import Foundation

/// One protoc run over all of a target's `.proto` files: its arguments and the files the build
/// system must know about (what it reads, to rerun it when they change, and what it writes, to
/// compile them into the target).
struct GenerationPlan: Equatable {
    var arguments: [String]
    var inputFiles: [String]
    var outputFiles: [String]

    /// What the plan is made from.
    struct Request {
        /// The target's folder: the last import path, and where the configuration lives.
        var targetDirectory: String
        /// The target's `.proto` files, absolute.
        var protoFiles: [String]
        var configuration: PluginConfiguration
        /// The configuration file, if there is one (an input of the command).
        var configurationFile: String?
        var protoc: String
        /// The `protoc-gen-swift-grpc` the build made.
        var generator: String
        /// Where generated files go: the plugin's work directory.
        var outputDirectory: String
    }

    /// Plans the run, or returns nil when there is nothing to generate. `read` returns a file's
    /// text, `exists` whether a file exists, and `protosUnder` the `.proto` files below a
    /// directory (the import paths' files are inputs, so editing them regenerates).
    static func make(
        _ request: Request,
        read: (String) throws -> String,
        exists: (String) -> Bool,
        protosUnder: (String) -> [String]
    ) throws(PluginError) -> GenerationPlan? {
        let configuration = request.configuration
        let importPaths = configuration.importPaths + [request.targetDirectory]
        let messages = configuration.option("Messages")?.lowercased() != "false"
        let services = configuration.option("Services")?.lowercased() != "false"
        let naming = configuration.option("FileNaming") ?? "PathToUnderscores"
        let wellKnownRoots = ProtocLocator.bundledIncludeDirectories(of: request.protoc) + importPaths

        var outputs: [String] = []
        for file in request.protoFiles.sorted() {
            let name = protoName(of: file, importPaths: importPaths)
            let text: String
            do {
                text = try read(file)
            } catch {
                throw .unreadable(path: file, reason: "\(error)")
            }
            let source = ProtoSource(scanning: text)
            for imported in source.imports where imported.hasPrefix("google/protobuf/") {
                guard wellKnownRoots.contains(where: { exists($0 + "/" + imported) }) else {
                    throw .wellKnownTypeMissing(proto: file, imported: imported, searched: wellKnownRoots)
                }
            }
            if messages { outputs.append(outputName(name, suffix: ".pb.swift", naming: naming)) }
            if services, source.declaresServices { outputs.append(outputName(name, suffix: ".grpc.swift", naming: naming)) }
        }
        guard !outputs.isEmpty else { return nil }

        var arguments = [
            "--plugin=protoc-gen-swift-grpc=\(request.generator)",
            "--swift-grpc_out=\(request.outputDirectory)",
        ]
        if configuration.option("FileNaming") == nil { arguments.append("--swift-grpc_opt=FileNaming=\(naming)") }
        arguments += configuration.options.map { "--swift-grpc_opt=\($0.key)=\($0.value)" }
        if let mappings = configuration.moduleMappings {
            arguments.append("--swift-grpc_opt=ProtoPathModuleMappings=\(mappings)")
        }
        for path in importPaths { arguments += ["-I", path] }
        arguments += request.protoFiles.sorted()

        var inputs = request.protoFiles.sorted()
        for path in configuration.importPaths { inputs += protosUnder(path).sorted() }
        inputs += [request.configurationFile, configuration.moduleMappings].compactMap { $0 }
        inputs.append(request.generator)
        return GenerationPlan(
            arguments: arguments,
            inputFiles: inputs,
            outputFiles: outputs.map { request.outputDirectory + "/" + $0 }
        )
    }

    /// The name protoc gives a file it is handed by its disk path: the path relative to the
    /// first import path that contains it.
    static func protoName(of file: String, importPaths: [String]) -> String {
        for root in importPaths {
            let prefix = root.hasSuffix("/") ? root : root + "/"
            if file.hasPrefix(prefix) { return String(file.dropFirst(prefix.count)) }
        }
        return URL(fileURLWithPath: file).lastPathComponent
    }

    /// The generator's output name for `protoName` under a `FileNaming` value (the generator
    /// treats names case-insensitively and defaults to `FullPath` for unknown ones it rejects).
    static func outputName(_ protoName: String, suffix: String, naming: String) -> String {
        let base = protoName.hasSuffix(".proto") ? String(protoName.dropLast(6)) : protoName
        switch naming.lowercased() {
        case "droppath": return (base.split(separator: "/").last.map(String.init) ?? base) + suffix
        case "pathtounderscores": return base.replacingOccurrences(of: "/", with: "_") + suffix
        default: return base + suffix
        }
    }
}
