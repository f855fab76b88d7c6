import ProtoGenerator
import ProtoWire

/// The protoc plugin protocol: CodeGeneratorRequest bytes in, CodeGeneratorResponse bytes out.
///
/// Problems with the input never escape as a crash or a thrown error: they go
/// back to protoc in `CodeGeneratorResponse.error`, which protoc prints with the
/// plugin's name and fails the run.
public enum Plugin {
    /// The features this plugin declares to protoc: proto3 `optional` and editions.
    static let supportedFeatures = UInt64(
        Google_Protobuf_Compiler_CodeGeneratorResponse.Feature.proto3Optional.rawValue
            | Google_Protobuf_Compiler_CodeGeneratorResponse.Feature.supportsEditions.rawValue
    )
    /// The editions this plugin generates: proto2 and proto3 files, and editions 2023 and 2024.
    static let editions = (minimum: Google_Protobuf_Edition.proto2, maximum: Google_Protobuf_Edition.edition2024)

    /// Runs the generator on an encoded request and returns the encoded response.
    public static func run(request bytes: [UInt8]) -> [UInt8] {
        response(for: bytes).serializedBytes()
    }

    static func response(for bytes: [UInt8]) -> Google_Protobuf_Compiler_CodeGeneratorResponse {
        var response = Google_Protobuf_Compiler_CodeGeneratorResponse()
        response.supportedFeatures = supportedFeatures
        response.minimumEdition = editions.minimum.rawValue
        response.maximumEdition = editions.maximum.rawValue
        let request: Google_Protobuf_Compiler_CodeGeneratorRequest
        do {
            request = try Google_Protobuf_Compiler_CodeGeneratorRequest(serializedBytes: bytes)
        } catch {
            response.error = "protoc-gen-swift-grpc: malformed CodeGeneratorRequest: \(error)"
            return response
        }
        do {
            let files = try Generator(GeneratorRequest(request, moduleMappings: try moduleMappings(request.parameter ?? ""))).generate()
            response.file = files.map { .init(name: $0.name, content: $0.content) }
        } catch {
            response.error = error.description
        }
        return response
    }

    /// The mappings file that the `ProtoPathModuleMappings` option names, read and parsed.
    static func moduleMappings(_ parameter: String) throws(GeneratorError) -> ModuleMappings {
        guard let path = try GeneratorOptions(parameter: parameter).moduleMappingsPath else { return ModuleMappings() }
        switch readWholeFile(path) {
        case .success(let bytes):
            return try ModuleMappings(parsing: String(decoding: bytes, as: UTF8.self), source: path)
        case .failure(let error):
            throw GeneratorError(file: "", element: "ProtoPathModuleMappings", message: error.description)
        }
    }
}
