import GRPCRuntime
import GRPCTestSupport
import Testing

@Suite struct HealthServiceTests {
    @Test func checkAndWatchFollowTheStatus() async throws {
        let health = HealthService()
        health.setStatus(.serving, forService: "Search")
        try await withServerAndChannel(services: [health]) { _, channel in
            let client = Grpc_Health_V1_Health.Client(channel: channel)
            #expect(try await client.check(Grpc_Health_V1_HealthCheckRequest(service: "Search")).status == .serving)
            await #expect(throws: RPCError.self) { try await client.check(Grpc_Health_V1_HealthCheckRequest(service: "Other")) }

            let seen = try await client.watch(Grpc_Health_V1_HealthCheckRequest(service: "Search")) { responses in
                var statuses: [HealthService.Status] = []
                for try await response in responses {
                    statuses.append(response.status)
                    if statuses.count == 1 { health.setStatus(.notServing, forService: "Search") }
                    if statuses.count == 2 { health.setStatus(.serving, forService: "Search") }
                    if statuses.count == 3 { break }
                }
                return statuses
            }
            #expect(seen == [.serving, .notServing, .serving])
        }
    }
}
