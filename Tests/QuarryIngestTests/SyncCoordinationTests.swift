import Foundation
import Logging
import QuarryCore
import QuarryIngest
import QuarryStore
import QuarryTesting
import Testing

/// One run per connector at a time, across processes; schedules; runs cancelled through the coordinator.
struct SyncCoordinationTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    private func makeStore(_ directory: TemporaryDirectory) async throws -> Store {
        let store = try Store(directory: directory.file("data"))
        try directory.write("docs/a.md", "# A\n\nAlpha text.")
        try await store.saveConnector(ConnectorDefinition.filesystem(name: "docs", root: directory.file("docs")))
        return store
    }

    private func hangingEngine(_ store: Store) -> SyncEngine {
        let hanging = ScriptedConnector(
            name: "docs",
            entries: [ScriptedConnector.item("a.md"), ScriptedConnector.item("b.md")],
            contents: ["a.md": "# A\n\nAlpha text."],
            hangAfter: 1
        )
        return SyncEngine(store: store, makeConnector: { _ in hanging }, logger: logger)
    }

    @Test func aSecondSyncOfTheSameConnectorIsRefusedWhileTheFirstRuns() async throws {
        let directory = try TemporaryDirectory()
        let store = try await makeStore(directory)
        let first = Task { try await hangingEngine(store).sync(connectorName: "docs") }
        for _ in 0..<500 {
            if let run = try await store.syncRuns(connectorName: "docs", limit: 1).first, run.status == .running {
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        // Another engine, as another process would be: the lease in the store stops it.
        do {
            _ = try await SyncEngine(store: store, logger: logger).sync(connectorName: "docs")
            Issue.record("the second sync ran")
        } catch let error as SyncError {
            #expect(error.isAlreadyRunning)
        }
        first.cancel()
        _ = try? await first.value
        // Once the first has ended, syncing works again.
        let run = try await SyncEngine(store: store, logger: logger).sync(connectorName: "docs")
        #expect(run.status == .succeeded)
    }

    @Test func aLeaseLeftByADeadProcessOfThisHostIsTakenOver() async throws {
        let directory = try TemporaryDirectory()
        let store = try await makeStore(directory)
        let connector = try #require(try await store.connector(named: "docs"))
        // A process that no longer exists (pid beyond pid_max) holds the lease and left a run "running".
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let hostName = String(decoding: host.prefix(while: { $0 != 0 }).map(UInt8.init(bitPattern:)), as: UTF8.self)
        #expect(
            try await store.acquireSyncLease(
                connectorID: connector.id,
                holder: "\(hostName):99999999:dead",
                duration: 600
            )
                == nil
        )
        let orphan = try await store.startSyncRun(connectorID: connector.id, mode: "incremental")

        let run = try await SyncEngine(store: store, logger: logger).sync(connectorName: "docs")
        #expect(run.status == .succeeded)
        let abandoned = try #require(try await store.syncRun(id: orphan))
        #expect(abandoned.status == .failed)
        #expect(abandoned.error?.hasPrefix("interrupted") == true)
    }

    @Test func aLiveForeignLeaseIsRespected() async throws {
        let directory = try TemporaryDirectory()
        let store = try await makeStore(directory)
        let connector = try #require(try await store.connector(named: "docs"))
        _ = try await store.acquireSyncLease(connectorID: connector.id, holder: "other-host:1:x", duration: 600)
        await #expect(throws: SyncError.alreadyRunning(connector: "docs", holder: "other-host:1:x")) {
            _ = try await SyncEngine(store: store, logger: logger).sync(connectorName: "docs")
        }
    }

    @Test func theCoordinatorStartsCancelsAndReportsRuns() async throws {
        let directory = try TemporaryDirectory()
        let store = try await makeStore(directory)
        let coordinator = SyncCoordinator(engine: hangingEngine(store))
        let runID = try await coordinator.start(connectorName: "docs", mode: .incremental)
        #expect(await coordinator.isRunning("docs"))
        await #expect(throws: SyncError.self) { _ = try await coordinator.start(connectorName: "docs", mode: .full) }
        #expect(await coordinator.cancel(runID: runID))
        for _ in 0..<100 where await coordinator.isRunning("docs") {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(!(await coordinator.isRunning("docs")))
        #expect(try await store.syncRun(id: runID)?.status == .cancelled)
        await #expect(throws: StoreError.self) { _ = try await coordinator.start(connectorName: "nope", mode: .full) }
    }

    @Test func theSchedulerStartsDueConnectorsOnly() async throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.file("data"))
        try directory.write("docs/a.md", "# A\n\nAlpha text.")
        var hourly = ConnectorDefinition.filesystem(name: "hourly", root: directory.file("docs"))
        hourly.schedule = try SyncSchedule(parsing: "1h")
        try await store.saveConnector(hourly)
        try await store.saveConnector(ConnectorDefinition.filesystem(name: "manual", root: directory.file("docs")))
        let coordinator = SyncCoordinator(engine: SyncEngine(store: store, logger: logger))
        let scheduler = SyncScheduler(store: store, coordinator: coordinator, logger: logger)

        await scheduler.startDueSyncs()
        for _ in 0..<200 where await coordinator.isRunning("hourly") { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try await store.syncRuns(connectorName: "hourly").count == 1)
        #expect(try await store.syncRuns(connectorName: "manual").isEmpty)

        // Just ran: not due again until an hour after it ended.
        await scheduler.startDueSyncs()
        #expect(try await store.syncRuns(connectorName: "hourly").count == 1)
        await scheduler.startDueSyncs(now: Date().addingTimeInterval(3601))
        for _ in 0..<200 where await coordinator.isRunning("hourly") { try await Task.sleep(for: .milliseconds(20)) }
        #expect(try await store.syncRuns(connectorName: "hourly").count == 2)
    }
}
