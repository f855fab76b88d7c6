#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ProtoWire

/// gRPC server reflection (`grpc.reflection.v1.ServerReflection` and its older twin
/// `grpc.reflection.v1alpha.ServerReflection`), which lets tools such as grpcurl, `grpc_cli` and
/// Postman list a server's services and fetch their `.proto` descriptors to call them.
///
/// It answers from the descriptors the plugin embeds in generated code (the `Reflection` option,
/// on by default), for the services it is given and for itself:
///
/// ```swift
/// let services: [any GRPCService] = [GreeterService(), health]
/// let server = GRPCServer(configuration: configuration, services: services + ReflectionService(describing: services).services)
/// ```
///
/// A lookup that finds nothing is answered in the stream with the protocol's `ErrorResponse`
/// (NOT_FOUND), and the stream goes on.
public struct ReflectionService: Sendable {
    private let index: DescriptorIndex
    private let serviceNames: [String]

    /// Reflection over `services` and the reflection services themselves.
    public init(describing services: [any GRPCService]) {
        let own = [Grpc_Reflection_V1_Reflection_FileDescriptor, Grpc_Reflection_V1alpha_Reflection_FileDescriptor]
        index = DescriptorIndex(files: services.compactMap(\.fileDescriptor) + own)
        var names: [String] = []
        // Paths are `/package.Service/Method`.
        let paths = services.flatMap { $0.methods.map(\.path) }
            + [Grpc_Reflection_V1_ServerReflection.Method.serverReflectionInfo.path, Grpc_Reflection_V1alpha_ServerReflection.Method.serverReflectionInfo.path]
        for path in paths {
            let parts = path.split(separator: "/")
            if parts.count == 2, !names.contains(String(parts[0])) { names.append(String(parts[0])) }
        }
        serviceNames = names
    }

    /// The two services to add to the server: v1 and v1alpha, which clients still use.
    public var services: [any GRPCService] {
        [V1(index: index, names: serviceNames), V1Alpha(index: index, names: serviceNames)]
    }

    struct V1: Grpc_Reflection_V1_ServerReflection.Servicer {
        let index: DescriptorIndex
        let names: [String]

        func serverReflectionInfo(
            requests: RequestStream<Grpc_Reflection_V1_ServerReflectionRequest>,
            responses: ResponseWriter<Grpc_Reflection_V1_ServerReflectionResponse>, context: ServerContext
        ) async throws {
            var stream = ReflectionStream(index: index, names: names)
            for try await request in requests {
                try await responses.write(stream.answer(request))
            }
        }
    }

    /// v1alpha's messages are v1's under another package, field for field: requests are read as
    /// v1 and answers written back as v1alpha through their encoding.
    struct V1Alpha: Grpc_Reflection_V1alpha_ServerReflection.Servicer {
        let index: DescriptorIndex
        let names: [String]

        func serverReflectionInfo(
            requests: RequestStream<Grpc_Reflection_V1alpha_ServerReflectionRequest>,
            responses: ResponseWriter<Grpc_Reflection_V1alpha_ServerReflectionResponse>, context: ServerContext
        ) async throws {
            var stream = ReflectionStream(index: index, names: names)
            for try await request in requests {
                let answer = stream.answer(try Grpc_Reflection_V1_ServerReflectionRequest(serializedBytes: request.serializedBytes()))
                try await responses.write(try Grpc_Reflection_V1alpha_ServerReflectionResponse(serializedBytes: answer.serializedBytes()))
            }
        }
    }
}

/// One reflection stream: answers its requests in order, and sends each file at most once as
/// a dependency (the file asked for is always sent), as clients keep the files they receive.
struct ReflectionStream {
    let index: DescriptorIndex
    let names: [String]
    private var sent: Set<String> = []

    init(index: DescriptorIndex, names: [String]) {
        self.index = index
        self.names = names
    }

    typealias Request = Grpc_Reflection_V1_ServerReflectionRequest
    typealias Response = Grpc_Reflection_V1_ServerReflectionResponse

    mutating func answer(_ request: Request) -> Response {
        var response = Response()
        response.validHost = request.host
        response.originalRequest = request
        response.messageResponse = messageResponse(request.messageRequest)
        return response
    }

    private mutating func messageResponse(_ request: Request.MessageRequest?) -> Response.MessageResponse {
        switch request {
        case .fileByFilename(let name):
            guard let file = index.files[name] else { return error(.notFound, "no file named \(name)") }
            return files(file)
        case .fileContainingSymbol(let symbol):
            let name = symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol
            guard let fileName = index.fileBySymbol[name], let file = index.files[fileName] else {
                return error(.notFound, "no symbol named \(symbol)")
            }
            return files(file)
        case .fileContainingExtension(let request):
            let type = request.containingType.hasPrefix(".") ? String(request.containingType.dropFirst()) : request.containingType
            guard let fileName = index.extensions[type]?[request.extensionNumber], let file = index.files[fileName] else {
                return error(.notFound, "no extension \(request.extensionNumber) of \(request.containingType)")
            }
            return files(file)
        case .allExtensionNumbersOfType(let type):
            let name = type.hasPrefix(".") ? String(type.dropFirst()) : type
            guard index.messages.contains(name) else { return error(.notFound, "no message type named \(type)") }
            var numbers = Grpc_Reflection_V1_ExtensionNumberResponse()
            numbers.baseTypeName = name
            numbers.extensionNumber = (index.extensions[name] ?? [:]).keys.sorted()
            return .allExtensionNumbersResponse(numbers)
        case .listServices:
            var list = Grpc_Reflection_V1_ListServiceResponse()
            list.service = names.map { Grpc_Reflection_V1_ServiceResponse(name: $0) }
            return .listServicesResponse(list)
        case nil:
            return error(.invalidArgument, "the request asks for nothing this server knows")
        }
    }

    /// `file` and those of its dependencies, direct or not, not sent before on this stream.
    private mutating func files(_ file: SerializedFileDescriptor) -> Response.MessageResponse {
        var response = Grpc_Reflection_V1_FileDescriptorResponse()
        // The file asked for first: clients read the first as the answer.
        response.fileDescriptorProto.append(Data(file.bytes))
        sent.insert(file.name)
        for dependency in file.withTransitiveDependencies.reversed() where sent.insert(dependency.name).inserted {
            response.fileDescriptorProto.append(Data(dependency.bytes))
        }
        return .fileDescriptorResponse(response)
    }

    private func error(_ code: RPCError.Code, _ message: String) -> Response.MessageResponse {
        var error = Grpc_Reflection_V1_ErrorResponse()
        error.errorCode = Int32(code.rawValue)
        error.errorMessage = message
        return .errorResponse(error)
    }
}
