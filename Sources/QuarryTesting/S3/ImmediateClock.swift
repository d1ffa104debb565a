import Foundation

/// A clock whose `sleep` returns at once and records how long it was asked to wait, so retry
/// tests neither sleep nor guess.
// @unchecked Sendable: `current` and `recorded` are guarded by `lock`.
public final class ImmediateClock: Clock, @unchecked Sendable {
    /// A point on this clock.
    public struct Instant: InstantProtocol {
        /// Time since the clock's start.
        public var offset: Duration

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (left: Instant, right: Instant) -> Bool { left.offset < right.offset }
    }

    private let lock = NSLock()
    private var current = Instant(offset: .zero)
    private var recorded: [Duration] = []

    /// Creates a clock at zero.
    public init() {}

    public var now: Instant {
        lock.withLock { current }
    }

    public var minimumResolution: Duration { .nanoseconds(1) }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        lock.withLock {
            recorded.append(current.duration(to: deadline))
            if deadline > current { current = deadline }
        }
    }

    /// The waits asked for, in order.
    public var sleeps: [Duration] {
        lock.withLock { recorded }
    }
}
