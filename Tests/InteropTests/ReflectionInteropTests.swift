import GRPCRuntime
import GRPCTestSupport
import Testing

// Server reflection against grpcio-reflection's Python client (Tests/Interop/reflection_client.py):
// it lists the services, fetches Search's descriptors and calls it with a request built from them.

@Suite("Python reflection client → Swift server", .timeLimit(.minutes(2)))
struct ReflectionInteropTests {
    @Test(arguments: ["v1", "v1alpha"])
    func pythonClientDescribesAndCallsSearch(_ version: String) async throws {
        let services = interopServices()
        try await withServer(services: services + ReflectionService(describing: services).services) { _, port in
            let run = try await runPython(
                [
                    "reflection_client.py", "--target", "127.0.0.1:\(port)", "--version", version, "--service", "Search",
                    "--method", "search", "--request", #"{"query": "cafe", "lat": 1.5, "lng": -2, "resultPerPage": 2}"#,
                    "--missing-symbol", "search.NoSuchMessage", "--missing-file", "no/such.proto",
                ],
                timeout: .seconds(60))
            #expect(run.status == 0, "reflection_client.py exited \(run.status)\nstdout:\n\(run.stdout)stderr:\n\(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            #expect(lines == [
                "services: Search grpc.health.v1.Health grpc.reflection.v1.ServerReflection grpc.reflection.v1alpha.ServerReflection grpc.testing.TestService",
                "method: monitor google.protobuf.Empty MonitorResponse",
                "method: search SearchRequest SearchResponses",
                #"response: {"responses": [{"response": "cafe@1.5,-2.0#0"}, {"response": "cafe@1.5,-2.0#1"}]}"#,
                "missing symbol: search.NoSuchMessage not found",
                "missing file: no/such.proto not found",
            ], "stderr:\n\(run.stderr)")
        }
    }
}
