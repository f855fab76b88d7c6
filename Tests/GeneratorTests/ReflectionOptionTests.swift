import Foundation
@testable import PluginCore
@testable import ProtoGenerator
import ProtoWire
import Testing

/// The `Reflection` option: each `.pb.swift` embeds its file's descriptor, services name it.
@Suite struct ReflectionOptionTests {
    private func generate(_ options: String) throws -> [String: String] {
        let out = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try protoc(files: ["search.proto"], options: options, output: out)
        try #require(result.status == 0, "\(result.stderr)")
        var files: [String: String] = [:]
        for name in ["search.pb.swift", "search.grpc.swift"] {
            files[name] = try String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)
        }
        return files
    }

    @Test func embedsTheDescriptorWithoutSourceInfoAndServicesNameIt() throws {
        let files = try generate("")
        let messages = try #require(files["search.pb.swift"])
        #expect(messages.contains("let Search_FileDescriptor = ProtoWire.SerializedFileDescriptor(\n  name: \"search.proto\",\n  dependencies: [Google_Protobuf_Empty_FileDescriptor],\n"))
        // The base64 lines between the literal's quotes decode to search.proto's descriptor.
        let start = try #require(messages.range(of: "base64: \"\"\"\n"))
        let end = try #require(messages.range(of: "\n    \"\"\"", range: start.upperBound..<messages.endIndex))
        let text = messages[start.upperBound..<end.lowerBound].split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        #expect(messages[start.upperBound..<end.lowerBound].split(separator: "\n").allSatisfy { $0.count <= 104 })
        let bytes = try #require(Data(base64Encoded: text))
        let descriptor = try Google_Protobuf_FileDescriptorProto(serializedBytes: [UInt8](bytes))
        #expect(descriptor.name == "search.proto")
        #expect(descriptor.dependency == ["google/protobuf/empty.proto"])
        #expect(descriptor.messageType.map { $0.name ?? "" } == ["SearchRequest", "SearchResponses", "SearchResponse", "MonitorResponse"])
        #expect(descriptor.service.first?.method.map { $0.name ?? "" } == ["monitor", "search"])
        #expect(descriptor.sourceCodeInfo == nil, "comments and positions stay out")
        #expect(try #require(files["search.grpc.swift"]).contains("var fileDescriptor: ProtoWire.SerializedFileDescriptor? { Search_FileDescriptor }"))
    }

    @Test func reflectionFalseLeavesItOut() throws {
        let files = try generate("Reflection=false")
        #expect(!files.values.contains { $0.contains("FileDescriptor") })
        #expect(throws: GeneratorError.self) { try GeneratorOptions(parameter: "Reflection=maybe") }
    }

    @Test func base64LinesMatchFoundation() {
        for count in [0, 1, 2, 3, 4, 74, 75, 76, 300] {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(FilePlan.base64Lines(bytes, width: 100).joined() == Data(bytes).base64EncodedString(), "\(count) bytes")
        }
    }
}
