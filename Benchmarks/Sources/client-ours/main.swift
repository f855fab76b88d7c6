// Unary calls from this project's GRPCChannel to a server (server-ours), for the client's own
// cost: CPU per call of this process (all its threads), and calls per second.
//   client-ours --port N [--calls K] [--concurrency C] [--retry-policy | --hedging-policy]
// --retry-policy gives the channel a service config with a retry policy for Search/search, so
// that calls run through the retry machinery (the server never fails them: no retry happens);
// --hedging-policy one with a hedging policy whose delay (1 s) no call waits for: no hedge is sent.
// Prints one line: `calls K concurrency C cpu_per_call_us X rps Y`.
#if canImport(Glibc)
import Glibc
#endif
import GRPCRuntime
import OursRPC

func argument(_ name: String, _ fallback: Int) -> Int {
    guard let i = CommandLine.arguments.firstIndex(of: name), i + 1 < CommandLine.arguments.count else { return fallback }
    return Int(CommandLine.arguments[i + 1]) ?? fallback
}

func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

let port = argument("--port", 50061)
let calls = argument("--calls", 20000)
let concurrency = argument("--concurrency", 1)

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

// Warm-up: the connection, and the first calls' allocations.
for _ in 0..<200 { _ = try await client.search(request) }

let perTask = calls / concurrency
let cpu0 = cpuSeconds()
let start = ContinuousClock.now
try await withThrowingTaskGroup(of: Void.self) { group in
    for _ in 0..<concurrency {
        group.addTask {
            for _ in 0..<perTask { _ = try await client.search(request) }
        }
    }
    try await group.waitForAll()
}
let elapsed = ContinuousClock.now - start
let cpu = cpuSeconds() - cpu0
let done = perTask * concurrency
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print("calls \(done) concurrency \(concurrency) cpu_per_call_us \((cpu / Double(done) * 1e7).rounded() / 10) rps \(Int(Double(done) / seconds))")
channel.close()
