// GRPCServer as a swift-service-lifecycle Service: built with the package's ServiceLifecycle
// trait (the test command enables every trait).
#if ServiceLifecycle
import GeneratedFixtures
import GRPCRuntime
import GRPCServiceLifecycle
import Logging
import ServiceLifecycle
import Testing

@Suite struct ServiceLifecycleTests {
    @Test func groupShutdownIsTheServersGracefulShutdown() async throws {
        let probe = ProbeService()
        let server = GRPCServer(configuration: GRPCServer.Configuration(), services: [probe])
        let group = ServiceGroup(services: [server], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.listeningAddress.port!
            let channel = GRPCChannel(host: "127.0.0.1", port: port)
            defer { channel.close() }
            // Held in its handler until the shutdown has begun, as in HTTP2ServerTests.
            defer { probe.release() }
            let inFlight = Task { try await Search.Client(channel: channel).search(SearchRequest(query: "held")) }
            #expect(await probe.eventually { $0.active == 1 })
            await group.triggerGracefulShutdown()
            probe.release()
            #expect(try await inFlight.value.responses.first?.response == "held")
            try await tasks.waitForAll()
        }
    }
}
#endif
