import NIOConcurrencyHelpers

/// A target string taken apart, as gRPC's naming document describes: `scheme://authority/path`.
/// A target without a scheme (`host:port`) has a nil scheme and the whole text as its path.
public struct ResolverTarget: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String?
    /// For `dns` and `srv`, the DNS server to ask; for `etcd`, the etcd endpoint. Often empty.
    public var authority: String
    /// What to resolve: `name:port`, an SRV name, a key prefix.
    public var path: String
    public let text: String

    public init(parsing text: String) throws(TargetError) {
        self.text = text
        guard !text.isEmpty else { throw TargetError("the target is empty") }
        if let separator = Self.schemeSeparator(in: text) {
            let scheme = String(text[..<separator])
            let valid = !scheme.isEmpty && scheme.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) }
            guard valid else { throw TargetError("bad scheme in target \(text)") }
            self.scheme = scheme.lowercased()
            let rest = text[text.index(separator, offsetBy: 3)...]
            if let slash = rest.firstIndex(of: "/") {
                authority = String(rest[..<slash])
                path = String(rest[rest.index(after: slash)...])
            } else {
                authority = String(rest)
                path = ""
            }
        } else if text.hasPrefix("ipv4:") || text.hasPrefix("ipv6:") || text.hasPrefix("unix:") {
            // gRPC's address-list forms, which carry no slashes.
            scheme = String(text.prefix(4))
            authority = ""
            path = String(text.dropFirst(5))
        } else {
            scheme = nil
            authority = ""
            path = text
        }
    }

    public var description: String { text }

    /// Where `://` starts, if anywhere.
    private static func schemeSeparator(in text: String) -> String.Index? {
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix("://") { return index }
            index = text.index(after: index)
        }
        return nil
    }
}

/// Asks a resolver to resolve again before its period is up: the channel pulls it when a
/// connection fails, since the failure often means the set of endpoints changed.
public final class ResolutionTrigger: Sendable {
    private let flag = NIOLockedValueBox(false)

    public init() {}

    public func request() { flag.withLockedValue { $0 = true } }

    /// Whether a request came since the last call, clearing it.
    public func consume() -> Bool {
        flag.withLockedValue { requested in
            let was = requested
            requested = false
            return was
        }
    }
}

/// Turns a target into endpoint lists over time.
///
/// The channel iterates `updates` for its whole life: the first element as soon as something
/// is known, then one element per change. A failed resolution is a `.failure` element; the
/// channel keeps the last good list and reports the failure on calls only if it has none.
public protocol NameResolver: Sendable {
    func updates(trigger: ResolutionTrigger) -> AsyncStream<Result<[Endpoint], any Error>>
}

/// A resolver whose name also publishes a service config (DNS TXT records, a key in etcd).
///
/// The channel asks before it takes the first endpoint list, then every
/// `Configuration.resolutionPeriod`. A config found replaces the channel's own
/// (`Configuration.serviceConfig`) for calls started after it; nil (none published) goes back
/// to the channel's own; a failed lookup keeps what the channel has.
public protocol ServiceConfigResolver: NameResolver {
    func serviceConfig() async throws -> ServiceConfig?
}

/// A resolver that answers one question at a time (DNS): asked once at start, again each
/// `period`, and when the channel pulls the trigger (at most once a second).
public protocol PollingNameResolver: NameResolver {
    var period: Duration { get }
    func resolve() async throws -> [Endpoint]
}

extension PollingNameResolver {
    public func updates(trigger: ResolutionTrigger) -> AsyncStream<Result<[Endpoint], any Error>> {
        let (stream, continuation) = AsyncStream<Result<[Endpoint], any Error>>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let task = Task {
            var last: [Endpoint]?
            while !Task.isCancelled {
                do {
                    let endpoints = try await resolve()
                    if endpoints != last { continuation.yield(.success(endpoints)) }
                    last = endpoints
                } catch is CancellationError {
                    break
                } catch {
                    continuation.yield(.failure(error))
                    last = nil
                }
                // Sleeps in short steps so that a pulled trigger is answered within a second.
                let started = ContinuousClock.now
                try? await Task.sleep(for: .seconds(1))
                while !Task.isCancelled, ContinuousClock.now - started < period, !trigger.consume() {
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

/// A fixed list: `host:port`, `ipv4:a:p,b:q`, `ipv6:[a]:p`.
public struct StaticResolver: NameResolver {
    public let endpoints: [Endpoint]

    public init(endpoints: [Endpoint]) { self.endpoints = endpoints }

    public func updates(trigger: ResolutionTrigger) -> AsyncStream<Result<[Endpoint], any Error>> {
        let (stream, continuation) = AsyncStream<Result<[Endpoint], any Error>>.makeStream()
        continuation.yield(.success(endpoints))
        continuation.finish()
        return stream
    }
}

/// Makes resolvers for one target scheme.
public protocol NameResolverFactory: Sendable {
    var scheme: String { get }
    func makeResolver(for target: ResolverTarget, configuration: GRPCChannel.Configuration) throws -> any NameResolver
}

/// The schemes a channel understands. `standard` has `ipv4`, `ipv6`, `dns` and `srv`;
/// other modules add theirs (the search example's EtcdDiscovery adds `etcd`).
public struct ResolverRegistry: Sendable {
    private var factories: [String: any NameResolverFactory] = [:]

    public init(_ factories: [any NameResolverFactory] = []) {
        for factory in factories { register(factory) }
    }

    public static var standard: ResolverRegistry {
        ResolverRegistry([AddressListResolverFactory(scheme: "ipv4"), AddressListResolverFactory(scheme: "ipv6"), DNSResolverFactory(), SRVResolverFactory()])
    }

    public mutating func register(_ factory: any NameResolverFactory) {
        factories[factory.scheme.lowercased()] = factory
    }

    public func registering(_ factory: any NameResolverFactory) -> ResolverRegistry {
        var copy = self
        copy.register(factory)
        return copy
    }

    public var schemes: [String] { factories.keys.sorted() }

    func resolver(for target: ResolverTarget, configuration: GRPCChannel.Configuration) throws -> any NameResolver {
        guard let scheme = target.scheme else {
            return StaticResolver(endpoints: [try Endpoint(parsing: target.path)])
        }
        guard let factory = factories[scheme] else {
            throw TargetError("unknown scheme \(scheme) in target \(target) (known: \(schemes.joined(separator: ", ")))")
        }
        return try factory.makeResolver(for: target, configuration: configuration)
    }
}

struct AddressListResolverFactory: NameResolverFactory {
    let scheme: String

    func makeResolver(for target: ResolverTarget, configuration: GRPCChannel.Configuration) throws -> any NameResolver {
        let parts = target.path.split(separator: ",")
        guard !parts.isEmpty else { throw TargetError("\(target) lists no addresses") }
        return StaticResolver(endpoints: try parts.map { part throws(TargetError) in try Endpoint(parsing: part) })
    }
}
