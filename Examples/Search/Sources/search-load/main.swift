// search-load: loads a GeoJSON FeatureCollection of named polygons into PostgreSQL + PostGIS
// for search-server --database.
//
//   search-load [--replace] [--table NAME] DATABASE_URL FILE.geojson
//
// Creates the PostGIS extension, the table and its GiST index when missing, then inserts every
// place in one transaction: a bad feature (the error names it) or a database error loads
// nothing. --replace deletes the places already there in the same transaction. Prints the number
// of places in the table. Exit status: 0 done, 1 failed, 64 bad usage.

import Foundation
import Logging
import PostgresNIO
import SearchPostgres
import SearchService

func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("search-load: \(message)\n".utf8))
    exit(status)
}

let usage = "usage: search-load [--replace] [--table NAME] DATABASE_URL FILE.geojson"
var arguments = Array(CommandLine.arguments.dropFirst())
var replacing = false
var tableName = "places"
var positional: [String] = []
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "--replace": replacing = true
    case "--table":
        guard !arguments.isEmpty else { fail(usage, status: 64) }
        tableName = arguments.removeFirst()
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        if argument.hasPrefix("--") { fail("unknown option \(argument)\n\(usage)", status: 64) }
        positional.append(argument)
    }
}
guard positional.count == 2 else { fail(usage, status: 64) }
let url: DatabaseURL
do { url = try DatabaseURL(positional[0]) } catch { fail("\(error)", status: 64) }
guard PlaceTable.isValidName(tableName) else { fail("a table name is letters, digits and underscores: \(tableName)", status: 64) }

let places: [Place]
do {
    places = try GeoJSON.places(from: try Data(contentsOf: URL(fileURLWithPath: positional[1])))
} catch {
    fail("\(positional[1]): \(error)")
}

var logger = Logger(label: "search-load")
logger.logLevel = .error
let count: Int
do {
    count = try await PlaceTable(name: tableName).load(places, replacing: replacing, into: url, logger: logger)
} catch {
    fail("loading into \(url) failed, nothing loaded: \(PlaceTable.describe(error))")
}
print("\(count) places in \(tableName) (\(places.count) loaded from \(positional[1]))")
