import NIOCore

extension Duration {
    /// The duration in whole nanoseconds, saturating at the ends of `Int64`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }

    /// Milliseconds, with a fraction: for logs.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        self = .nanoseconds(duration.nanoseconds)
    }
}

extension NIODeadline {
    /// The NIO deadline at the same moment as a continuous-clock instant.
    init(_ instant: ContinuousClock.Instant) {
        self = .now() + TimeAmount(ContinuousClock.now.duration(to: instant))
    }
}
