import GRPCRuntime

/// The service config `search-client` calls `Search` with: both methods only read, so a call that
/// fails with UNAVAILABLE (its replica died, or refused it) is tried again, on another replica
/// when there is one, up to 5 attempts 50 ms to 1 s apart, within the call's deadline.
public enum SearchServiceConfig {
    /// The config in gRPC's service config JSON, as a DNS TXT record or a file would give it.
    public static let json = """
        {
          "loadBalancingConfig": [{"round_robin": {}}],
          "methodConfig": [{
            "name": [{"service": "Search"}],
            "timeout": "5s",
            "retryPolicy": {
              "maxAttempts": 5,
              "initialBackoff": "0.05s",
              "maxBackoff": "1s",
              "backoffMultiplier": 2,
              "retryableStatusCodes": ["UNAVAILABLE"]
            }
          }],
          "retryThrottling": {"maxTokens": 100, "tokenRatio": 0.1}
        }
        """

    /// `json`, read.
    public static func make() throws -> ServiceConfig { try ServiceConfig(json: json) }
}
