import GRPCRuntime

/// A channel configuration for tests that kill, restart and move servers: reconnects within
/// 200 ms to 2 s, and resolvers that poll ask again every 2 s.
public func testChannelConfiguration() -> GRPCChannel.Configuration {
    var configuration = GRPCChannel.Configuration()
    configuration.backoff = Backoff(initial: .milliseconds(200), maximum: .seconds(2))
    configuration.resolutionPeriod = .seconds(2)
    return configuration
}
