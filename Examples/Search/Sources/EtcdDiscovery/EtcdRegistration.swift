import GRPCRuntime
import Logging

/// A service instance's entry in etcd: `key` → `value` on a lease of `ttl` seconds, kept alive
/// while `run()` runs. When the process dies the keep-alives stop and etcd deletes the key
/// once the lease expires; when `run()` is cancelled (graceful shutdown) it revokes the lease,
/// which deletes the key at once.
public struct EtcdRegistration: Sendable {
    public let client: EtcdClient
    public let key: String
    public let value: String
    public let ttl: Int64
    public var logger: Logger

    /// Registers `endpoint` as `prefix + endpoint` with the endpoint as its value, the form the
    /// `etcd://` resolver reads.
    public init(client: EtcdClient, prefix: String, endpoint: Endpoint, ttl: Int64, logger: Logger = Logger(label: "etcd-registration")) {
        self.init(client: client, key: prefix + endpoint.description, value: endpoint.description, ttl: ttl, logger: logger)
    }

    public init(client: EtcdClient, key: String, value: String, ttl: Int64, logger: Logger = Logger(label: "etcd-registration")) {
        precondition(ttl > 0, "a lease needs a positive TTL")
        self.client = client
        self.key = key
        self.value = value
        self.ttl = ttl
        self.logger = logger
    }

    /// Registers and keeps the registration alive until cancelled, then deregisters. If the lease
    /// is lost (etcd unreachable for longer than the TTL), it registers again with a new one.
    public func run() async throws {
        var attempt = 0
        var lease: Int64?
        while !Task.isCancelled {
            do {
                let granted = try await client.grantLease(ttl: ttl)
                lease = granted.id
                try await client.put(key, value, lease: granted.id)
                logger.info("registered in etcd", metadata: ["key": "\(key)", "lease": "\(String(granted.id, radix: 16))", "ttl": "\(granted.ttl)"])
                attempt = 0
                // Renewing three times per TTL survives a lost keep-alive or two.
                try await client.keepAlive(lease: granted.id, every: .milliseconds(max(ttl * 1000 / 3, 100)))
            } catch {
                if Task.isCancelled { break }
                attempt += 1
                logger.warning("etcd registration failed, retrying", metadata: ["key": "\(key)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(min(200 * attempt, 2000)))
                continue
            }
        }
        await deregister(lease: lease)
    }

    /// Deletes the key. Runs in a task of its own, since the caller's is already cancelled and
    /// calls made from it would fail at once.
    private func deregister(lease: Int64?) async {
        let client = self.client
        let key = self.key
        let logger = self.logger
        await Task {
            do {
                // Revoking the lease removes the key with it.
                if let lease { try await client.revokeLease(lease) } else { try await client.delete(key) }
                logger.info("deregistered from etcd", metadata: ["key": "\(key)"])
            } catch {
                logger.warning("could not deregister from etcd; the lease will expire", metadata: ["key": "\(key)", "error": "\(error)"])
            }
        }.value
    }
}

/// Configuration keys under a prefix, read once and then followed with a watch: each change
/// (and, at start, each existing key) is an element `(name, value)`, where name is the key
/// without the prefix and value is nil for a deleted key.
public struct EtcdConfiguration: Sendable {
    public let client: EtcdClient
    public let prefix: String

    public init(client: EtcdClient, prefix: String) {
        self.client = client
        self.prefix = prefix
    }

    /// The settings as they are and as they change, until cancelled; reconnects (listing again)
    /// when the watch fails.
    public func changes() -> AsyncStream<(name: String, value: String?)> {
        let (stream, continuation) = AsyncStream<(name: String, value: String?)>.makeStream()
        let client = self.client
        let prefix = self.prefix
        let task = Task {
            var known: [String: String] = [:]
            while !Task.isCancelled {
                do {
                    let (keys, revision) = try await client.list(prefix: prefix)
                    var now: [String: String] = [:]
                    for entry in keys { now[String(entry.key.dropFirst(prefix.count))] = entry.value }
                    for (name, value) in now.sorted(by: { $0.key < $1.key }) where known[name] != value { continuation.yield((name, value)) }
                    for name in known.keys.sorted() where now[name] == nil { continuation.yield((name, nil)) }
                    known = now
                    for try await batch in client.watch(prefix: prefix, fromRevision: revision + 1) {
                        for event in batch.events {
                            switch event {
                            case .put(let entry):
                                let name = String(entry.key.dropFirst(prefix.count))
                                known[name] = entry.value
                                continuation.yield((name, entry.value))
                            case .delete(let key, _):
                                let name = String(key.dropFirst(prefix.count))
                                known[name] = nil
                                continuation.yield((name, nil))
                            }
                        }
                    }
                } catch {}
                try? await Task.sleep(for: .milliseconds(500))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
