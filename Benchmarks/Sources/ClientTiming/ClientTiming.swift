// What client-ours and client-peer share: their arguments, and the timed run of unary calls
// that prints the client process's CPU per call.
#if canImport(Glibc)
import Glibc
#endif

/// The integer after `name` on the command line, or `fallback`.
public func argument(_ name: String, _ fallback: Int) -> Int {
    guard let i = CommandLine.arguments.firstIndex(of: name), i + 1 < CommandLine.arguments.count else { return fallback }
    return Int(CommandLine.arguments[i + 1]) ?? fallback
}

/// CPU time of the whole process (all its threads), in seconds.
func cpuSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// Makes 200 warm-up calls, then `--calls` calls (20,000), `--concurrency` (1) at a time, and
/// prints `calls K concurrency C cpu_per_call_us X rps Y`.
public func timeCalls(_ call: @escaping @Sendable () async throws -> Void) async throws {
    let calls = argument("--calls", 20000)
    let concurrency = argument("--concurrency", 1)
    // Warm-up: the connection, and the first calls' allocations.
    for _ in 0..<200 { try await call() }
    let perTask = calls / concurrency
    let cpu0 = cpuSeconds()
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                for _ in 0..<perTask { try await call() }
            }
        }
        try await group.waitForAll()
    }
    let elapsed = ContinuousClock.now - start
    let cpu = cpuSeconds() - cpu0
    let done = perTask * concurrency
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print("calls \(done) concurrency \(concurrency) cpu_per_call_us \((cpu / Double(done) * 1e7).rounded() / 10) rps \(Int(Double(done) / seconds))")
}
