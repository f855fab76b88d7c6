import Foundation
import GRPCRuntime

/// `etcd://HOST:PORT/PREFIX`: the endpoints registered under `/PREFIX` in the etcd server at
/// HOST:PORT (values `host:port`, as `EtcdRegistration` writes them). The resolver lists the
/// prefix, then watches it from the next revision, so registrations and expiries reach the
/// channel as they happen; after a failed watch it lists again.
///
/// The service config published beside the endpoints, at `PREFIX` + `service-config`
/// (``serviceConfigKey``) in gRPC's JSON form, is the channel's while it is there.
public struct EtcdResolver: ServiceConfigResolver {
    /// The key under the prefix that holds the service config, not an endpoint.
    public static let serviceConfigKey = "service-config"

    public let client: EtcdClient
    public let prefix: String
    /// Whether the resolver closes the client's channel when the channel using it stops.
    let ownsClient: Bool

    public init(client: EtcdClient, prefix: String) {
        self.init(client: client, prefix: prefix, ownsClient: false)
    }

    init(client: EtcdClient, prefix: String, ownsClient: Bool) {
        self.client = client
        self.prefix = prefix
        self.ownsClient = ownsClient
    }

    public func updates(trigger: ResolutionTrigger) -> AsyncStream<Result<[Endpoint], any Error>> {
        let (stream, continuation) = AsyncStream<Result<[Endpoint], any Error>>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let client = self.client
        let prefix = self.prefix
        let ownsClient = self.ownsClient
        let task = Task {
            var failures = 0
            while !Task.isCancelled {
                do {
                    let (keys, revision) = try await client.list(prefix: prefix)
                    var entries: [String: String] = [:]
                    for entry in keys { entries[entry.key] = entry.value }
                    continuation.yield(.success(Self.endpoints(entries)))
                    failures = 0
                    for try await batch in client.watch(prefix: prefix, fromRevision: revision + 1) {
                        for event in batch.events {
                            switch event {
                            case .put(let entry): entries[entry.key] = entry.value
                            case .delete(let key, _): entries[key] = nil
                            }
                        }
                        continuation.yield(.success(Self.endpoints(entries)))
                    }
                } catch {
                    if Task.isCancelled { break }
                    failures += 1
                    continuation.yield(.failure(error))
                }
                try? await Task.sleep(for: .milliseconds(min(100 * failures, 2000)))
            }
            if ownsClient { client.channel.close() }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// The service config at `prefix` + ``serviceConfigKey``; nil when there is none.
    public func serviceConfig() async throws -> ServiceConfig? {
        guard let entry = try await client.get(prefix + Self.serviceConfigKey) else { return nil }
        return try ServiceConfig(json: entry.value)
    }

    /// Endpoints in key order; values that are not `host:port` (and the service config) are skipped.
    static func endpoints(_ entries: [String: String]) -> [Endpoint] {
        entries.sorted { $0.key < $1.key }.compactMap { entry in
            if entry.key.hasSuffix("/" + serviceConfigKey) { return nil }
            return try? Endpoint(parsing: entry.value.trimmingCharacters(in: .whitespaces))
        }
    }
}

/// Adds `etcd://` to a channel's schemes: `ResolverRegistry.standard.registering(EtcdResolverFactory())`.
public struct EtcdResolverFactory: NameResolverFactory {
    public var scheme: String { "etcd" }

    public init() {}

    public func makeResolver(for target: ResolverTarget, configuration: GRPCChannel.Configuration) throws -> any NameResolver {
        guard !target.authority.isEmpty else { throw TargetError("\(target) names no etcd server (etcd://HOST:PORT/PREFIX)") }
        _ = try Endpoint(parsing: target.authority)
        let prefix = "/" + target.path
        return EtcdResolver(client: try EtcdClient(endpoint: target.authority), prefix: prefix, ownsClient: true)
    }
}

extension ResolverRegistry {
    /// The standard schemes and `etcd`.
    public static var withEtcd: ResolverRegistry { standard.registering(EtcdResolverFactory()) }
}
