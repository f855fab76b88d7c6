import Foundation
import GRPCRuntime
import Logging
import NIOConcurrencyHelpers
import ProtoWire
import SearchService
import Testing
import SearchTestSupport

/// A backend over a fixed list, so the provider's validation and paging are tested on their own.
struct ListBackend: SearchBackend {
    var names: [String]
    var failing = false

    struct Down: Error {}

    func search(latitude: Double, longitude: Double, query: String, offset: Int, limit: Int) async throws -> [String] {
        if failing { throw Down() }
        let matching = names.filter { query.isEmpty || $0.lowercased().contains(query.lowercased()) }
        return Array(matching.dropFirst(offset).prefix(limit))
    }

    func placeCount() async throws -> Int {
        if failing { throw Down() }
        return names.count
    }
}

@Suite struct SearchProviderTests {
    let names = (0..<25).map { "Place \($0)" }

    func call(_ request: SearchRequest, backend: ListBackend? = nil) async throws -> [String] {
        let provider = SearchProvider(backend: backend ?? ListBackend(names: names))
        return try await withServer(services: [provider]) { _, port in
            let channel = GRPCChannel(host: "127.0.0.1", port: port)
            defer { channel.close() }
            return try await Search.Client(channel: channel).search(request).responses.map(\.response)
        }
    }

    @Test func pagesCountFromZeroWithADefaultSize() async throws {
        #expect(try await call(SearchRequest(lat: 52.5, lng: 13.4)) == Array(names.prefix(10)))
        #expect(try await call(SearchRequest(lat: 52.5, lng: 13.4, pageNumber: 2)) == Array(names.suffix(5)))
        #expect(try await call(SearchRequest(lat: 52.5, lng: 13.4, pageNumber: 1, resultPerPage: 3)) == ["Place 3", "Place 4", "Place 5"])
        #expect(try await call(SearchRequest(lat: 52.5, lng: 13.4, pageNumber: 9)) == [])
    }

    @Test func queryFiltersCaseInsensitively() async throws {
        #expect(try await call(SearchRequest(query: "PLACE 2", lat: 1, lng: 1)) == ["Place 2", "Place 20", "Place 21", "Place 22", "Place 23", "Place 24"])
    }

    @Test(arguments: [
        SearchRequest(lat: 91, lng: 0), SearchRequest(lat: -90.5, lng: 0), SearchRequest(lat: 0, lng: 180.5),
        SearchRequest(lat: .nan, lng: 0), SearchRequest(lat: 0, lng: .infinity),
        SearchRequest(lat: 0, lng: 0, pageNumber: -1), SearchRequest(lat: 0, lng: 0, resultPerPage: -3),
    ])
    func invalidRequestsAreRejected(request: SearchRequest) async throws {
        do {
            _ = try await call(request)
            Issue.record("expected INVALID_ARGUMENT for \(request)")
        } catch let error as RPCError {
            #expect(error.code == .invalidArgument)
        }
    }

    @Test func aFailingBackendIsUnavailable() async throws {
        do {
            _ = try await call(SearchRequest(lat: 0, lng: 0), backend: ListBackend(names: [], failing: true))
            Issue.record("expected UNAVAILABLE")
        } catch let error as RPCError {
            #expect(error.code == .unavailable)
        }
    }

    @Test(arguments: [Logger.Level.debug, .info])
    func theCallsLogLineCarriesTheRequestAsJSONAtDebugLevel(level: Logger.Level) async throws {
        let lines = NIOLockedValueBox<[String]>([])
        let logger = Logger(label: "search") { label in JSONLogHandler(label: label, level: level) { line in lines.withLockedValue { $0.append(line) } } }
        let request = SearchRequest(query: "Place 1", lat: 52.5, lng: 13.25, resultPerPage: 3)
        let provider = SearchProvider(backend: ListBackend(names: names))
        _ = try await withServer(services: [provider], logger: logger) { _, port in
            let channel = GRPCChannel(host: "127.0.0.1", port: port)
            defer { channel.close() }
            return try await Search.Client(channel: channel).search(request)
        }
        let finished = try lines.withLockedValue { lines in
            try lines.compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
        }.filter { $0["message"] == "rpc finished" }
        try #require(finished.count == 1, "\(lines.withLockedValue { $0 })")
        if level == .debug {
            let json = try #require(finished[0]["request"])
            #expect(try SearchRequest(jsonString: json) == request)
        } else {
            #expect(finished[0]["request"] == nil)
        }
    }
}
