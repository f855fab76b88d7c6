import Foundation
import Logging
import PostgresNIO
import SearchPostgres
import SearchService
import Testing
import SearchTestSupport

// One suite, run against every backend: the embedded index and PostgreSQL + PostGIS. Both must
// give the same answers, in the same order, to the same questions.

enum BackendKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, postgres
    var testDescription: String { rawValue }
}

/// One PostgreSQL server for the whole test process, started on first use and stopped at exit.
enum SharedPostgres {
    static let server = Task { () throws -> PostgresServer in
        let server = try await PostgresServer.start()
        stopAtExit = server
        atexit { stopAtExit?.destroy() }
        return server
    }
    nonisolated(unsafe) static var stopAtExit: PostgresServer?
}

let quietLogger: Logger = {
    var logger = Logger(label: "tests")
    logger.logLevel = .critical
    return logger
}()

/// A table name no other test uses.
func freshTableName() -> String { "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "") }

/// Runs `body` with a running client for `url`.
func withPostgresClient<R: Sendable>(_ url: String, _ body: @escaping @Sendable (PostgresClient) async throws -> R) async throws -> R {
    let client = PostgresClient(configuration: try DatabaseURL(url).clientConfiguration, backgroundLogger: quietLogger)
    return try await withThrowingTaskGroup(of: R?.self) { group in
        group.addTask {
            await client.run()
            return nil
        }
        defer { group.cancelAll() }
        return try await body(client)
    }
}

/// Runs `body` with a backend of `kind` holding `places` (Postgres: in a table of its own).
func withBackend<R: Sendable>(_ kind: BackendKind, places: [Place], _ body: @escaping @Sendable (any SearchBackend) async throws -> R) async throws -> R {
    switch kind {
    case .memory:
        return try await body(MemoryBackend(places: places))
    case .postgres:
        let server = try await SharedPostgres.server.value
        return try await withPostgresClient(server.url) { client in
            let table = PlaceTable(name: freshTableName())
            let loaded = try await table.load(places, replacing: false, into: try DatabaseURL(server.url), logger: quietLogger)
            #expect(loaded == places.count)
            return try await body(PostgresBackend(client: client, table: table, logger: quietLogger))
        }
    }
}

private func square(_ name: String, _ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, hole: [Double]? = nil) -> Place {
    Place(name: name, polygons: [squarePolygon(x0, y0, x1, y1, hole: hole)])
}

/// A square from longitude x0…x1 and latitude y0…y1, with an optional square hole (x0, y0, x1, y1).
private func squarePolygon(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, hole: [Double]? = nil) -> Polygon {
    func ring(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Point] {
        [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)].map { Point(latitude: $0.1, longitude: $0.0) }
    }
    return Polygon(outer: ring(x0, y0, x1, y1), holes: hole.map { [ring($0[0], $0[1], $0[2], $0[3])] } ?? [])
}

/// A small world with every case the suite asks about (x is longitude, y latitude).
let world: [Place] = [
    square("Big", -5, -5, 50, 50),
    square("Donut", 0, 0, 10, 10, hole: [3, 3, 7, 7]),
    Place(name: "Archipelago", polygons: [squarePolygon(20, 20, 22, 22), squarePolygon(30, 30, 32, 32)]),
    square("alpha corner", 0, 0, 2, 2),
    square("Zürich Altstadt", 8, 8, 9, 9),
    square("ZÜRICH Nord", 8, 8, 9, 9),
    square("100% Pure", 8, 8, 9, 9),
    square("a_b", 8, 8, 9, 9),
    square("Twin", 8, 8, 9, 9),
    square("Twin", 8, 8, 9, 9),
    square("Far away", 100, 60, 101, 61),
]

@Suite("Backends: the shared suite")
struct BackendSuiteTests {
    func search(_ backend: any SearchBackend, _ lat: Double, _ lng: Double, query: String = "", offset: Int = 0, limit: Int = 100) async throws -> [String] {
        try await backend.search(latitude: lat, longitude: lng, query: query, offset: offset, limit: limit)
    }

    @Test(arguments: BackendKind.allCases)
    func interiorsAndHoles(kind: BackendKind) async throws {
        try await withBackend(kind, places: world) { backend async throws in
            #expect(try await search(backend, 1, 1) == ["Big", "Donut", "alpha corner"])
            #expect(try await search(backend, 5, 1) == ["Big", "Donut"])
            #expect(try await search(backend, 5, 5) == ["Big"])  // in Donut's hole
            #expect(try await search(backend, 21, 21) == ["Archipelago", "Big"])
            #expect(try await search(backend, 31, 31) == ["Archipelago", "Big"])  // its second polygon
            #expect(try await search(backend, 25, 25) == ["Big"])  // between the two
            #expect(try await search(backend, 60.5, 100.5) == ["Far away"])
            #expect(try await search(backend, -80, -170) == [])
        }
    }

    @Test(arguments: BackendKind.allCases)
    func boundariesAreOutside(kind: BackendKind) async throws {
        try await withBackend(kind, places: world) { backend async throws in
            #expect(try await search(backend, 5, 0) == ["Big"])    // Donut's outer edge
            #expect(try await search(backend, 5, 3) == ["Big"])    // the edge of Donut's hole
            #expect(try await search(backend, 7, 7) == ["Big"])    // a corner of the hole
            #expect(try await search(backend, 0, 0) == ["Big"])    // a vertex of Donut and alpha corner
            #expect(try await search(backend, -5, 10) == [])       // Big's edge
            #expect(try await search(backend, 61, 100.5) == [])    // Far away's edge
        }
    }

    @Test(arguments: BackendKind.allCases)
    func namesInCodePointOrder(kind: BackendKind) async throws {
        try await withBackend(kind, places: world) { backend async throws in
            #expect(try await search(backend, 8.5, 8.5) == [
                "100% Pure", "Big", "Donut", "Twin", "Twin", "ZÜRICH Nord", "Zürich Altstadt", "a_b",
            ])
        }
    }

    @Test(arguments: BackendKind.allCases)
    func queryIsACaseInsensitiveSubstring(kind: BackendKind) async throws {
        try await withBackend(kind, places: world) { backend async throws in
            #expect(try await search(backend, 8.5, 8.5, query: "zürich") == ["ZÜRICH Nord", "Zürich Altstadt"])
            #expect(try await search(backend, 8.5, 8.5, query: "ICH AL") == ["Zürich Altstadt"])
            #expect(try await search(backend, 8.5, 8.5, query: "tWiN") == ["Twin", "Twin"])
            // No wildcards: % and _ are characters like any other.
            #expect(try await search(backend, 8.5, 8.5, query: "%") == ["100% Pure"])
            #expect(try await search(backend, 8.5, 8.5, query: "_") == ["a_b"])
            #expect(try await search(backend, 8.5, 8.5, query: "far") == [])  // matches, but elsewhere
            #expect(try await search(backend, 60.5, 100.5, query: "far") == ["Far away"])
        }
    }

    @Test(arguments: BackendKind.allCases)
    func offsetAndLimit(kind: BackendKind) async throws {
        try await withBackend(kind, places: world) { backend async throws in
            #expect(try await search(backend, 8.5, 8.5, offset: 2, limit: 3) == ["Donut", "Twin", "Twin"])
            #expect(try await search(backend, 8.5, 8.5, offset: 7, limit: 10) == ["a_b"])
            #expect(try await search(backend, 8.5, 8.5, offset: 8, limit: 10) == [])
            #expect(try await search(backend, 8.5, 8.5, offset: 0, limit: 0) == [])
            #expect(try await search(backend, 8.5, 8.5, query: "i", offset: 2, limit: 2) == ["Twin", "ZÜRICH Nord"])
        }
    }

    @Test(arguments: BackendKind.allCases)
    func countAndPing(kind: BackendKind) async throws {
        try await withBackend(kind, places: world) { backend async throws in
            #expect(try await backend.placeCount() == 11)
            try await backend.ping()
        }
        try await withBackend(kind, places: []) { backend async throws in
            #expect(try await backend.placeCount() == 0)
            #expect(try await search(backend, 1, 1) == [])
        }
    }
}
