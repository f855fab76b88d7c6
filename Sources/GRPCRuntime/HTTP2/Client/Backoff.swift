/// Reconnection backoff as gRPC specifies it: exponential, capped, with jitter.
public struct Backoff: Sendable, Hashable {
    public var initial: Duration = .seconds(1)
    public var multiplier: Double = 1.6
    public var jitter: Double = 0.2
    public var maximum: Duration = .seconds(120)

    public init() {}

    public init(initial: Duration, multiplier: Double = 1.6, jitter: Double = 0.2, maximum: Duration) {
        self.initial = initial
        self.multiplier = multiplier
        self.jitter = jitter
        self.maximum = maximum
    }

    /// The wait before attempt `attempt` (1 for the first retry).
    func delay(attempt: Int) -> Duration {
        var seconds = Self.seconds(initial) * pow(multiplier, Double(max(attempt - 1, 0)))
        seconds = min(seconds, Self.seconds(maximum))
        seconds *= 1 + Double.random(in: -jitter...jitter)
        return .nanoseconds(Int64(max(seconds, 0) * 1e9))
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    private func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(exponent) { result *= base }
        return result
    }
}
