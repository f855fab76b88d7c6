// Unary calls from this project's GRPCChannel to a server (server-ours), for the client's own
// cost: CPU per call of this process (all its threads), and calls per second.
//   client-ours --port N [--calls K] [--concurrency C] [--retry-policy | --hedging-policy]
// --retry-policy gives the channel a service config with a retry policy for Search/search, so
// that calls run through the retry machinery (the server never fails them: no retry happens);
// --hedging-policy one with a hedging policy whose delay (1 s) no call waits for: no hedge is sent.
// Prints one line: `calls K concurrency C cpu_per_call_us X rps Y`.
import ClientTiming
import GRPCRuntime
import OursRPC

let port = argument("--port", 50061)

var configuration = GRPCChannel.Configuration()
// (Remove this block to build the client against a runtime without service configs.)
if CommandLine.arguments.contains("--retry-policy") {
    configuration.serviceConfig = try ServiceConfig(json: """
        {"methodConfig": [{"name": [{"service": "Search", "method": "search"}],
          "retryPolicy": {"maxAttempts": 3, "initialBackoff": "0.1s", "maxBackoff": "1s", "backoffMultiplier": 2,
                          "retryableStatusCodes": ["UNAVAILABLE"]}}]}
        """)
} else if CommandLine.arguments.contains("--hedging-policy") {
    configuration.serviceConfig = try ServiceConfig(json: """
        {"methodConfig": [{"name": [{"service": "Search", "method": "search"}],
          "hedgingPolicy": {"maxAttempts": 2, "hedgingDelay": "1s", "nonFatalStatusCodes": ["UNAVAILABLE"]}}]}
        """)
}
let channel = GRPCChannel(host: "127.0.0.1", port: port, configuration: configuration)
let client = Search.Client(channel: channel)
let request = SearchRequest(query: "berlin", lat: 52.52, lng: 13.40, resultPerPage: 10)

try await timeCalls { _ = try await client.search(request) }
channel.close()
