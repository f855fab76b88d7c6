// search-client: asks a search-server for the places containing a point, or for its count.
//
//   search-client LAT LNG [--query Q] [--page N] [--per-page M] [--target TARGET] [--timeout SECONDS] [--repeat N] [--json]
//   search-client --monitor [--target TARGET] [--timeout SECONDS] [--repeat N] [--json]
//
// TARGET is HOST:PORT (default 127.0.0.1:50051) or a target the channel resolves and balances
// over: dns:///NAME:PORT, dns://DNS-SERVER:PORT/NAME:PORT, srv://DNS-SERVER:PORT/_grpc._tcp.NAME,
// ipv4:A:P,B:Q, etcd://ETCD-HOST:PORT/PREFIX (as registered by search-server --etcd).
// --repeat makes the call N times on one channel (round-robin spreads them over the replicas).
// Calls that fail with UNAVAILABLE are tried again as SearchServiceConfig says.
//
// Prints one place per line (with --json, each response in the protobuf JSON mapping on one
// line); exits with the call's gRPC status code (0 for OK, 64 for bad usage).

import EtcdDiscovery
import GRPCRuntime
import ProtoWire
import SearchService

#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String, code: Int32) -> Never {
    var text = "search-client: \(message)\n"
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    exit(code)
}

let usage = "usage: search-client LAT LNG [--query Q] [--page N] [--per-page M] [--target TARGET] [--timeout SECONDS] [--repeat N] [--json] | --monitor [--json]"
var positional: [String] = []
var options: [String: String] = [:]
var monitor = false
var json = false
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--monitor": monitor = true
    case "--json": json = true
    case "--query", "--page", "--per-page", "--target", "--timeout", "--repeat":
        guard let value = arguments.popFirst() else { fail("\(argument) needs a value\n\(usage)", code: 64) }
        options[argument] = value
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        if argument.hasPrefix("--") { fail("unknown option \(argument)\n\(usage)", code: 64) }
        positional.append(argument)
    }
}

let target = options["--target"] ?? "127.0.0.1:50051"
guard let repetitions = Int(options["--repeat"] ?? "1"), repetitions > 0 else { fail("--repeat must be a positive number", code: 64) }
guard let timeout = Double(options["--timeout"] ?? "5"), timeout > 0 else { fail("--timeout must be a positive number of seconds", code: 64) }
let callOptions = CallOptions(timeout: .milliseconds(Int64(timeout * 1000)))

// The question, checked before any connection is made: bad usage exits 64 at once.
var request: SearchRequest?
if !monitor {
    guard positional.count == 2, let lat = Float(positional[0]), let lng = Float(positional[1]) else {
        fail("give a latitude and a longitude\n\(usage)", code: 64)
    }
    guard let page = Int32(options["--page"] ?? "0"), let perPage = Int32(options["--per-page"] ?? "0") else {
        fail("--page and --per-page take whole numbers", code: 64)
    }
    request = SearchRequest(query: options["--query"] ?? "", lat: lat, lng: lng, pageNumber: page, resultPerPage: perPage)
}

let channel: GRPCChannel
do {
    // Retries of UNAVAILABLE calls, on another replica when there is one (SearchServiceConfig).
    var configuration = GRPCChannel.Configuration()
    configuration.serviceConfig = try SearchServiceConfig.make()
    // A plain HOST:PORT keeps the single-connection channel; other forms resolve and balance.
    if (try? ResolverTarget(parsing: target))?.scheme == nil, let endpoint = try? Endpoint(parsing: target) {
        channel = GRPCChannel(host: endpoint.host, port: endpoint.port, configuration: configuration)
    } else {
        channel = try GRPCChannel(target: target, configuration: configuration, resolvers: .withEtcd)
    }
} catch {
    fail("--target: \(error)", code: 64)
}
let client = Search.Client(channel: channel)
do {
    for _ in 0..<repetitions {
        if let request {
            let response = try await client.search(request, options: callOptions)
            if json {
                print(try response.jsonString())
                continue
            }
            if response.responses.isEmpty { print("(no places)") }
            for place in response.responses { print(place.response) }
        } else {
            let response = try await client.monitor(Google_Protobuf_Empty(), options: callOptions)
            print(json ? try response.jsonString() : "\(response.nThings) places")
        }
    }
    channel.close()
} catch let error as RPCError {
    channel.close()
    fail("\(error)", code: Int32(error.code.rawValue))
} catch {
    channel.close()
    fail("\(error)", code: 2)
}
