// search-server: the seed's search service, on the embedded place index or on PostgreSQL with PostGIS.
//
// Configuration, flags first, then environment variables, then defaults:
//   --host / SEARCH_HOST            address to listen on (127.0.0.1)
//   --port / SEARCH_PORT            port; 0 picks a free one (50051)
//   --database / SEARCH_DATABASE_URL  postgres://USER:PASSWORD@HOST:PORT/DB[?sslmode=disable|prefer|require];
//                                   when set, places come from PostGIS (load them with search-load)
//                                   and --data is not read (none: the embedded index)
//   --data / SEARCH_DATA            GeoJSON FeatureCollection of named polygons for the embedded
//                                   index (Fixtures/places.geojson)
//   --log-level / SEARCH_LOG_LEVEL  trace, debug, info, notice, warning, error, critical (info)
//   --statsd / SEARCH_STATSD        HOST:PORT of a StatsD server for metrics; empty for none (127.0.0.1:8125)
//   SEARCH_PREFACE_TIMEOUT, SEARCH_IDLE_TIMEOUT, SEARCH_MAX_CONNECTION_AGE(_GRACE),
//                                   SEARCH_REQUEST_IDLE_TIMEOUT
//                                   (durations: 500ms, 10s, 5m, or none), SEARCH_MAX_CONNECTIONS,
//                                   SEARCH_CONNECTION_BUFFER_BUDGET, SEARCH_SERVER_BUFFER_BUDGET (bytes):
//                                   the server's connection limits (GRPCServer.Configuration's defaults)
//   --etcd, --etcd-prefix, --advertise, --etcd-ttl, --config-prefix: registration in etcd and
//                                   live settings, described in Discovery.swift
//   --no-reflection                 no server reflection (grpc.reflection.v1 and v1alpha, on by
//                                   default, for grpcurl, grpc_cli and Postman)
// Health (grpc.health.v1, for "" and "Search") is SERVING while the backend answers a check made
// every second, NOT_SERVING while it does not. SIGTERM and SIGINT shut the server down
// gracefully: in-flight calls finish.

import Foundation
import GRPCRuntime
import GRPCServiceLifecycle
import Logging
import Metrics
import PostgresNIO
import SearchPostgres
import SearchService
import ServiceLifecycle
import StatsDMetrics

func setting(_ flag: String, _ variable: String, default value: String) -> String {
    let arguments = CommandLine.arguments
    if let i = arguments.firstIndex(of: flag), i + 1 < arguments.count { return arguments[i + 1] }
    return ProcessInfo.processInfo.environment[variable] ?? value
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("search-server: \(message)\n".utf8))
    exit(64)
}

let host = setting("--host", "SEARCH_HOST", default: "127.0.0.1")
guard let port = Int(setting("--port", "SEARCH_PORT", default: "50051")) else { fail("the port must be a number") }
guard let level = Logger.Level(rawValue: setting("--log-level", "SEARCH_LOG_LEVEL", default: "info")) else {
    fail("unknown log level")
}
let discovery = DiscoverySettings.read()

// One JSON object per line on stdout, written off the calls' path.
let liveLogLevel = LiveLogLevel(level)
LoggingSystem.bootstrap { label in LiveLevelLogHandler(inner: JSONLogHandler(label: label, level: level), live: liveLogLevel) }
let logger = Logger(label: "search-server")

let statsdTarget = setting("--statsd", "SEARCH_STATSD", default: "127.0.0.1:8125")
if !statsdTarget.isEmpty {
    guard let colon = statsdTarget.lastIndex(of: ":"), let statsdPort = Int(statsdTarget[statsdTarget.index(after: colon)...]) else {
        fail("--statsd must be HOST:PORT, not \(statsdTarget)")
    }
    do {
        MetricsSystem.bootstrap(try await StatsD.connect(host: String(statsdTarget[..<colon]), port: statsdPort))
    } catch {
        fail("cannot set up StatsD at \(statsdTarget): \(error)")
    }
    logger.info("metrics to StatsD", metadata: ["address": "\(statsdTarget)"])
}

// The backend, and the services that must run beside the server for it.
let backend: any SearchBackend
var backendServices: [ServiceGroupConfiguration.ServiceConfiguration] = []
let databaseSetting = setting("--database", "SEARCH_DATABASE_URL", default: "")
if databaseSetting.isEmpty {
    let dataPath = setting("--data", "SEARCH_DATA", default: "Fixtures/places.geojson")
    let places: [Place]
    do {
        places = try GeoJSON.places(from: try Data(contentsOf: URL(fileURLWithPath: dataPath)))
    } catch {
        fail("cannot load \(dataPath): \(error)")
    }
    logger.info("loaded places", metadata: ["count": "\(places.count)", "file": "\(dataPath)"])
    backend = MemoryBackend(places: places)
} else {
    let url: DatabaseURL
    do { url = try DatabaseURL(databaseSetting) } catch { fail("\(error)") }
    let client = PostgresClient(configuration: url.clientConfiguration, backgroundLogger: logger)
    backendServices.append(.init(service: client))
    backend = PostgresBackend(client: client, logger: logger)
    logger.info("places from PostgreSQL", metadata: ["database": "\(url)"])
}

let health = HealthService()
// NOT_SERVING until the first check answers.
for service in ["", "Search"] { health.setStatus(.notServing, forService: service) }
backendServices.append(.init(service: HealthMonitor(monitor: BackendHealth(backend: backend, health: health, logger: logger))))
var configuration = GRPCServer.Configuration(host: host, port: port)
// The server's connection limits (the README's "Limits and defences"); the abuse suite sets them short.
func durationSetting(_ variable: String) -> Duration?? {
    guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty else { return .none }
    if text == "none" { return .some(nil) }
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
    for (unit, seconds) in units where text.hasSuffix(unit) {
        if let value = Double(text.dropLast(unit.count)), value >= 0 { return .some(.milliseconds(Int64(value * seconds * 1000))) }
    }
    fail("\(variable) must be a duration such as 500ms, 10s or 5m, or none")
}
func countSetting(_ variable: String) -> Int? {
    guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty else { return nil }
    guard let value = Int(text), value > 0 else { fail("\(variable) must be a positive number") }
    return value
}
if let value = durationSetting("SEARCH_PREFACE_TIMEOUT") { configuration.prefaceTimeout = value }
if let value = durationSetting("SEARCH_IDLE_TIMEOUT") { configuration.idleTimeout = value }
if let value = durationSetting("SEARCH_MAX_CONNECTION_AGE") { configuration.maximumConnectionAge = value }
if let value = durationSetting("SEARCH_MAX_CONNECTION_AGE_GRACE") { configuration.maximumConnectionAgeGrace = value ?? .seconds(0) }
if let value = durationSetting("SEARCH_REQUEST_IDLE_TIMEOUT") { configuration.requestIdleTimeout = value }
if let value = countSetting("SEARCH_MAX_CONNECTIONS") { configuration.maximumConnections = value }
if let value = countSetting("SEARCH_CONNECTION_BUFFER_BUDGET") { configuration.connectionBufferBudget = value }
if let value = countSetting("SEARCH_SERVER_BUFFER_BUDGET") { configuration.serverBufferBudget = value }
var services: [any GRPCService] = [SearchProvider(backend: backend), health]
if !CommandLine.arguments.contains("--no-reflection") {
    services += ReflectionService(describing: services).services
}
let server = GRPCServer(configuration: configuration, services: services, logger: logger)

/// Runs the backend health checks until shutdown.
struct HealthMonitor: Service {
    let monitor: BackendHealth
    func run() async throws {
        await cancelWhenGracefulShutdown { await monitor.run() }
    }
}

/// Prints `search-server listening on HOST:PORT` once bound, for people and scripts.
struct Announcement: Service {
    let server: GRPCServer
    let host: String

    func run() async throws {
        let port = try await server.listeningAddress.port ?? 0
        FileHandle.standardOutput.write(Data("search-server listening on \(host):\(port)\n".utf8))
        try? await gracefulShutdown()
    }
}

let group = ServiceGroup(
    configuration: ServiceGroupConfiguration(
        // Shutdown runs in reverse: the server drains its calls before the database pool closes.
        services: backendServices + [.init(service: server), .init(service: Announcement(server: server, host: host))]
            + discovery.services(server: server, host: host, logLevel: liveLogLevel, logger: logger),
        gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
    )
)
// Log lines are written from a thread of their own (LineWriter): the last ones go out before exit.
do {
    try await group.run()
} catch {
    logger.error("stopped: \(error)")
    LineWriter.standardOutput.flush()
    throw error
}
LineWriter.standardOutput.flush()
