import Foundation
import Testing
import SearchTestSupport

/// search-server's reflection, through grpcio-reflection's Python client
/// (Tests/Interop/reflection_client.py): the services listed, Search described from the
/// descriptors the server sends, and `monitor` called with a request built from them alone.
@Suite("search-server reflection")
struct ReflectionTests {
    static func server(_ extra: [String] = []) throws -> ChildProcess.Program {
        try ChildProcess.Program(
            ChildProcess.builtProduct("search-server"),
            ["--port", "0", "--statsd", "", "--data", "Examples/Search/Fixtures/places.geojson"] + extra)
    }

    static func client(_ port: Int, _ version: String) async throws -> ChildProcess.Output {
        try await ChildProcess.run([
            "python3", "Tests/Interop/reflection_client.py", "--target", "127.0.0.1:\(port)", "--version", version,
            "--service", "Search", "--method", "monitor", "--request", "{}",
        ])
    }

    @Test(arguments: ["v1", "v1alpha"])
    func pythonClientDescribesAndCallsSearch(_ version: String) async throws {
        let server = try Self.server()
        defer { kill(server.process.processIdentifier, SIGKILL) }
        let output = try await Self.client(try await server.listeningPort(), version)
        #expect(output.status == 0, "\(output)")
        #expect(output.stdout.split(separator: "\n") == [
            "services: Search grpc.health.v1.Health grpc.reflection.v1.ServerReflection grpc.reflection.v1alpha.ServerReflection",
            "method: monitor google.protobuf.Empty MonitorResponse",
            "method: search SearchRequest SearchResponses",
            #"response: {"nThings": 360}"#,
            "missing symbol: no.such.Symbol not found",
            "missing file: no/such/file.proto not found",
        ], "\(output)")
    }

    @Test func noReflectionTurnsItOff() async throws {
        let server = try Self.server(["--no-reflection"])
        defer { kill(server.process.processIdentifier, SIGKILL) }
        let output = try await Self.client(try await server.listeningPort(), "v1")
        #expect(output.status != 0)
        #expect(output.stderr.contains("UNIMPLEMENTED"), "\(output)")
    }
}
