public import Foundation
public import Logging
public import QuarryStore
public import ServiceLifecycle

/// Keeps the guardrail audit to a retention period: at start and then every ``interval`` it deletes
/// the decisions older than ``retention``. A service of the server's application; it stops on
/// graceful shutdown.
public struct GuardrailAuditRetention: Service {
    private let store: Store
    /// How long decisions are kept.
    public let retention: Duration
    /// How often old decisions are looked for.
    public let interval: Duration
    private let logger: Logger

    /// Creates the service.
    public init(store: Store, retention: Duration, interval: Duration = .seconds(3600), logger: Logger) {
        self.store = store
        self.retention = retention
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        _ = try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await pruneOnce()
                try await Task.sleep(for: interval)
            }
        }
    }

    /// Deletes what is older than the retention period now; returns how many (0 after a failure,
    /// which is logged and tried again at the next interval).
    @discardableResult
    public func pruneOnce(now: Date = Date()) async -> Int {
        let seconds = Double(retention.components.seconds) + Double(retention.components.attoseconds) * 1e-18
        do {
            let deleted = try await store.pruneGuardrailDecisions(before: now.addingTimeInterval(-seconds))
            if deleted > 0 {
                logger.info(
                    "pruned the guardrail audit",
                    metadata: ["deleted": "\(deleted)", "retention.seconds": "\(Int(seconds))"]
                )
            }
            return deleted
        } catch {
            logger.warning("the guardrail audit could not be pruned", metadata: ["error": "\(error)"])
            return 0
        }
    }
}
