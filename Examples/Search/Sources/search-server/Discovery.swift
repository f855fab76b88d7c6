// search-server's part in service discovery: registration in etcd under a leased key, and
// settings under a configuration prefix watched live (as envconsul did for the seed).
// Settings (flags first, then environment variables):
//   --etcd / SEARCH_ETCD                  etcd HOST:PORT; empty (the default) for no registry
//   --etcd-prefix / SEARCH_ETCD_PREFIX    where replicas register (/services/search/), and
//                                         where the clients' service config is published
//                                         (PREFIX/service-config: SearchServiceConfig.json)
//   --advertise / SEARCH_ADVERTISE        HOST:PORT clients should use (listen host, bound port)
//   --etcd-ttl / SEARCH_ETCD_TTL          lease TTL in seconds (10)
//   --config-prefix / SEARCH_CONFIG_PREFIX  watched settings; `log-level` reloads live (/config/search/)

import EtcdDiscovery
import GRPCRuntime
import Logging
import SearchService
import ServiceLifecycle
import Synchronization

/// The log level every logger reads on each message, so that it can change at run time.
final class LiveLogLevel: Sendable {
    private let box: Mutex<Logger.Level>

    init(_ level: Logger.Level) { box = Mutex(level) }

    var level: Logger.Level {
        get { box.withLock { $0 } }
        set { box.withLock { $0 = newValue } }
    }
}

/// A JSON log handler whose level is the shared live one.
struct LiveLevelLogHandler: LogHandler {
    var inner: JSONLogHandler
    let live: LiveLogLevel

    var logLevel: Logger.Level {
        get { live.level }
        set { live.level = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) { inner.log(event: event) }
}

/// The discovery settings, read from flags and the environment with main's `setting`.
struct DiscoverySettings {
    var etcd: String
    var prefix: String
    var advertise: String
    var ttl: Int64
    var configPrefix: String

    static func read() -> DiscoverySettings {
        let ttlText = setting("--etcd-ttl", "SEARCH_ETCD_TTL", default: "10")
        guard let ttl = Int64(ttlText), ttl > 0 else { fail("--etcd-ttl must be a positive number of seconds, not \(ttlText)") }
        return DiscoverySettings(
            etcd: setting("--etcd", "SEARCH_ETCD", default: ""),
            prefix: setting("--etcd-prefix", "SEARCH_ETCD_PREFIX", default: "/services/search/"),
            advertise: setting("--advertise", "SEARCH_ADVERTISE", default: ""),
            ttl: ttl,
            configPrefix: setting("--config-prefix", "SEARCH_CONFIG_PREFIX", default: "/config/search/")
        )
    }

    /// The services that register this server and follow its settings; none without `--etcd`.
    func services(server: GRPCServer, host: String, logLevel: LiveLogLevel, logger: Logger) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        guard !etcd.isEmpty else { return [] }
        let client: EtcdClient
        do {
            _ = try Endpoint(parsing: etcd)
            client = try EtcdClient(endpoint: etcd)
        } catch {
            fail("--etcd must be HOST:PORT: \(error)")
        }
        if !advertise.isEmpty {
            do { _ = try Endpoint(parsing: advertise) } catch { fail("--advertise must be HOST:PORT: \(error)") }
        }
        return [
            .init(service: Registration(client: client, settings: self, server: server, host: host, logger: logger)),
            .init(service: LiveSettings(configuration: EtcdConfiguration(client: client, prefix: configPrefix), logLevel: logLevel, logger: logger)),
        ]
    }
}

/// Registers once the server is listening; deregisters first thing on graceful shutdown, so
/// clients stop picking this replica before it stops taking calls.
struct Registration: Service {
    let client: EtcdClient
    let settings: DiscoverySettings
    let server: GRPCServer
    let host: String
    let logger: Logger

    func run() async throws {
        let port = try await server.listeningAddress.port ?? 0
        let endpoint = settings.advertise.isEmpty ? Endpoint(host: host, port: port) : try Endpoint(parsing: settings.advertise)
        let registration = EtcdRegistration(client: client, prefix: settings.prefix, endpoint: endpoint, ttl: settings.ttl, logger: logger)
        // The config clients of etcd://…/PREFIX go by (every replica writes the same one).
        do {
            _ = try await client.put(settings.prefix + EtcdResolver.serviceConfigKey, SearchServiceConfig.json)
        } catch {
            logger.warning("could not publish the service config in etcd", metadata: ["error": "\(error)"])
        }
        try await cancelWhenGracefulShutdown { try await registration.run() }
    }
}

/// Applies settings from etcd as they change: `log-level` now.
struct LiveSettings: Service {
    let configuration: EtcdConfiguration
    let logLevel: LiveLogLevel
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            for await (name, value) in configuration.changes() {
                guard name == "log-level" else { continue }
                guard let value, let level = Logger.Level(rawValue: value) else {
                    logger.warning("ignoring log-level setting", metadata: ["value": "\(value ?? "(deleted)")"])
                    continue
                }
                // Announced at the level that is ending, so the change shows in both directions.
                logger.notice("log level set from etcd", metadata: ["level": "\(level)"])
                logLevel.level = level
            }
        }
    }
}
