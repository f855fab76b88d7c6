import Foundation
import PackagePlugin

/// Generates Swift from the `.proto` files in a target's folder as part of the build: protoc
/// runs with `protoc-gen-swift-grpc` (built from source with the package) and writes into the
/// plugin's work directory, from which the build compiles the output into the target.
/// Nothing generated is ever written beside the sources.
@main
struct SwiftGRPCPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let target = target as? SwiftSourceModuleTarget else {
            throw PluginError.notSwiftTarget(target.name)
        }
        let protos = target.sourceFiles(withSuffix: ".proto").map(\.url.path)
        guard !protos.isEmpty else { return [] }
        let directory = target.directoryURL.path
        let configurationFile = directory + "/" + PluginConfiguration.fileName
        var configuration = PluginConfiguration()
        var usedConfiguration: String?
        if let data = FileManager.default.contents(atPath: configurationFile) {
            configuration = try PluginConfiguration(json: data, directory: target.directoryURL)
            usedConfiguration = configurationFile
        }
        let protoc = try ProtocLocator().locate(configured: configuration.protocPath)
        let request = GenerationPlan.Request(
            targetDirectory: directory,
            protoFiles: protos,
            configuration: configuration,
            configurationFile: usedConfiguration,
            protoc: protoc,
            generator: try context.tool(named: "protoc-gen-swift-grpc").url.path,
            outputDirectory: context.pluginWorkDirectoryURL.path
        )
        guard let plan = try GenerationPlan.make(
            request,
            read: { try String(contentsOfFile: $0, encoding: .utf8) },
            exists: { FileManager.default.fileExists(atPath: $0) },
            protosUnder: protoFiles(under:)
        ) else { return [] }
        return [
            .buildCommand(
                displayName: "Generating Swift for \(protos.count) .proto file(s) of \(target.name)",
                executable: URL(fileURLWithPath: protoc),
                arguments: plan.arguments,
                inputFiles: plan.inputFiles.map { URL(fileURLWithPath: $0) },
                outputFiles: plan.outputFiles.map { URL(fileURLWithPath: $0) }
            )
        ]
    }
}

/// The `.proto` files below `directory`, for the import paths' part of the command's inputs.
private func protoFiles(under directory: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
    var found: [String] = []
    while let relative = walker.nextObject() as? String {
        if relative.hasSuffix(".proto") { found.append(directory + "/" + relative) }
    }
    return found
}
