import Foundation
import Logging
import PostgresNIO
import SearchService

/// The places table: `id bigserial`, `name text`, `geom geometry(MultiPolygon, 4326)` with a
/// GiST index on `geom`. Creates it, and loads places into it.
public struct PlaceTable: Sendable, Hashable {
    /// The table's name: letters, digits and underscores, not starting with a digit.
    public let name: String

    public init(name: String = "places") {
        precondition(Self.isValidName(name), "a table name is letters, digits and underscores: \(name)")
        self.name = name
    }

    /// Letters, digits and underscores, not starting with a digit, at most 60 characters.
    public static func isValidName(_ name: String) -> Bool {
        guard name.utf8.count <= 60 else { return false }
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }

    var quotedName: String { "\"\(name)\"" }

    /// Creates the PostGIS extension, the table and its index when missing.
    public func create(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("CREATE EXTENSION IF NOT EXISTS postgis", logger: logger)
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS \(unescaped: quotedName) (
                id bigserial PRIMARY KEY,
                name text NOT NULL,
                geom geometry(MultiPolygon, 4326) NOT NULL
            )
            """, logger: logger)
        try await connection.query(
            "CREATE INDEX IF NOT EXISTS \(unescaped: "\"\(name)_geom\"") ON \(unescaped: quotedName) USING gist (geom)",
            logger: logger)
    }

    /// Loads `places` in one transaction, after creating the table when missing: all of them or,
    /// when anything fails, none. With `replacing`, the places already there go (in the same
    /// transaction, so readers see the old set or the new one). Returns the number of rows.
    @discardableResult
    public func load(_ places: [Place], replacing: Bool, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let names = places.map(\.name)
        let geometries = places.map(Self.geoJSON)
        do {
            return try await connection.withTransaction(logger: logger) { connection in
                try await create(on: connection, logger: logger)
                if replacing {
                    try await connection.query("DELETE FROM \(unescaped: quotedName)", logger: logger)
                }
                // One statement for the lot: two arrays, unnested side by side.
                try await connection.query("""
                    INSERT INTO \(unescaped: quotedName) (name, geom)
                    SELECT n, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326))
                    FROM unnest(\(names)::text[], \(geometries)::text[]) WITH ORDINALITY AS t(n, g, i)
                    ORDER BY i
                    """, logger: logger)
                for try await count in try await connection.query("SELECT count(*) FROM \(unescaped: quotedName)", logger: logger).decode(Int.self) {
                    return count
                }
                return 0
            }
        } catch let error as PostgresTransactionError {
            // The error that matters, not the wrapper.
            throw error.closureError ?? error.beginError ?? error.commitError ?? error
        }
    }

    /// Connects once (no pool: a loader should fail at once when the database is unreachable),
    /// loads, and closes.
    @discardableResult
    public func load(_ places: [Place], replacing: Bool, into url: DatabaseURL, logger: Logger) async throws -> Int {
        let connection = try await PostgresConnection.connect(configuration: try url.connectionConfiguration(), id: 1, logger: logger)
        do {
            let count = try await load(places, replacing: replacing, on: connection, logger: logger)
            try? await connection.close()
            return count
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// An error for people: PostgreSQL's own message when the server sent one (postgres-nio's
    /// description hides it, lest it leak data into logs; a loader's user wants it).
    public static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                let detail = error.serverInfo?[.detail].map { " (\($0))" } ?? ""
                return message + detail
            }
            return String(reflecting: error)
        }
        return "\(error)"
    }

    /// A place's polygons as a GeoJSON MultiPolygon, rings closed, full Double precision.
    static func geoJSON(_ place: Place) -> String {
        func ring(_ points: [Point]) -> String {
            var points = points
            if let first = points.first, points.last != first { points.append(first) }
            return "[" + points.map { "[\($0.longitude),\($0.latitude)]" }.joined(separator: ",") + "]"
        }
        let polygons = place.polygons.map { "[" + $0.rings.map(ring).joined(separator: ",") + "]" }
        return #"{"type":"MultiPolygon","coordinates":["# + polygons.joined(separator: ",") + "]}"
    }
}
