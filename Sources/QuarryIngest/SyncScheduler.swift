public import Foundation
public import Logging
public import QuarryStore
public import ServiceLifecycle

/// Starts scheduled syncs: every ``checkInterval`` it looks for connectors with a `schedule` whose
/// last run ended longer ago than their interval, and starts them through the coordinator.
///
/// A service of the server's application: it stops on graceful shutdown, cancelling the syncs it
/// started, which record themselves as cancelled and release their leases.
public struct SyncScheduler: Service {
    private let store: Store
    private let coordinator: SyncCoordinator
    private let checkInterval: Duration
    private let logger: Logger

    /// Creates a scheduler.
    public init(store: Store, coordinator: SyncCoordinator, checkInterval: Duration = .seconds(30), logger: Logger) {
        self.store = store
        self.coordinator = coordinator
        self.checkInterval = checkInterval
        self.logger = logger
    }

    public func run() async throws {
        _ = try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await startDueSyncs()
                try await Task.sleep(for: checkInterval)
            }
        }
        await coordinator.cancelAll()
    }

    /// Starts every scheduled connector that is due.
    public func startDueSyncs(now: Date = Date()) async {
        do {
            for record in try await store.connectors() {
                guard let definition = try? ConnectorDefinition.decode(json: record.configuration),
                    let schedule = definition.schedule,
                    await !coordinator.isRunning(record.name)
                else { continue }
                let last = try await store.syncRuns(connectorName: record.name, limit: 1).first
                if let last {
                    guard last.status != .running else { continue }
                    let ended = last.finishedAt ?? last.startedAt
                    guard now.timeIntervalSince(ended) >= Double(schedule.interval) else { continue }
                }
                do {
                    let runID = try await coordinator.start(connectorName: record.name, mode: .incremental)
                    logger.info(
                        "scheduled sync started",
                        metadata: ["connector.name": "\(record.name)", "sync.run": "\(runID)"]
                    )
                } catch let error as SyncError where error.isAlreadyRunning {
                    continue
                } catch {
                    logger.warning(
                        "scheduled sync could not start",
                        metadata: ["connector.name": "\(record.name)", "error": "\(error)"]
                    )
                }
            }
        } catch {
            logger.error("the scheduler cannot read connectors", metadata: ["error": "\(error)"])
        }
    }
}
