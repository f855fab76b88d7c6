import Foundation
import GeneratedFixtures
import GRPCRuntime
import GRPCTestSupport
import ProtoWire
import Testing
import TestSupport

/// Search, answering nothing: reflection only needs the service's methods and descriptor.
private struct IdleSearch: Search.Servicer {
    func monitor(request: Google_Protobuf_Empty, context: ServerContext) async throws -> MonitorResponse { MonitorResponse() }
    func search(request: SearchRequest, context: ServerContext) async throws -> SearchResponses { SearchResponses() }
}

/// A service with no methods whose file, compiled by protoc, declares extensions (which the plugin
/// does not generate yet): reflection reads them from the descriptor alone.
private struct ExtendedFile: GRPCService {
    let fileDescriptor: SerializedFileDescriptor?
    var methods: [ServerMethod] { [] }

    static let proto = """
        syntax = "proto2";
        package ext;
        message Base {
          optional int32 plain = 1;
          extensions 100 to 200;
          extend Base { optional string nested_extension = 150; }
        }
        extend Base {
          optional int32 top_extension = 100;
          optional Base recursive_extension = 101;
        }
        """

    /// ext.proto compiled by protoc into a FileDescriptorSet, whose field 1 is the file.
    static func compiled() async throws -> ExtendedFile {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reflection-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try proto.write(to: directory.appendingPathComponent("ext.proto"), atomically: true, encoding: .utf8)
        let set = directory.appendingPathComponent("set.pb")
        let run = try await ChildProcess.run(["protoc", "-I", directory.path, "-o", set.path, "ext.proto"])
        try #require(run.status == 0, "protoc: \(run.stderr)")
        let bytes = [UInt8](try Data(contentsOf: set))
        let file = try bytes.withUnsafeBytes { buffer -> [UInt8] in
            var reader = WireReader(buffer)
            let tag = try #require(try reader.nextTag())
            #expect(tag.fieldNumber == 1)
            return try reader.readLengthDelimited { [UInt8]($0) }
        }
        return ExtendedFile(fileDescriptor: SerializedFileDescriptor(name: "ext.proto", dependencies: [], bytes: file))
    }
}

private typealias Request = Grpc_Reflection_V1_ServerReflectionRequest
private typealias Response = Grpc_Reflection_V1_ServerReflectionResponse

/// Sends `requests` in turn on one reflection stream and collects the answers.
private func ask(_ requests: [Request], services: [any GRPCService]) async throws -> [Response] {
    try await withServerAndChannel(services: services + ReflectionService(describing: services).services) { _, channel in
        try await Grpc_Reflection_V1_ServerReflection.Client(channel: channel).serverReflectionInfo { call in
            var answers: [Response] = []
            for request in requests {
                try await call.send(request)
                guard let answer = try await call.receive() else { break }
                answers.append(answer)
            }
            try await call.finishSending()
            return answers
        }
    }
}

private func request(_ message: Request.MessageRequest?, host: String = "") -> Request {
    var request = Request()
    request.host = host
    request.messageRequest = message
    return request
}

/// The names of the files in a file descriptor answer, in order; nil for any other answer.
private func fileNames(_ response: Response) -> [String]? {
    guard case .fileDescriptorResponse(let files)? = response.messageResponse else { return nil }
    return files.fileDescriptorProto.map { bytes in
        // FileDescriptorProto.name is field 1, the first the plugin's descriptors write.
        return Array(bytes).withUnsafeBytes { buffer -> String in
            var reader = WireReader(buffer)
            while let tag = try? reader.nextTag() {
                if tag.fieldNumber == 1, let name = try? reader.readLengthDelimited({ String(decoding: $0, as: UTF8.self) }) { return name }
                var skipped = UnknownFields()
                guard (try? reader.skip(tag, into: &skipped)) != nil else { break }
            }
            return "?"
        }
    }
}

private func errorCode(_ response: Response) -> Int32? {
    guard case .errorResponse(let error)? = response.messageResponse else { return nil }
    return error.errorCode
}

@Suite struct ReflectionServiceTests {
    @Test func listsServicesAndFindsFilesBySymbolAndName() async throws {
        let answers = try await ask(
            [
                request(.listServices(""), host: "example.test"),
                request(.fileContainingSymbol("SearchRequest")),
                request(.fileContainingSymbol("Search.search")),
                request(.fileContainingSymbol("SearchRequest.page_number")),
                request(.fileContainingSymbol("grpc.health.v1.HealthCheckResponse.ServingStatus")),
                request(.fileContainingSymbol("grpc.health.v1.HealthCheckResponse.SERVING")),
                request(.fileContainingSymbol("grpc.health.v1.Health")),
                request(.fileByFilename("google/protobuf/empty.proto")),
                request(.allExtensionNumbersOfType("SearchRequest")),
            ],
            services: [IdleSearch(), HealthService()])
        try #require(answers.count == 9)

        guard case .listServicesResponse(let list)? = answers[0].messageResponse else {
            Issue.record("not a service list: \(answers[0])")
            return
        }
        #expect(list.service.map(\.name) == [
            "Search", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
        ])
        #expect(answers[0].validHost == "example.test")
        #expect(answers[0].originalRequest == request(.listServices(""), host: "example.test"))

        // The file, then what it imports; a file already sent on the stream is not sent again,
        // except the one asked for.
        #expect(fileNames(answers[1]) == ["search.proto", "google/protobuf/empty.proto"])
        #expect(fileNames(answers[2]) == ["search.proto"])
        #expect(fileNames(answers[3]) == ["search.proto"])
        #expect(fileNames(answers[4]) == ["grpc/health/v1/health.proto"])
        #expect(fileNames(answers[5]) == ["grpc/health/v1/health.proto"])
        #expect(fileNames(answers[6]) == ["grpc/health/v1/health.proto"])
        #expect(fileNames(answers[7]) == ["google/protobuf/empty.proto"])
        if case .fileDescriptorResponse(let files)? = answers[1].messageResponse {
            #expect(files.fileDescriptorProto.first.map(Array.init) == Search_FileDescriptor.bytes)
        }

        guard case .allExtensionNumbersResponse(let numbers)? = answers[8].messageResponse else {
            Issue.record("not extension numbers: \(answers[8])")
            return
        }
        #expect(numbers.baseTypeName == "SearchRequest")
        #expect(numbers.extensionNumber.isEmpty)
    }

    @Test func answersWhatItCannotFindWithErrorResponsesAndKeepsTheStream() async throws {
        let answers = try await ask(
            [
                request(.fileContainingSymbol("no.such.Symbol")),
                request(.fileByFilename("no/such.proto")),
                request(.fileContainingExtension(Grpc_Reflection_V1_ExtensionRequest(containingType: "SearchRequest", extensionNumber: 100))),
                request(.allExtensionNumbersOfType("no.such.Message")),
                request(.allExtensionNumbersOfType("Search")),
                request(nil),
                request(.fileContainingSymbol("MonitorResponse")),
            ],
            services: [IdleSearch()])
        try #require(answers.count == 7)
        let notFound = Int32(RPCError.Code.notFound.rawValue)
        #expect(answers[0..<5].map(errorCode) == [notFound, notFound, notFound, notFound, notFound])
        #expect(errorCode(answers[5]) == Int32(RPCError.Code.invalidArgument.rawValue))
        if case .errorResponse(let error)? = answers[0].messageResponse {
            #expect(error.errorMessage.contains("no.such.Symbol"))
        }
        #expect(fileNames(answers[6]) == ["search.proto", "google/protobuf/empty.proto"])
    }

    @Test func v1alphaAnswersAsV1Does() async throws {
        let services: [any GRPCService] = [IdleSearch()]
        let names = try await withServerAndChannel(services: services + ReflectionService(describing: services).services) { _, channel in
            try await Grpc_Reflection_V1alpha_ServerReflection.Client(channel: channel).serverReflectionInfo { call in
                var list = Grpc_Reflection_V1alpha_ServerReflectionRequest()
                list.messageRequest = .listServices("")
                try await call.send(list)
                var missing = Grpc_Reflection_V1alpha_ServerReflectionRequest()
                missing.messageRequest = .fileByFilename("no/such.proto")
                try await call.send(missing)
                try await call.finishSending()
                var answers: [Grpc_Reflection_V1alpha_ServerReflectionResponse.MessageResponse?] = []
                while let answer = try await call.receive() { answers.append(answer.messageResponse) }
                return answers
            }
        }
        try #require(names.count == 2)
        guard case .listServicesResponse(let list)? = names[0] else {
            Issue.record("not a service list: \(String(describing: names[0]))")
            return
        }
        #expect(list.service.map(\.name) == ["Search", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"])
        guard case .errorResponse(let error)? = names[1] else {
            Issue.record("not an error: \(String(describing: names[1]))")
            return
        }
        #expect(error.errorCode == Int32(RPCError.Code.notFound.rawValue))
    }

    @Test func findsExtensionsByExtendedTypeAndNumber() async throws {
        let extended = try await ExtendedFile.compiled()
        let answers = try await ask(
            [
                request(.fileContainingExtension(Grpc_Reflection_V1_ExtensionRequest(containingType: "ext.Base", extensionNumber: 101))),
                request(.fileContainingExtension(Grpc_Reflection_V1_ExtensionRequest(containingType: ".ext.Base", extensionNumber: 150))),
                request(.fileContainingExtension(Grpc_Reflection_V1_ExtensionRequest(containingType: "ext.Base", extensionNumber: 102))),
                request(.allExtensionNumbersOfType("ext.Base")),
                request(.fileContainingSymbol("ext.top_extension")),
                request(.fileContainingSymbol("ext.Base.nested_extension")),
            ],
            services: [extended])
        try #require(answers.count == 6)
        #expect(fileNames(answers[0]) == ["ext.proto"])
        #expect(fileNames(answers[1]) == ["ext.proto"])
        #expect(errorCode(answers[2]) == Int32(RPCError.Code.notFound.rawValue))
        guard case .allExtensionNumbersResponse(let numbers)? = answers[3].messageResponse else {
            Issue.record("not extension numbers: \(answers[3])")
            return
        }
        #expect(numbers.baseTypeName == "ext.Base")
        #expect(numbers.extensionNumber == [100, 101, 150])
        #expect(fileNames(answers[4]) == ["ext.proto"])
        #expect(fileNames(answers[5]) == ["ext.proto"])
    }
}
