import NIOConcurrencyHelpers

/// A channel's retry throttle (`RetryThrottling`): a token bucket, counted in thousandths so that
/// the ratio's three decimals add up exactly.
final class RetryThrottle: Sendable {
    private let maximum: Int
    private let ratio: Int
    private let tokens: NIOLockedValueBox<Int>

    init(_ throttling: RetryThrottling) {
        maximum = throttling.maxTokens * 1000
        ratio = Int((throttling.tokenRatio * 1000).rounded(.down))
        tokens = NIOLockedValueBox(maximum)
    }

    /// An attempt failed with a retryable code: takes a token, and says whether calls may still
    /// be tried again (more than half the bucket left).
    func recordFailure() -> Bool {
        tokens.withLockedValue { tokens in
            tokens = max(0, tokens - 1000)
            return tokens > maximum / 2
        }
    }

    /// Whether calls may be tried again, or hedged, now (more than half the bucket left).
    var allowsRetries: Bool {
        tokens.withLockedValue { $0 > maximum / 2 }
    }

    /// A call succeeded: gives back `tokenRatio` of a token.
    func recordSuccess() {
        tokens.withLockedValue { $0 = min(maximum, $0 + ratio) }
    }
}
