public import Foundation
import Logging
public import QuarryStore

/// Runs syncs in the background of a server: starts them on request or on schedule, one per
/// connector at a time, and cancels them.
public actor SyncCoordinator {
    private let engine: SyncEngine
    private var running: [String: (runID: Int64, task: Task<Void, Never>)] = [:]

    /// Creates a coordinator that runs `engine`.
    public init(engine: SyncEngine) {
        self.engine = engine
    }

    /// Starts a sync of a connector and returns its run's identifier once it is recorded.
    ///
    /// - Throws: ``SyncError/alreadyRunning(connector:holder:)`` when the connector is being synced
    ///   (here or by another process), ``QuarryStore/StoreError/notFound(_:_:)`` for an unknown connector.
    public func start(connectorName: String, mode: SyncMode) async throws -> Int64 {
        if running[connectorName] != nil {
            throw SyncError.alreadyRunning(connector: connectorName, holder: "this server")
        }
        let (starts, continuation) = AsyncStream.makeStream(of: Int64.self)
        let engine = engine
        let failure = FailureBox()
        let task = Task {
            do {
                _ = try await engine.sync(connectorName: connectorName, mode: mode) { event in
                    if case .started(_, _, let runID) = event {
                        continuation.yield(runID)
                        continuation.finish()
                    }
                }
            } catch {
                failure.set(error)
            }
            continuation.finish()
            await self.finished(connectorName)
        }
        var iterator = starts.makeAsyncIterator()
        guard let runID = await iterator.next() else {
            task.cancel()
            throw failure.error ?? CancellationError()
        }
        running[connectorName] = (runID, task)
        return runID
    }

    /// Cancels a running sync by its run's identifier; returns false when no such run is going on here.
    public func cancel(runID: Int64) -> Bool {
        guard let entry = running.values.first(where: { $0.runID == runID }) else { return false }
        entry.task.cancel()
        return true
    }

    /// Whether a connector is being synced by this process.
    public func isRunning(_ connectorName: String) -> Bool {
        running[connectorName] != nil
    }

    /// Cancels every running sync and waits for them to record how they ended.
    public func cancelAll() async {
        let tasks = running.values.map(\.task)
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    private func finished(_ connectorName: String) {
        running[connectorName] = nil
    }
}

/// Carries an error out of a task, written once before it is read.
private final class FailureBox: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var stored: (any Error)?

    func set(_ error: any Error) {
        lock.lock()
        stored = error
        lock.unlock()
    }

    var error: (any Error)? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
