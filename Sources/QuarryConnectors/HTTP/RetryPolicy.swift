/// How often and how patiently to retry a request that failed for a passing reason.
///
/// Delays grow exponentially from ``baseDelay`` up to ``maximumDelay``, with "full jitter": each
/// wait is a random duration between zero and the exponential bound, so clients that failed
/// together do not retry together.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included; 1 means no retry.
    public var maximumAttempts: Int
    /// The bound of the first wait.
    public var baseDelay: Duration
    /// The largest bound of any wait.
    public var maximumDelay: Duration

    /// Creates a policy; the default makes 4 attempts with waits bounded by 0.2, 0.4 and 0.8 s.
    public init(
        maximumAttempts: Int = 4,
        baseDelay: Duration = .milliseconds(200),
        maximumDelay: Duration = .seconds(5)
    ) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// No retries.
    public static let none = RetryPolicy(maximumAttempts: 1)

    /// The upper bound of the wait after failed attempt `attempt` (1-based): `base × 2^(attempt-1)`, capped.
    public func delayBound(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let bound = baseDelay * (1 << exponent)
        return min(bound, maximumDelay)
    }

    /// The wait after failed attempt `attempt`: uniform in `0...bound`, drawn from `generator`.
    public func delay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let bound = delayBound(afterAttempt: attempt)
        let (seconds, attoseconds) = bound.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...nanoseconds, using: &generator))
    }

    /// Whether another attempt may follow failed attempt `attempt`.
    public func allowsRetry(afterAttempt attempt: Int) -> Bool {
        attempt < maximumAttempts
    }
}
