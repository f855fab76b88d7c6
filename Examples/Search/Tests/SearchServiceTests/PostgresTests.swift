import Foundation
import GRPCRuntime
import PostgresNIO
import ProtoWire
import SearchPostgres
import SearchService
import Testing
import SearchTestSupport

private let samplePath = ChildProcess.repositoryRoot.appendingPathComponent("Examples/Search/Fixtures/places.geojson").path

@Suite("PostgreSQL: loading, the sample, health")
struct PostgresTests {
    @Test func databaseURLs() throws {
        let url = try DatabaseURL("postgres://search:p%40ss@db.example:6543/places?sslmode=require")
        #expect(url.user == "search")
        #expect(url.password == "p@ss")
        #expect(url.host == "db.example")
        #expect(url.port == 6543)
        #expect(url.database == "places")
        #expect(url.tls == .require)
        #expect(!url.description.contains("p@ss") && !url.description.contains("p%40ss"))
        let short = try DatabaseURL("postgresql://127.0.0.1")
        #expect(short.user == "postgres" && short.database == "postgres" && short.port == 5432 && short.tls == .prefer)
        for bad in ["mysql://x/y", "postgres:///db", "not a url", "postgres://h/db?sslmode=verify-full", "postgres://h/db?timeout=3"] {
            #expect(throws: DatabaseURL.Invalid.self, "\(bad)") { try DatabaseURL(bad) }
        }
    }

    /// A failing load leaves the table as it was: here the second load's last place has a name
    /// PostgreSQL cannot store (a NUL character), after the old places were deleted.
    @Test func aFailedLoadLeavesTheTableAsItWas() async throws {
        let server = try await SharedPostgres.server.value
        let table = PlaceTable(name: freshTableName())
        let first = Array(world.prefix(3))
        let url = try DatabaseURL(server.url)
        do {
            #expect(try await table.load(first, replacing: false, into: url, logger: quietLogger) == 3)
            var bad = world
            bad[bad.count - 1].name = "broken\u{0}name"
            await #expect(throws: (any Error).self) {
                try await table.load(bad, replacing: true, into: url, logger: quietLogger)
            }
            let names = try await server.psql("SELECT string_agg(name, ',' ORDER BY id) FROM \(table.name)")
            #expect(names == "Big,Donut,Archipelago")
            // And a good replacing load replaces.
            #expect(try await table.load(Array(world.suffix(2)), replacing: true, into: url, logger: quietLogger) == 2)
        }
        #expect(try await server.psql("SELECT string_agg(name, ',' ORDER BY id) FROM \(table.name)") == "Twin,Far away")
        // The GiST index is there and the planner uses it for the search's predicate.
        #expect(try await server.psql("SELECT indexdef FROM pg_indexes WHERE tablename = '\(table.name)' AND indexdef LIKE '%gist%'").contains("USING gist (geom)"))
        try await server.psql("ANALYZE \(table.name)")
        let plan = try await server.psql("""
            SET enable_seqscan = off;
            EXPLAIN SELECT name FROM \(table.name) WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(1, 1), 4326))
            """)
        #expect(plan.contains("\(table.name)_geom"), "\(plan)")
    }

    @Test func searchLoadLoadsTheSampleOrNothing() async throws {
        let server = try await SharedPostgres.server.value
        let table = freshTableName()
        let loader = ChildProcess.builtProduct("search-load")
        let ok = try await ChildProcess.run([loader, "--table", table, server.url, samplePath])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("360 places in \(table)"), "\(ok.stdout)")

        // A file whose second feature has no name: an error naming it, and nothing loaded.
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("\(table)-bad.geojson")
        try Data("""
            {"type": "FeatureCollection", "features": [
              {"type": "Feature", "properties": {"name": "fine"},
               "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}},
              {"type": "Feature", "properties": {"label": "no name"},
               "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]}}
            ]}
            """.utf8).write(to: bad)
        defer { try? FileManager.default.removeItem(at: bad) }
        let failed = try await ChildProcess.run([loader, "--replace", "--table", table, server.url, bad.path])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("feature 1"), "\(failed.stderr)")
        #expect(try await server.psql("SELECT count(*) FROM \(table)") == "360")

        let unreachable = try await ChildProcess.run([loader, "--table", table, "postgres://postgres@127.0.0.1:\(try freeLoopbackPort())/postgres?sslmode=disable", samplePath])
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr.contains("nothing loaded"), "\(unreachable.stderr)")
        let usage = try await ChildProcess.run([loader, server.url])
        #expect(usage.status == 64)
    }

    /// The sample set in both backends, asked the same 1,500 questions: the same answers.
    @Test func bothBackendsAgreeOnTheSample() async throws {
        let places = try GeoJSON.places(from: Data(contentsOf: URL(fileURLWithPath: samplePath)))
        let memory = MemoryBackend(places: places)
        var rng = SplitMix64(seed: 0xB0B)
        var questions: [(Double, Double, String)] = []
        for i in 0..<1_500 {
            let place = places.randomElement(using: &rng)!
            let box = place.polygons.randomElement(using: &rng)!.boundingBox.expanded(by: i % 3 == 0 ? 0.05 : 0.002)
            // Float, as the service receives them.
            let lat = Double(Float(Double.random(in: box.minLatitude...box.maxLatitude, using: &rng)))
            let lng = Double(Float(Double.random(in: box.minLongitude...box.maxLongitude, using: &rng)))
            let query = i % 5 == 0 ? String(place.name.prefix(3)).uppercased() : ""
            questions.append((lat, lng, query))
        }
        let asked = questions
        let (hits, total) = try await withBackend(.postgres, places: places) { postgres async throws -> (Int, Int) in
            #expect(try await postgres.placeCount() == places.count)
            var hits = 0
            for (lat, lng, query) in asked {
                let expected = try await memory.search(latitude: lat, longitude: lng, query: query, offset: 0, limit: 1_000)
                let got = try await postgres.search(latitude: lat, longitude: lng, query: query, offset: 0, limit: 1_000)
                #expect(got == expected, "(\(lat), \(lng)) \(query)")
                if !expected.isEmpty { hits += 1 }
            }
            return (hits, asked.count)
        }
        // The comparison means something: most questions hit at least one place.
        #expect(hits > total / 5, "\(hits) of \(total)")
    }

    /// search-server on PostgreSQL: health follows the database down and back up, and calls
    /// fail with UNAVAILABLE while it is down.
    @Test func healthFollowsTheDatabase() async throws {
        let database = try await PostgresServer.start()
        defer { database.destroy() }
        let load = try await ChildProcess.run([ChildProcess.builtProduct("search-load"), database.url, samplePath])
        #expect(load.status == 0, "\(load.stderr)")

        let server = try ChildProcess.Program(ChildProcess.builtProduct("search-server"), ["--port", "0", "--statsd", "", "--database", database.url])
        defer { kill(server.process.processIdentifier, SIGKILL) }
        let port = try await server.listeningPort()
        let channel = GRPCChannel(host: "127.0.0.1", port: port)
        defer { channel.close() }
        let health = Grpc_Health_V1_Health.Client(channel: channel)
        let search = Search.Client(channel: channel)
        let request = SearchRequest(lat: 52.52, lng: 13.40, resultPerPage: 100)

        func waitFor(_ status: HealthService.Status, within limit: Duration = .seconds(15)) async throws -> Duration {
            let start = ContinuousClock.now
            while ContinuousClock.now - start < limit {
                var statuses: [HealthService.Status] = []
                for service in ["", "Search"] {
                    statuses.append(try await health.check(Grpc_Health_V1_HealthCheckRequest(service: service)).status)
                }
                if statuses.allSatisfy({ $0 == status }) { return ContinuousClock.now - start }
                try await Task.sleep(for: .milliseconds(100))
            }
            Issue.record("health did not become \(status) within \(limit)")
            return limit
        }

        _ = try await waitFor(.serving)
        let before = try await search.search(request).responses.map(\.response)
        #expect(!before.isEmpty)
        #expect(try await search.monitor(Google_Protobuf_Empty()).nThings == 360)

        try await database.stop()
        let down = try await waitFor(.notServing)
        do {
            _ = try await search.search(request, options: CallOptions(timeout: .seconds(10)))
            Issue.record("a search succeeded with the database down")
        } catch let error as RPCError {
            #expect(error.code == .unavailable, "\(error)")
        }

        try await database.restart()
        let up = try await waitFor(.serving)
        #expect(try await search.search(request).responses.map(\.response) == before)
        print("health: NOT_SERVING \(down) after the database stopped, SERVING \(up) after it restarted")
        let logged = server.lines.joined(separator: "\n")
        #expect(logged.contains("\"health\":\"NOT_SERVING\""), "\(logged.suffix(2000))")
    }
}
