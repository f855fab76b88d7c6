import Logging
import PostgresNIO
import SearchService

/// The search service's PostgreSQL + PostGIS backend.
///
/// Places live in one table (see `PlaceTable`): a name and a `geometry(MultiPolygon, 4326)`
/// column with a GiST index, which `ST_Contains` uses. Every query is parameterized. Connections
/// come from postgres-nio's pool (`PostgresClient`), which the caller runs.
///
/// The pool waits, without limit, for a database that is down; each query here gives up after
/// `queryTimeout` instead, so a call fails with UNAVAILABLE rather than hanging, and the health
/// check notices.
public struct PostgresBackend: SearchBackend {
    public let client: PostgresClient
    public let table: PlaceTable
    public var queryTimeout: Duration
    let logger: Logger

    public init(client: PostgresClient, table: PlaceTable = PlaceTable(), queryTimeout: Duration = .seconds(3), logger: Logger) {
        self.client = client
        self.table = table
        self.queryTimeout = queryTimeout
        self.logger = logger
    }

    public func search(latitude: Double, longitude: Double, query: String, offset: Int, limit: Int) async throws -> [String] {
        // PostGIS points are (x, y) = (longitude, latitude). Names compare by code point
        // (COLLATE "C") so that the order matches the embedded backend's whatever the database
        // locale; `strpos` rather than LIKE, so `%` and `_` in a query are plain characters.
        let sql: PostgresQuery = """
            SELECT name FROM \(unescaped: table.quotedName)
            WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(\(longitude), \(latitude)), 4326))
              AND (\(query) = '' OR strpos(lower(name), lower(\(query))) > 0)
            ORDER BY name COLLATE "C", id
            OFFSET \(offset) LIMIT \(limit)
            """
        return try await timed {
            var names: [String] = []
            for try await name in try await client.query(sql, logger: logger).decode(String.self) {
                names.append(name)
            }
            return names
        }
    }

    public func placeCount() async throws -> Int {
        let sql: PostgresQuery = "SELECT count(*) FROM \(unescaped: table.quotedName)"
        return try await timed {
            for try await count in try await client.query(sql, logger: logger).decode(Int.self) {
                return count
            }
            return 0
        }
    }

    /// `SELECT 1`: the database answers.
    public func ping() async throws {
        try await timed {
            for try await _ in try await client.query("SELECT 1", logger: logger).decode(Int32.self) {}
        }
    }

    private func timed<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await withTimeout(queryTimeout, body)
        } catch let error as PSQLError {
            logger.warning("database query failed", metadata: ["error": "\(String(reflecting: error))"])
            throw error
        }
    }
}
