import NIOConcurrencyHelpers
import NIOCore

/// Keeps one connection per resolved endpoint and picks one for each call.
///
/// Each endpoint has a task that keeps its connection up and, with health checking on, holds a
/// `grpc.health.v1.Health/Watch` stream on it: endpoints whose connection is failing or that
/// report NOT_SERVING get no calls, and neither does a connected endpoint before the first
/// answer of its Watch (calls wait for an endpoint whose health is known, as long as a
/// connection attempt may take). The resolver's task feeds in endpoint lists; endpoints that
/// leave the list take no new calls and are closed once their last call ends.
final class LoadBalancer: ClientTransport {
    private final class Subchannel: Sendable {
        let endpoint: Endpoint
        let connection: HTTP2Connection
        /// Last health status: nil while unknown (health checking off, or no answer yet on this
        /// connection), true also for a server without the health service.
        let serving = NIOLockedValueBox<Bool?>(nil)
        let monitor = NIOLockedValueBox<Task<Void, Never>?>(nil)
        /// Health checking is on: an unknown status keeps calls away.
        let checksHealth: Bool

        init(endpoint: Endpoint, connection: HTTP2Connection, checksHealth: Bool) {
            self.endpoint = endpoint
            self.connection = connection
            self.checksHealth = checksHealth
        }
    }

    private struct State {
        var order: [Endpoint] = []
        var subchannels: [Endpoint: Subchannel] = [:]
        /// Calls in flight per subchannel, so that removed ones close only when idle.
        var active: [ObjectIdentifier: Int] = [:]
        var retired: [ObjectIdentifier: Subchannel] = [:]
        var resolved = false
        var resolutionError: (any Error)?
        var next = 0
        var closed = false
        /// The service config the resolver found, if any, and the balancing policy in force:
        /// kept with the rest so that a pick takes no second lock.
        var published: ServiceConfigInUse?
        var roundRobin = false
    }

    let target: ResolverTarget
    let configuration: GRPCChannel.Configuration
    let scheme: String
    let authority: String
    let group: any EventLoopGroup
    let trigger = ResolutionTrigger()
    private let state = NIOLockedValueBox(State())
    private let resolverTask = NIOLockedValueBox<Task<Void, Never>?>(nil)

    init(target: ResolverTarget, resolver: any NameResolver, configuration: GRPCChannel.Configuration, group: any EventLoopGroup) {
        self.target = target
        self.configuration = configuration
        self.scheme = configuration.transportSecurity == nil ? "http" : "https"
        self.authority = configuration.authority ?? (target.path.isEmpty ? target.text : target.path)
        self.group = group
        let roundRobin = Self.isRoundRobin(nil, configuration)
        state.withLockedValue { $0.roundRobin = roundRobin }
        let updates = resolver.updates(trigger: trigger)
        let configs = configuration.usesPublishedServiceConfig ? resolver as? any ServiceConfigResolver : nil
        let period = configuration.resolutionPeriod
        // The channel's lifetime is not a scope, so its resolver runs in a task it owns and
        // cancels on close. A published service config is looked up before the first endpoints
        // are taken (calls wait for those), then again each period.
        let task = Task { [weak self] in
            if let configs { await self?.lookUpServiceConfig(configs) }
            await withTaskGroup(of: Void.self) { group in
                if let configs {
                    group.addTask { [weak self] in
                        while !Task.isCancelled {
                            try? await Task.sleep(for: period)
                            guard let self else { return }
                            await self.lookUpServiceConfig(configs)
                        }
                    }
                }
                for await update in updates {
                    guard let self else { break }
                    self.apply(update)
                }
                group.cancelAll()
            }
        }
        resolverTask.withLockedValue { $0 = task }
    }

    /// The service config the resolver found; nil when it publishes none.
    var publishedServiceConfig: ServiceConfigInUse? { state.withLockedValue { $0.published } }

    /// Whether calls go round the endpoints: the published config's policy, else the channel's
    /// service config's, else the configuration's.
    private static func isRoundRobin(_ published: ServiceConfig?, _ configuration: GRPCChannel.Configuration) -> Bool {
        (published?.loadBalancingPolicy ?? configuration.serviceConfig.loadBalancingPolicy ?? configuration.loadBalancingPolicy) == .roundRobin
    }

    /// Asks the resolver for its service config: a config found is used, none published goes
    /// back to the channel's own, a failed lookup keeps the last one.
    private func lookUpServiceConfig(_ resolver: any ServiceConfigResolver) async {
        let found: ServiceConfig?
        do {
            found = try await resolver.serviceConfig()
        } catch {
            return
        }
        let configuration = self.configuration
        state.withLockedValue { state in
            guard state.published?.config != found else { return }
            state.published = found.map(ServiceConfigInUse.init)
            state.roundRobin = Self.isRoundRobin(found, configuration)
        }
    }

    /// The endpoints in use, in resolver order.
    var endpoints: [Endpoint] { state.withLockedValue { $0.order } }

    private func apply(_ update: Result<[Endpoint], any Error>) {
        switch update {
        case .failure(let error):
            state.withLockedValue { state in
                state.resolutionError = error
                if state.order.isEmpty { state.resolved = true }
            }
        case .success(let endpoints):
            var unique: [Endpoint] = []
            for endpoint in endpoints where !unique.contains(endpoint) { unique.append(endpoint) }
            var started: [Subchannel] = []
            var stopped: [(Subchannel, close: Bool)] = []
            let closed = state.withLockedValue { state -> Bool in
                guard !state.closed else { return true }
                state.resolved = true
                state.resolutionError = nil
                for endpoint in unique where state.subchannels[endpoint] == nil {
                    let connection = HTTP2Connection(host: endpoint.host, port: endpoint.port, configuration: configuration.connection, group: group)
                    let subchannel = Subchannel(endpoint: endpoint, connection: connection, checksHealth: configuration.healthCheckService != nil)
                    state.subchannels[endpoint] = subchannel
                    started.append(subchannel)
                }
                for (endpoint, subchannel) in state.subchannels where !unique.contains(endpoint) {
                    state.subchannels[endpoint] = nil
                    let idle = (state.active[ObjectIdentifier(subchannel)] ?? 0) == 0
                    if !idle { state.retired[ObjectIdentifier(subchannel)] = subchannel }
                    stopped.append((subchannel, idle))
                }
                state.order = unique
                return false
            }
            if closed { return }
            for (subchannel, close) in stopped {
                subchannel.monitor.withLockedValue { $0?.cancel() }
                if close { subchannel.connection.close() }
            }
            for subchannel in started { startMonitor(subchannel) }
        }
    }

    /// Keeps the subchannel connected and watches its health until it is removed.
    private func startMonitor(_ subchannel: Subchannel) {
        let healthService = configuration.healthCheckService
        let trigger = self.trigger
        let configuration = self.configuration
        let task = Task {
            let channel = GRPCChannel(
                transport: HTTP2ClientTransport(connection: subchannel.connection, authority: "\(subchannel.endpoint)"),
                configuration: configuration
            )
            let health = Grpc_Health_V1_Health.Client(channel: channel)
            while !Task.isCancelled {
                await subchannel.connection.warmUp()
                guard let current = subchannel.connection.readyChannel else {
                    try? await Task.sleep(for: .milliseconds(100))
                    continue
                }
                await withTaskGroup(of: Void.self) { group in
                    if let healthService {
                        group.addTask {
                            do {
                                try await health.watch(.init(service: healthService), options: CallOptions()) { responses in
                                    for try await response in responses {
                                        subchannel.serving.withLockedValue { $0 = response.status != .notServing }
                                    }
                                }
                            } catch let error as RPCError where error.code == .unimplemented {
                                // No health service there: the connection alone decides.
                                subchannel.serving.withLockedValue { $0 = true }
                                try? await Task.sleep(for: .seconds(3600))
                            } catch {}
                        }
                    }
                    group.addTask {
                        while !Task.isCancelled, subchannel.connection.readyChannel === current {
                            try? await Task.sleep(for: .milliseconds(50))
                        }
                    }
                    await group.next()
                    group.cancelAll()
                }
                let live = !Task.isCancelled && subchannel.connection.readyChannel === current
                // A new connection starts unknown. On a live one whose Watch failed (a health
                // service that rejects it, say), the connection alone decides until a retried
                // Watch answers: a broken health service must not take the endpoint out.
                subchannel.serving.withLockedValue { $0 = live ? true : nil }
                if live {
                    // Ask again later, not in a loop.
                    try? await Task.sleep(for: .seconds(1))
                } else {
                    // The connection went away: the endpoint set may have changed.
                    trigger.request()
                }
            }
        }
        subchannel.monitor.withLockedValue { $0 = task }
    }

    private enum Pick {
        case subchannel(Subchannel)
        /// Nothing to call yet: before the first resolution, or (with health checking) until a
        /// connection is up and its health known.
        case wait(resolved: Bool)
        case fail(RPCError)
    }

    private func pick(excluding tried: Set<Endpoint>) -> Pick {
        state.withLockedValue { state in
            if state.closed { return .fail(RPCError(.unavailable, "the channel is closed")) }
            guard state.resolved else { return .wait(resolved: false) }
            // One pass from the round-robin position: the first ready endpoint whose health is
            // known wins. Failing that: with health checking, wait while some endpoint is
            // connecting or awaiting its first health answer; without, the first endpoint not
            // known to be failing (nothing connected yet) takes the call.
            let count = state.order.count
            let start = state.roundRobin && count > 0 ? state.next % count : 0
            var chosen: Subchannel?
            var fallback: Subchannel?
            var anyCandidate = false
            for offset in 0..<count {
                let position = (start &+ offset) % count
                guard let subchannel = state.subchannels[state.order[position]],
                      !tried.contains(subchannel.endpoint) else { continue }
                let serving = subchannel.serving.withLockedValue { $0 }
                guard serving != false else { continue }
                anyCandidate = true
                let status = subchannel.connection.status
                if status == .ready, serving == true || !subchannel.checksHealth {
                    chosen = subchannel
                    state.next = position &+ 1
                    break
                }
                if status == .ready, !state.roundRobin {
                    // Pick-first keeps to the first connected endpoint while its answer comes.
                    return .wait(resolved: true)
                }
                if fallback == nil, status != .transientFailure { fallback = subchannel }
            }
            if chosen == nil, let fallback {
                guard !fallback.checksHealth else { return .wait(resolved: true) }
                chosen = fallback
            }
            guard let chosen else {
                if state.order.isEmpty {
                    let reason = state.resolutionError.map { "name resolution failed: \($0)" } ?? "it resolved to no endpoints"
                    return .fail(RPCError(.unavailable, "no endpoint for \(target): \(reason)"))
                }
                if !anyCandidate, tried.isEmpty {
                    return .fail(RPCError(.unavailable, "no endpoint of \(target) is serving"))
                }
                return .fail(RPCError(.unavailable, "no endpoint of \(target) could take the call"))
            }
            state.active[ObjectIdentifier(chosen), default: 0] += 1
            return .subchannel(chosen)
        }
    }

    private func release(_ subchannel: Subchannel) {
        let close = state.withLockedValue { state -> Bool in
            let id = ObjectIdentifier(subchannel)
            let remaining = (state.active[id] ?? 1) - 1
            state.active[id] = remaining == 0 ? nil : remaining
            guard remaining == 0, state.retired[id] != nil else { return false }
            state.retired[id] = nil
            return true
        }
        if close { subchannel.connection.close() }
    }

    /// A stream on some endpoint not in `options.avoiding`. Endpoints that cannot open one are
    /// skipped (the call never left the client); without any, the call fails with UNAVAILABLE,
    /// or with `waitForReady` waits for one to come up.
    func openStream(_ head: RequestHead, options: StreamOptions) async throws -> any ClientTransportStream {
        let started = ContinuousClock.now
        var tried = options.avoiding
        var lastError: (any Error)?
        while true {
            try Task.checkCancellation()
            switch pick(excluding: tried) {
            case .subchannel(let subchannel):
                do {
                    let (stream, goAway) = try await subchannel.connection.openStream(waitForReady: false)
                    return HTTP2ClientStream(
                        stream: stream, head: head, scheme: scheme, authority: authority, goAway: goAway, endpoint: subchannel.endpoint,
                        maximumMessageSize: options.maximumMessageSize, onClose: { [self] in release(subchannel) }
                    )
                } catch {
                    release(subchannel)
                    if error is CancellationError { throw error }
                    tried.insert(subchannel.endpoint)
                    lastError = error
                    trigger.request()
                }
            case .wait(let resolved):
                // As long as a connection attempt may take, and the call's deadline allows.
                let reason = { resolved ? "no endpoint of \(self.target) was connected and known to be serving" : "\(self.target) was not resolved" }
                if !options.waitForReady, ContinuousClock.now - started > configuration.connectTimeout {
                    throw RPCError(.unavailable, "\(reason()) within \(configuration.connectTimeout)")
                }
                try Self.checkDeadline(options, waiting: reason())
                try await Task.sleep(for: .milliseconds(10))
            case .fail(let error):
                guard options.waitForReady else {
                    if let lastError { throw RPCError(.unavailable, "\(error.message); last: \(lastError)") }
                    throw error
                }
                try Self.checkDeadline(options, waiting: error.message)
                tried.removeAll()
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    private static func checkDeadline(_ options: StreamOptions, waiting reason: @autoclosure () -> String) throws {
        if let deadline = options.deadline, deadline <= .now {
            throw RPCError(.deadlineExceeded, "deadline exceeded waiting for an endpoint (\(reason()))")
        }
    }

    func close() {
        let subchannels = state.withLockedValue { state -> [Subchannel] in
            state.closed = true
            defer {
                state.subchannels = [:]
                state.retired = [:]
                state.order = []
            }
            return Array(state.subchannels.values) + Array(state.retired.values)
        }
        resolverTask.withLockedValue { $0?.cancel() }
        for subchannel in subchannels {
            subchannel.monitor.withLockedValue { $0?.cancel() }
            subchannel.connection.close()
        }
    }
}
