import Foundation
import GRPCRuntime
import ProtoWire

/// What went wrong talking to etcd, beyond a failed call (which throws `RPCError`).
public struct EtcdError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A key and its value as etcd stores them.
public struct EtcdKeyValue: Sendable, Hashable {
    public var key: String
    public var value: String
    public var modRevision: Int64
    public var lease: Int64

    init(_ kv: Mvccpb_KeyValue) {
        key = String(decoding: kv.key, as: UTF8.self)
        value = String(decoding: kv.value, as: UTF8.self)
        modRevision = kv.modRevision
        lease = kv.lease
    }
}

/// One change a watch reports.
public enum EtcdEvent: Sendable, Hashable {
    case put(EtcdKeyValue)
    case delete(key: String, revision: Int64)
}

/// The calls of etcd's v3 gRPC API that registration, configuration and resolution need, on
/// the stubs this project's plugin generated from `Fixtures/protos/etcd`.
public struct EtcdClient: Sendable {
    public let channel: GRPCChannel
    /// Per-call timeout for the unary calls.
    public var timeout: Duration = .seconds(5)

    public init(channel: GRPCChannel) {
        self.channel = channel
    }

    /// A client for the etcd server at `endpoint` (`host:port`, or any `GRPCChannel` target).
    public init(endpoint: String) throws(TargetError) {
        var configuration = GRPCChannel.Configuration()
        configuration.healthCheckService = nil
        configuration.connectTimeout = .seconds(5)
        configuration.backoff = Backoff(initial: .milliseconds(200), maximum: .seconds(5))
        self.init(channel: try GRPCChannel(target: endpoint, configuration: configuration))
    }

    private var kv: Etcdserverpb_KV.Client { .init(channel: channel) }
    private var leases: Etcdserverpb_Lease.Client { .init(channel: channel) }
    private var watches: Etcdserverpb_Watch.Client { .init(channel: channel) }
    private var options: CallOptions { CallOptions(timeout: timeout) }

    /// The end of the range of keys starting with `prefix`: the prefix with its last byte
    /// incremented (dropping trailing 0xFF bytes), or "\0" (everything) for an empty one.
    static func rangeEnd(ofPrefix prefix: String) -> Data {
        var bytes = Array(prefix.utf8)
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return Data(bytes)
            }
            bytes.removeLast()
        }
        return Data([0])
    }

    /// The keys under `prefix` and the store's revision they were read at.
    public func list(prefix: String) async throws -> (keys: [EtcdKeyValue], revision: Int64) {
        let response = try await kv.range(
            Etcdserverpb_RangeRequest(key: Data(prefix.utf8), rangeEnd: Self.rangeEnd(ofPrefix: prefix)), options: options)
        return (response.kvs.map(EtcdKeyValue.init), response.header?.revision ?? 0)
    }

    /// One key, or nil.
    public func get(_ key: String) async throws -> EtcdKeyValue? {
        let response = try await kv.range(Etcdserverpb_RangeRequest(key: Data(key.utf8)), options: options)
        return response.kvs.first.map(EtcdKeyValue.init)
    }

    /// Stores `value` under `key`, attached to `lease` (0 for none). Returns the new revision.
    @discardableResult
    public func put(_ key: String, _ value: String, lease: Int64 = 0) async throws -> Int64 {
        let response = try await kv.put(Etcdserverpb_PutRequest(key: Data(key.utf8), value: Data(value.utf8), lease: lease), options: options)
        return response.header?.revision ?? 0
    }

    /// Deletes `key`; returns how many keys went.
    @discardableResult
    public func delete(_ key: String) async throws -> Int64 {
        try await kv.deleteRange(Etcdserverpb_DeleteRangeRequest(key: Data(key.utf8)), options: options).deleted
    }

    /// Deletes every key under `prefix`.
    @discardableResult
    public func delete(prefix: String) async throws -> Int64 {
        try await kv.deleteRange(
            Etcdserverpb_DeleteRangeRequest(key: Data(prefix.utf8), rangeEnd: Self.rangeEnd(ofPrefix: prefix)), options: options
        ).deleted
    }

    /// A new lease of `ttl` seconds; returns its id and the TTL etcd granted.
    public func grantLease(ttl: Int64) async throws -> (id: Int64, ttl: Int64) {
        let response = try await leases.leaseGrant(Etcdserverpb_LeaseGrantRequest(ttl: ttl), options: options)
        guard response.error.isEmpty, response.id != 0 else { throw EtcdError("etcd granted no lease: \(response.error)") }
        return (response.id, response.ttl)
    }

    /// Ends a lease now, deleting its keys.
    public func revokeLease(_ id: Int64) async throws {
        _ = try await leases.leaseRevoke(Etcdserverpb_LeaseRevokeRequest(id: id), options: options)
    }

    /// Renews `lease` every `interval` on one LeaseKeepAlive stream until the task is
    /// cancelled. Throws when the lease is gone (etcd answers TTL 0) or the stream fails.
    public func keepAlive(lease: Int64, every interval: Duration) async throws {
        try await leases.leaseKeepAlive(
            options: CallOptions(),
            requests: { writer in
                while !Task.isCancelled {
                    try await writer.write(Etcdserverpb_LeaseKeepAliveRequest(id: lease))
                    try await Task.sleep(for: interval)
                }
            },
            responses: { responses in
                for try await response in responses where response.ttl <= 0 {
                    throw EtcdError("lease \(String(lease, radix: 16)) expired")
                }
                throw EtcdError("etcd ended the keep-alive stream")
            }
        )
    }

    /// The changes under `prefix` from `revision` on (0: from now), in batches as etcd sends
    /// them, each with the revision it brings the store to. The sequence ends with an error when
    /// the watch fails or etcd cancels it (for example because `revision` was compacted).
    public func watch(prefix: String, fromRevision revision: Int64 = 0) -> AsyncThrowingStream<(events: [EtcdEvent], revision: Int64), any Error> {
        let (stream, continuation) = AsyncThrowingStream<(events: [EtcdEvent], revision: Int64), any Error>.makeStream()
        let create = Etcdserverpb_WatchRequest(requestUnion: .createRequest(Etcdserverpb_WatchCreateRequest(
            key: Data(prefix.utf8), rangeEnd: Self.rangeEnd(ofPrefix: prefix), startRevision: revision)))
        let watches = self.watches
        // The watch is one bidirectional call, which lives inside a closure: a task runs it for
        // as long as someone iterates the sequence.
        let task = Task {
            do {
                try await watches.watch(
                    options: CallOptions(),
                    requests: { writer in
                        try await writer.write(create)
                        // Half-closing would end the watch; the request side stays open.
                        while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
                    },
                    responses: { responses in
                        for try await response in responses {
                            if response.canceled {
                                throw EtcdError("etcd cancelled the watch on \(prefix): \(response.cancelReason) (compacted at \(response.compactRevision))")
                            }
                            if response.created, response.events.isEmpty { continue }
                            let events = response.events.map { event -> EtcdEvent in
                                let kv = event.kv ?? Mvccpb_KeyValue()
                                switch event.type {
                                case .delete: return .delete(key: String(decoding: kv.key, as: UTF8.self), revision: kv.modRevision)
                                default: return .put(EtcdKeyValue(kv))
                                }
                            }
                            continuation.yield((events, response.header?.revision ?? 0))
                        }
                        throw EtcdError("etcd ended the watch on \(prefix)")
                    }
                )
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
