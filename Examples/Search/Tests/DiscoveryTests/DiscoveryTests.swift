import Foundation
import EtcdDiscovery
import GRPCRuntime
import NIOConcurrencyHelpers
import ProtoWire
import SearchService
import Testing
import SearchTestSupport

/// What a burst of calls did.
struct LoadReport: Sendable {
    struct Call: Sendable {
        var started: ContinuousClock.Instant
        var ended: ContinuousClock.Instant
        var error: RPCError?
    }

    var calls: [Call] = []
    var failures: [Call] { calls.filter { $0.error != nil } }
}

/// `workers` tasks calling `monitor` back to back until `stop` is set or each made `limit` calls.
func load(_ client: Search.Client, workers: Int, callsPerWorker limit: Int = .max, stop: NIOLockedValueBox<Bool>? = nil) async -> LoadReport {
    await withTaskGroup(of: [LoadReport.Call].self) { group in
        for _ in 0..<workers {
            group.addTask {
                var calls: [LoadReport.Call] = []
                while calls.count < limit, !(stop?.withLockedValue { $0 } ?? false) {
                    let started = ContinuousClock.now
                    do {
                        _ = try await client.monitor(Google_Protobuf_Empty(), options: CallOptions(timeout: .seconds(30)))
                        calls.append(.init(started: started, ended: .now, error: nil))
                    } catch let error as RPCError {
                        calls.append(.init(started: started, ended: .now, error: error))
                    } catch {
                        calls.append(.init(started: started, ended: .now, error: RPCError(.unknown, "\(error)")))
                    }
                }
                return calls
            }
        }
        var report = LoadReport()
        for await calls in group { report.calls += calls }
        return report
    }
}

@Suite(.serialized) struct DiscoveryTests {
    /// Three replicas register in etcd; an `etcd://` client spreads calls over all three; one is
    /// killed under load and only calls already on it may fail; its key goes with its lease; a
    /// fourth replica started later takes calls on the same channel.
    @Test func etcdRegistryBalancesSurvivesAKillAndScalesOut() async throws {
        let etcd = try await EtcdServer()
        defer { etcd.stop() }
        let prefix = "/services/search-\(UUID().uuidString.prefix(8))/"
        let ttl = 3
        var replicas: [Replica] = []
        defer { for replica in replicas { replica.daemon.killNow() } }
        for i in 1...3 {
            replicas.append(try await Replica("replica\(i)", etcd: etcd.endpoint, prefix: prefix, ttl: ttl, unblockSignals: i == 1))
        }

        let registry = try EtcdClient(endpoint: etcd.endpoint)
        let keys = try await registry.list(prefix: prefix).keys.filter { $0.key != prefix + EtcdResolver.serviceConfigKey }
        #expect(Set(keys.map(\.value)) == Set(replicas.map(\.endpoint.description)))
        #expect(keys.allSatisfy { $0.lease != 0 }, "registrations are leased")
        // Beside them, the service config the replicas publish for their clients.
        let published = try #require(try await registry.get(prefix + EtcdResolver.serviceConfigKey))
        #expect(try ServiceConfig(json: published.value) == SearchServiceConfig.make())

        let channel = try GRPCChannel(target: "etcd://\(etcd.endpoint)\(prefix)", configuration: testChannelConfiguration(), resolvers: .withEtcd)
        defer { channel.close() }
        let client = Search.Client(channel: channel)
        #expect(await eventually { Set(channel.endpoints) == Set(replicas.map(\.endpoint)) })

        // Spread: 300 calls from 6 workers.
        let before = replicas.map(\.monitorCalls)
        let spread = await load(client, workers: 6, callsPerWorker: 50)
        #expect(spread.failures.isEmpty, "\(spread.failures.map { "\($0.error!)" })")
        #expect(await eventually(.seconds(5)) { zip(replicas, before).map { $0.monitorCalls - $1 }.reduce(0, +) == 300 })
        let counts = zip(replicas, before).map { $0.monitorCalls - $1 }
        print("per-replica calls of 300 (round-robin): \(counts)")
        for count in counts { #expect(count >= 80 && count <= 120, "round-robin counts \(counts)") }

        // Kill replica 2 under load.
        let stop = NIOLockedValueBox(false)
        let victim = replicas[1]
        async let underLoad = load(client, workers: 8, stop: stop)
        try await Task.sleep(for: .seconds(1))
        let killStarted = ContinuousClock.now
        await victim.daemon.kill()
        let killed = ContinuousClock.now
        let keyGone = await eventually(.seconds(Int64(ttl) + 3)) {
            (try? await registry.get(prefix + victim.endpoint.description)) == nil
        }
        let keyGoneAfter = ContinuousClock.now - killed
        try await Task.sleep(for: .seconds(1))
        stop.withLockedValue { $0 = true }
        let report = await underLoad
        let failures = report.failures
        // Calls already running on the victim fail; so may a call sent on its connection in the
        // moment between the death and the client reading the connection's close (nothing tells
        // the client sooner). Every call started after the client saw the close must succeed.
        let noticed = failures.map(\.ended).min() ?? killed
        let afterKill = report.calls.filter { $0.started >= killed }
        print("kill under load: \(report.calls.count) calls, \(failures.count) failed (all started before the client saw the close: \(failures.allSatisfy { $0.started <= noticed })), client saw the close \(noticed - killed) after the reap, \(afterKill.count) calls after the kill, key gone after \(keyGoneAfter)")
        #expect(report.calls.count > 20)
        #expect(failures.allSatisfy { $0.started <= noticed && $0.ended >= killStarted },
                "a call that started after the client saw the replica go failed: \(failures.map { "\($0.error!) started \(killed - $0.started) before the kill" })")
        #expect(noticed - killed < .milliseconds(500), "the client took \(noticed - killed) to see the replica go")
        #expect(afterKill.count > 20 && afterKill.allSatisfy { $0.error == nil || $0.started <= noticed })
        // The channel took the retry policy the replicas publish in etcd: calls cut off by the
        // death are tried again on the others.
        #expect(failures.isEmpty, "calls failed despite the published retry policy: \(failures.prefix(3).map { "\($0.error!)" })")
        let retried = replicas.map { $0.daemon.output.count { $0.contains("rpc finished") && $0.contains("grpc.previous_attempts") } }.reduce(0, +)
        print("kill under load with the retry policy published in etcd: \(retried) attempts were retries")
        #expect(keyGone, "the killed replica's key outlived its lease")
        #expect(keyGoneAfter <= .seconds(Int64(ttl) + 1), "key gone after \(keyGoneAfter), TTL \(ttl)s")
        #expect(await eventually { !channel.endpoints.contains(victim.endpoint) })

        // Scale out: a fourth replica joins the same channel's rotation.
        let fourth = try await Replica("replica4", etcd: etcd.endpoint, prefix: prefix, ttl: ttl)
        replicas.append(fourth)
        #expect(await eventually { channel.endpoints.contains(fourth.endpoint) })
        let live = [replicas[0], replicas[2], fourth]
        // Its connection comes up in the background; wait until it has taken a call.
        let fourthBefore = fourth.monitorCalls
        _ = await eventually(.seconds(10)) {
            _ = try? await client.monitor(Google_Protobuf_Empty())
            return fourth.monitorCalls > fourthBefore
        }
        let liveBefore = live.map(\.monitorCalls)
        let after = await load(client, workers: 6, callsPerWorker: 50)
        #expect(after.failures.isEmpty)
        #expect(await eventually(.seconds(5)) { zip(live, liveBefore).map { $0.monitorCalls - $1 }.reduce(0, +) == 300 })
        let scaled = zip(live, liveBefore).map { $0.monitorCalls - $1 }
        print("per-replica calls of 300 after scale-out (replica1, replica3, replica4): \(scaled)")
        for count in scaled { #expect(count >= 80 && count <= 120, "counts after scale-out \(scaled)") }

        // Graceful stop under load: the replica deregisters, then drains; no call fails.
        let leaving = replicas[0]
        let gracefulStop = NIOLockedValueBox(false)
        async let duringStop = load(client, workers: 6, stop: gracefulStop)
        try await Task.sleep(for: .milliseconds(500))
        let signalled = ContinuousClock.now
        leaving.daemon.signal(SIGTERM)
        await leaving.daemon.waitForExit(timeout: .seconds(10))
        let exited = ContinuousClock.now
        #expect(!leaving.daemon.isRunning, "SIGTERM did not stop the replica: \(leaving.daemon.output.filter { !$0.contains("/Search/monitor") }.suffix(40).joined(separator: "\n"))")
        #expect(try await registry.get(prefix + leaving.endpoint.description) == nil, "still registered after a graceful stop")
        try await Task.sleep(for: .milliseconds(500))
        gracefulStop.withLockedValue { $0 = true }
        let stopReport = await duringStop
        // Under load: calls were running when the signal came, and went on after the exit (how
        // many is the machine's speed, not the server's).
        let inFlight = stopReport.calls.filter { $0.started <= signalled && $0.ended >= signalled }.count
        let afterExit = stopReport.calls.filter { $0.started >= exited }.count
        print("graceful stop under load: \(stopReport.calls.count) calls, \(inFlight) running at the signal, \(afterExit) after the exit, \(stopReport.failures.count) failed")
        #expect(inFlight > 0 && afterExit > 0)
        #expect(stopReport.failures.isEmpty, "calls failed during a graceful stop: \(stopReport.failures.prefix(3).map { "\($0.error!)" })")

        for replica in replicas { await replica.daemon.kill() }
        registry.channel.close()
    }

    /// Three replicas behind a fixed list; one after the other is SIGKILLed under load and
    /// started again on its port, 20 times. With `search-client`'s service config (retries of
    /// UNAVAILABLE), no call fails: a call cut off by a death is tried again on a live replica.
    @Test func withTheRetryPolicyNoCallIsLostOverTwentyKills() async throws {
        var replicas: [Replica] = []
        for i in 1...3 { replicas.append(try await Replica("replica\(i)")) }
        let ports = replicas.map(\.port)
        var all = replicas
        defer { for replica in all { replica.daemon.killNow() } }

        var configuration = testChannelConfiguration()
        configuration.serviceConfig = try SearchServiceConfig.make()
        let channel = try GRPCChannel(target: "ipv4:" + ports.map { "127.0.0.1:\($0)" }.joined(separator: ","), configuration: configuration)
        defer { channel.close() }
        let client = Search.Client(channel: channel)
        #expect(await eventually(.seconds(10)) {
            _ = try? await client.monitor(Google_Protobuf_Empty())
            return replicas.allSatisfy { $0.monitorCalls > 0 }
        })

        let kills = 20
        let stop = NIOLockedValueBox(false)
        async let underLoad = load(client, workers: 8, stop: stop)
        for kill in 0..<kills {
            try await Task.sleep(for: .milliseconds(300))
            let index = kill % replicas.count
            await replicas[index].daemon.kill()
            replicas[index] = try await Replica("replica\(index + 1)", port: ports[index])
            all.append(replicas[index])
        }
        try await Task.sleep(for: .milliseconds(500))
        stop.withLockedValue { $0 = true }
        let report = await underLoad
        // Attempts after the first carry grpc-previous-rpc-attempts, which the server logs.
        let retried = all.map { $0.daemon.output.count { $0.contains("rpc finished") && $0.contains("grpc.previous_attempts") } }.reduce(0, +)
        print("\(kills) kills under load with retries: \(report.calls.count) calls, \(report.failures.count) failed, \(retried) attempts were retries")
        #expect(report.calls.count > 500)
        #expect(report.failures.isEmpty, "\(report.failures.prefix(5).map { "\($0.error!)" })")
        #expect(retried > 0, "no call was cut off by 20 kills: the test did not test retries")
    }

    /// SRV records in dnsmasq name two of three replicas; the `srv://` channel reaches exactly
    /// those two, in turn. An A-record target through the same server reaches replicas on two
    /// loopback addresses sharing one port, the second once re-resolution finds its new record.
    @Test func srvAndARecordsThroughDnsmasq() async throws {
        let replicas = [try await Replica("srv1"), try await Replica("srv2"), try await Replica("unlisted")]
        defer { for replica in replicas { replica.daemon.killNow() } }
        let port = try freeLoopbackPort()
        let sameport = [
            try await Replica("a1", host: "127.0.0.11", port: port), try await Replica("a2", host: "127.0.0.12", port: port),
        ]
        defer { for replica in sameport { replica.daemon.killNow() } }
        // search.service's A records live in a hosts directory, which dnsmasq rereads when a
        // file in it changes: at first only a1 is listed.
        let hosts = FileManager.default.temporaryDirectory.appendingPathComponent("dnsmasq-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: hosts, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: hosts) }
        try "127.0.0.11 search.service\n".write(to: hosts.appendingPathComponent("a1"), atomically: true, encoding: .utf8)
        let dns = try await Dnsmasq(records: [
            "--host-record=srv1.search.service,127.0.0.1", "--host-record=srv2.search.service,127.0.0.1",
            "--srv-host=_grpc._tcp.search.service,srv1.search.service,\(replicas[0].port),0,1",
            "--srv-host=_grpc._tcp.search.service,srv2.search.service,\(replicas[1].port),0,1",
            "--hostsdir=\(hosts.path)",
        ])
        defer { dns.daemon.killNow() }

        let srv = try GRPCChannel(target: "srv://127.0.0.1:\(dns.port)/_grpc._tcp.search.service", configuration: testChannelConfiguration())
        defer { srv.close() }
        let before = replicas.map(\.monitorCalls)
        let report = await load(Search.Client(channel: srv), workers: 4, callsPerWorker: 25)
        #expect(report.failures.isEmpty, "\(report.failures.map { "\($0.error!)" })")
        #expect(Set(srv.endpoints) == Set([replicas[0].endpoint, replicas[1].endpoint]))
        #expect(await eventually(.seconds(5)) { zip(replicas, before).map { $0.monitorCalls - $1 }.reduce(0, +) == 100 })
        let counts = zip(replicas, before).map { $0.monitorCalls - $1 }
        print("SRV per-replica calls of 100 (srv1, srv2, unlisted): \(counts)")
        #expect(counts[0] >= 35 && counts[1] >= 35 && counts[2] == 0, "\(counts)")
        #expect(dns.daemon.count("query[SRV] _grpc._tcp.search.service") >= 1, "the answer came from dnsmasq")

        // The command-line client takes the same targets.
        // (Run as daemons and polled: Foundation's termination handler can lag behind here.)
        let cli = try Daemon("search-client", ChildProcess.builtProduct("search-client"), ["--monitor", "--repeat", "4", "--target", "srv://127.0.0.1:\(dns.port)/_grpc._tcp.search.service"])
        await cli.waitForExit(timeout: .seconds(20))
        #expect(await eventually(.seconds(5)) { cli.count("360 places") == 4 }, "\(cli.output)")
        let bad = try Daemon("search-client", ChildProcess.builtProduct("search-client"), ["--monitor", "--target", "consul://x/y"])
        await bad.waitForExit(timeout: .seconds(20))
        #expect(await eventually(.seconds(5)) { bad.count("unknown scheme consul") == 1 }, "\(bad.output)")

        let a = try GRPCChannel(target: "dns://127.0.0.1:\(dns.port)/search.service:\(port)", configuration: testChannelConfiguration())
        defer { a.close() }
        let firstBefore = sameport.map(\.monitorCalls)
        let first = await load(Search.Client(channel: a), workers: 2, callsPerWorker: 10)
        #expect(first.failures.isEmpty)
        #expect(await eventually(.seconds(5)) { sameport[0].monitorCalls - firstBefore[0] == 20 })
        #expect(sameport[1].monitorCalls == firstBefore[1], "a2 took calls before it was listed")

        // a2 joins the records; the channel's periodic re-resolution (2 s here) picks it up.
        try "127.0.0.12 search.service\n".write(to: hosts.appendingPathComponent("a2"), atomically: true, encoding: .utf8)
        #expect(await eventually(.seconds(15)) { a.endpoints.count == 2 }, "re-resolution did not find a2: \(a.endpoints)")
        _ = await eventually(.seconds(5)) {
            _ = try? await Search.Client(channel: a).monitor(Google_Protobuf_Empty())
            return sameport[1].monitorCalls > firstBefore[1]
        }
        let aBefore = sameport.map(\.monitorCalls)
        let aReport = await load(Search.Client(channel: a), workers: 2, callsPerWorker: 20)
        #expect(aReport.failures.isEmpty)
        #expect(await eventually(.seconds(5)) { zip(sameport, aBefore).map { $0.monitorCalls - $1 }.reduce(0, +) == 40 })
        let aCounts = zip(sameport, aBefore).map { $0.monitorCalls - $1 }
        print("A-record per-replica calls of 40: \(aCounts)")
        #expect(aCounts.allSatisfy { $0 >= 14 }, "\(aCounts)")

        for replica in replicas + sameport { await replica.daemon.kill() }
    }

    /// The service config published in the TXT record of `_grpc_config.search.service` (as
    /// grpc-go and grpcio read it) applies to a `dns://` channel's calls: here a request limit
    /// for `Search/search` that a long query exceeds. A channel told not to use published
    /// configs sends the same call.
    @Test func aServiceConfigFromDNSTXTRecordsApplies() async throws {
        let replica = try await Replica("txt")
        defer { replica.daemon.killNow() }
        let record = #"grpc_config=[{"clientLanguage": ["go"], "serviceConfig": {}}, "#
            + #"{"clientLanguage": ["swift"], "serviceConfig": {"methodConfig": [{"name": [{"service": "Search", "method": "search"}], "maxRequestMessageBytes": 40}]}}]"#
        // The record's bytes as character-strings of at most 255 bytes, in dnsmasq's hex form
        // (no quoting of the JSON needed).
        let bytes = Array(record.utf8)
        let rdata = stride(from: 0, to: bytes.count, by: 255).flatMap { start in
            let chunk = bytes[start..<min(start + 255, bytes.count)]
            return [UInt8(chunk.count)] + chunk
        }
        let dns = try await Dnsmasq(records: [
            "--host-record=search.service,127.0.0.1",
            "--dns-rr=_grpc_config.search.service,16," + rdata.map { String(format: "%02x", $0) }.joined(separator: ":"),
        ])
        defer { dns.daemon.killNow() }

        let short = SearchRequest(query: "", lat: 52.52, lng: 13.4)
        let long = SearchRequest(query: String(repeating: "x", count: 60), lat: 52.52, lng: 13.4)
        let target = "dns://127.0.0.1:\(dns.port)/search.service:\(replica.port)"
        let channel = try GRPCChannel(target: target, configuration: testChannelConfiguration())
        defer { channel.close() }
        let client = Search.Client(channel: channel)
        _ = try await client.search(short)
        await #expect { try await client.search(long) } throws: { ($0 as? RPCError)?.code == .resourceExhausted }
        #expect(dns.daemon.count("query[TXT] _grpc_config.search.service") >= 1, "the config came from dnsmasq")

        var configuration = testChannelConfiguration()
        configuration.usesPublishedServiceConfig = false
        let unconfigured = try GRPCChannel(target: target, configuration: configuration)
        defer { unconfigured.close() }
        _ = try await Search.Client(channel: unconfigured).search(long)
        await replica.daemon.kill()
    }

    /// Graceful shutdown deregisters at once; a log level set in etcd reaches the server live.
    @Test func gracefulShutdownDeregistersAndLogLevelReloads() async throws {
        let etcd = try await EtcdServer()
        defer { etcd.stop() }
        let prefix = "/services/search-\(UUID().uuidString.prefix(8))/"
        let configPrefix = "/config/search-\(UUID().uuidString.prefix(8))/"
        let replica = try await Replica("graceful", etcd: etcd.endpoint, prefix: prefix, ttl: 30, configPrefix: configPrefix, unblockSignals: true)
        defer { replica.daemon.killNow() }
        let registry = try EtcdClient(endpoint: etcd.endpoint)
        defer { registry.channel.close() }
        let channel = GRPCChannel(host: "127.0.0.1", port: replica.port)
        defer { channel.close() }
        let client = Search.Client(channel: channel)

        _ = try await client.monitor(Google_Protobuf_Empty())
        #expect(await eventually(.seconds(5)) { replica.monitorCalls == 1 })
        try await registry.put(configPrefix + "log-level", "warning")
        #expect(await eventually { replica.daemon.count("log level set from etcd") == 1 })
        for _ in 0..<5 { _ = try await client.monitor(Google_Protobuf_Empty()) }
        // The calls made at level warning left no lines.
        try await Task.sleep(for: .milliseconds(300))
        #expect(replica.monitorCalls == 1, "calls were logged at level warning")
        try await registry.put(configPrefix + "log-level", "info")
        #expect(await eventually(.seconds(10)) {
            _ = try? await client.monitor(Google_Protobuf_Empty())
            return replica.monitorCalls > 1
        }, "the level did not come back to info")

        #expect(try await registry.get(prefix + replica.endpoint.description) != nil)
        let sent = ContinuousClock.now
        replica.daemon.signal(SIGTERM)
        await replica.daemon.waitForExit()
        #expect(!replica.daemon.isRunning)
        #expect(try await registry.get(prefix + replica.endpoint.description) == nil, "still registered after a graceful shutdown")
        print("graceful shutdown and deregistration took \(ContinuousClock.now - sent)")
        #expect(replica.daemon.count("deregistered from etcd") == 1)
    }
}
