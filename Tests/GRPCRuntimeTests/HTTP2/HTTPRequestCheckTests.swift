import GeneratedFixtures
import GRPCRuntime
import GRPCTestSupport
import Testing

/// What only the HTTP/2 transport checks: a request that is not gRPC at all gets an HTTP status,
/// never reaches the gRPC layer, and the connection goes on serving.
@Suite struct HTTPRequestCheckTests {
    @Test func requestsThatAreNotGRPCGetHTTPStatuses() async throws {
        let log = InterceptionLog()
        try await withServer(services: [ProbeService()], interceptors: [RecordingServerInterceptor(name: "s", log: log)]) { _, port in
            let client = try await RawHTTP2Client.connect(port: port)
            for (method, contentType, expected) in [("GET", "application/grpc", "405"), ("POST", "text/plain", "415"), ("POST", "application/grpc", "200")] {
                let headers = RawHTTP2Client.requestHeaders(path: Search.Method.monitor.path, method: method, contentType: contentType)
                // One empty message.
                let status: String? = try await client.exchange(headers, body: RawHTTP2Client.frame([])) { inbound in
                    for try await frame in inbound {
                        if case .headers(let response) = frame { return response.headers.first(name: ":status") }
                    }
                    return nil
                }
                #expect(status == expected, "\(method) \(contentType)")
            }
        }
        // Only the gRPC request reached the gRPC layer.
        #expect(log.all == ["s in /Search/monitor unary deadline:false", "s out OK"])
    }
}
