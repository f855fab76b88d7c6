import GeneratedFixtures
import ProtoWire
import Testing

/// The descriptors the plugin embeds in generated files (the `Reflection` option).
@Suite struct EmbeddedDescriptorTests {
    @Test func filesNameTheirImportsTransitivelyDependenciesFirst() {
        #expect(Grpc_Testing_Test_FileDescriptor.name == "grpc/testing/test.proto")
        #expect(Grpc_Testing_Test_FileDescriptor.dependencies.map(\.name) == ["grpc/testing/empty.proto", "grpc/testing/messages.proto"])
        #expect(Grpc_Testing_Test_FileDescriptor.withTransitiveDependencies.map(\.name) == [
            "grpc/testing/empty.proto", "grpc/testing/messages.proto", "grpc/testing/test.proto",
        ])
        // Across modules: the well-known types' descriptors live in ProtoWire.
        let imports = Fixtures_Imports_Imports_FileDescriptor.withTransitiveDependencies.map(\.name)
        #expect(imports.last == "fixtures/imports.proto")
        #expect(imports.contains("google/protobuf/timestamp.proto"))
        #expect(Set(imports).count == imports.count, "each file once")
    }

    @Test func bytesAreTheEncodedFileDescriptorProto() throws {
        // FileDescriptorProto: name (1), package (2), dependency (3), in that order as encoded.
        var fields: [(Int, String)] = []
        try Search_FileDescriptor.bytes.withUnsafeBytes { buffer in
            var reader = WireReader(buffer)
            var skipped = UnknownFields()
            while let tag = try reader.nextTag() {
                if tag.fieldNumber == 1 || tag.fieldNumber == 3 {
                    fields.append((tag.fieldNumber, try reader.readLengthDelimited { String(decoding: $0, as: UTF8.self) }))
                } else {
                    try reader.skip(tag, into: &skipped)
                }
            }
        }
        #expect(fields.map(\.0) == [1, 3])
        #expect(fields.map(\.1) == ["search.proto", "google/protobuf/empty.proto"])
    }

    @Test func base64LineBreaksAreIgnored() {
        let file = SerializedFileDescriptor(name: "x.proto", dependencies: [], base64: "Cgd4\nLnBy\nb3Rv")
        #expect(file.bytes == [0x0A, 0x07] + Array("x.proto".utf8))
    }
}
