// TLS through GRPCTLS: built with the package's TLS trait (the test command enables every trait).
#if TLS
import Foundation
import GeneratedFixtures
import GRPCRuntime
import GRPCTestSupport
import GRPCTLS
import NIOSSL
import ProtoWire
import Testing
import TestSupport

/// A throwaway CA and a server certificate for localhost/127.0.0.1, made with openssl at test time.
struct TestCertificates {
    let directory: URL
    var caFile: String { directory.appendingPathComponent("ca.pem").path }
    var certFile: String { directory.appendingPathComponent("server.pem").path }
    var keyFile: String { directory.appendingPathComponent("server.key").path }

    private init(directory: URL) {
        self.directory = directory
    }

    /// Runs openssl (off the cooperative pool: RSA keys take a while on a busy machine).
    static func make() async throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let d = directory.path
        let script = """
            set -e
            cd '\(d)'
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj '/CN=Test CA' 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=localhost' 2>/dev/null
            printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\nbasicConstraints=CA:FALSE\\n' > ext.cnf
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 1 -extfile ext.cnf 2>/dev/null
            """
        let result = try await ChildProcess.run(["sh", "-c", script])
        guard result.status == 0 else { throw RPCError(.internal, "openssl failed: \(result.stderr)") }
        return TestCertificates(directory: directory)
    }
}

struct SearchStub: Search.Servicer {
    func search(request: SearchRequest, context: ServerContext) async throws -> SearchResponses {
        SearchResponses(responses: [SearchResponse(response: "secure \(request.query)")])
    }

    func monitor(request: Google_Protobuf_Empty, context: ServerContext) async throws -> MonitorResponse {
        MonitorResponse(nThings: 42)
    }
}

func runServer<R: Sendable>(
    _ configuration: GRPCServer.Configuration, services: [any GRPCService], _ body: @Sendable (Int) async throws -> R
) async throws -> R {
    try await withServer(services: services, configure: { $0 = configuration }) { _, port in try await body(port) }
}

@Suite struct TLSTests {
    @Test func swiftClientAndServerOverTLS() async throws {
        let certs = try await TestCertificates.make()
        var configuration = GRPCServer.Configuration()
        configuration.transportSecurity = try ServerTLS(certificateChainFile: certs.certFile, privateKeyFile: certs.keyFile)
        try await runServer(configuration, services: [SearchStub()]) { port in
            var channelConfiguration = GRPCChannel.Configuration()
            channelConfiguration.transportSecurity = try ClientTLS(trustRootsFile: certs.caFile, serverHostnameOverride: "localhost")
            let channel = GRPCChannel(host: "127.0.0.1", port: port, configuration: channelConfiguration)
            defer { channel.close() }
            let response = try await Search.Client(channel: channel).search(SearchRequest(query: "q"), )
            #expect(response.responses.map(\.response) == ["secure q"])
        }
    }

    @Test func clientRejectsAnUntrustedServer() async throws {
        let certs = try await TestCertificates.make()
        let other = try await TestCertificates.make()
        var configuration = GRPCServer.Configuration()
        configuration.transportSecurity = try ServerTLS(certificateChainFile: certs.certFile, privateKeyFile: certs.keyFile)
        try await runServer(configuration, services: [SearchStub()]) { port in
            var channelConfiguration = GRPCChannel.Configuration()
            channelConfiguration.transportSecurity = try ClientTLS(trustRootsFile: other.caFile, serverHostnameOverride: "localhost")
            let channel = GRPCChannel(host: "127.0.0.1", port: port, configuration: channelConfiguration)
            defer { channel.close() }
            await #expect(throws: RPCError.self) {
                _ = try await Search.Client(channel: channel).monitor(Google_Protobuf_Empty())
            }
        }
    }

    @Test func pythonClientToSwiftServerOverTLS() async throws {
        let certs = try await TestCertificates.make()
        var configuration = GRPCServer.Configuration()
        configuration.transportSecurity = try ServerTLS(certificateChainFile: certs.certFile, privateKeyFile: certs.keyFile)
        let output = try await runServer(configuration, services: [SearchStub()]) { port in
            try await ChildProcess.run([
                "python3", "Tests/Interop/interop_client.py", "--target", "127.0.0.1:\(port)", "--case", "monitor",
                "--tls-ca", certs.caFile, "--server-host-override", "localhost",
            ])
        }
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        #expect(output.stdout.contains("PASS monitor"), "\(output.stdout)")
    }

    @Test func swiftClientToPythonServerOverTLS() async throws {
        let certs = try await TestCertificates.make()
        let server = try await ChildProcess.Server([
            "python3", "Tests/Interop/interop_server.py", "--port", "0", "--tls-cert", certs.certFile, "--tls-key", certs.keyFile,
        ])
        var channelConfiguration = GRPCChannel.Configuration()
        channelConfiguration.transportSecurity = try ClientTLS(trustRootsFile: certs.caFile, serverHostnameOverride: "localhost")
        let channel = GRPCChannel(host: "127.0.0.1", port: server.port, configuration: channelConfiguration)
        let result = await Result(catching: { try await Search.Client(channel: channel).monitor(Google_Protobuf_Empty(), options: CallOptions(timeout: .seconds(5))) })
        channel.close()
        await server.stop()
        #expect(try result.get().nThings == 42)
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
#endif
