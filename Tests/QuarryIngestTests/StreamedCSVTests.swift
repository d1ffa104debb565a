import Foundation
import GRDB
import Logging
import QuarryConnectors
import QuarryCore
import QuarryIngest
import QuarryStore
import QuarryTesting
import Testing

/// CSV files large enough to be streamed: spooled, parsed a piece at a time, written to a staged
/// document in batches and swapped in. The filesystem connector's threshold is lowered to 1 KiB so
/// that small files take the streamed path.
struct StreamedCSVTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let carol = AccessScope(userName: "carol", groups: [], isAdmin: false)
    let admin = AccessScope(userName: "root", groups: [], isAdmin: true)

    private func engine(_ store: Store) -> SyncEngine {
        SyncEngine(
            store: store,
            makeConnector: { definition in
                guard case .filesystem(let settings) = definition.settings else {
                    return try definition.makeConnector()
                }
                var configuration = FileSystemConnector.Configuration(
                    root: settings.root,
                    defaultPolicy: .everyone,
                    maximumCSVBytes: settings.maximumCSVBytes
                )
                configuration.streamingThreshold = 1024
                return FileSystemConnector(name: definition.name, configuration: configuration)
            },
            logger: logger
        )
    }

    private func projects(_ count: Int, budgetOf changed: Int? = nil) -> String {
        var csv = "Project,Budget,Owner\n"
        for index in 0..<count {
            let budget = index == changed ? "999999" : "\(1000 + index)"
            csv += "P\(String(format: "%05d", index)),\(budget),\"Owner \(index % 37), Leeds\"\n"
        }
        return csv
    }

    private func makeStore(_ directory: TemporaryDirectory) async throws -> Store {
        let store = try Store(directory: directory.file("data"))
        try await store.saveConnector(
            name: "exports",
            type: "filesystem",
            configuration: try ConnectorDefinition.filesystem(name: "exports", root: directory.file("exports"))
                .encodedJSON()
        )
        return store
    }

    private func hits(_ store: Store, _ word: String, _ scope: AccessScope) async throws -> [RetrievedPassage] {
        try await store.searchPassages(matching: "\"\(word)\"", scope: scope, limit: 10)
    }

    @Test func aStreamedCSVIsIndexedRowByRowAndSwappedWhenItChanges() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("exports/projects.csv", projects(6000))
        let store = try await makeStore(directory)
        let engine = engine(store)

        let first = try await engine.sync(connectorName: "exports")
        #expect(first.counts.summaryLine == "added=1 updated=0 unchanged=0 deleted=0 failed=0")
        let document = try #require(try await store.documents(connectorName: "exports").first)
        #expect(document.passageCount == 6000)
        #expect(document.title == "Projects")
        let row = try #require(try await hits(store, "P04321", carol).first)
        #expect(row.passage.text == "Project: P04321; Budget: 5321; Owner: Owner 29, Leeds")
        let passages = try await store.passages(documentID: document.id)
        #expect(passages.map(\.ordinal) == Array(0..<6000))
        // Offsets index the document's text: its rows joined by blank lines.
        #expect(passages[1].range.start == passages[0].range.end + 2)

        // Unchanged: nothing is rewritten, even after the file is touched.
        try directory.write("exports/projects.csv", projects(6000))
        let touched = try await engine.sync(connectorName: "exports")
        #expect(touched.counts.summaryLine == "added=0 updated=0 unchanged=1 deleted=0 failed=0")
        #expect(try await store.documents(connectorName: "exports").first?.id == document.id)

        // One budget changes: the new version replaces the old one whole.
        try directory.write("exports/projects.csv", projects(6000, budgetOf: 4321))
        let changed = try await engine.sync(connectorName: "exports")
        #expect(changed.counts.summaryLine == "added=0 updated=1 unchanged=0 deleted=0 failed=0", "\(changed.failures)")
        let documents = try await store.documents(connectorName: "exports")
        #expect(documents.count == 1)
        #expect(documents.first?.passageCount == 6000)
        #expect(
            try await hits(store, "P04321", carol).map(\.passage.text) == [
                "Project: P04321; Budget: 999999; Owner: Owner 29, Leeds"
            ]
        )
        #expect(try await hits(store, "5321", admin).isEmpty, "the old version is gone, for admins too")
        // An answer that cited the previous version stays readable to whoever may read the new one.
        #expect(try await store.readableDocumentIDs(among: [document.id], scope: carol) == [document.id])
        #expect(try Self.hiddenDocumentCount(store) == 0)

        // Deleted at the source: gone.
        try directory.remove("exports/projects.csv")
        let deleted = try await engine.sync(connectorName: "exports")
        #expect(deleted.counts.deleted == 1)
        #expect(try await hits(store, "P04321", admin).isEmpty)
        #expect(try await store.readableDocumentIDs(among: [document.id], scope: admin).isEmpty)
        #expect(try Self.passageCount(store) == 0)
    }

    @Test func raggedRowsAreWarningsOfTheRunAndABrokenFileFailsAlone() async throws {
        let directory = try TemporaryDirectory()
        var ragged = projects(3000)
        ragged += "P99998,12\nP99999,13,Dana,extra\n"
        try directory.write("exports/ragged.csv", ragged)
        try directory.write("exports/binary.csv", String(repeating: "\u{0}\u{1}\u{2}junk", count: 400))
        try directory.write("exports/notes.md", "# Notes\n\nThe export runs nightly.")
        let store = try await makeStore(directory)
        let run = try await engine(store).sync(connectorName: "exports")
        #expect(run.counts.summaryLine == "added=2 updated=0 unchanged=0 deleted=0 failed=1")
        #expect(
            run.failures == [SyncFailure(externalID: "binary.csv", reason: "the file looks like binary data, not text")]
        )
        #expect(
            run.warnings == [
                SyncWarning(
                    externalID: "ragged.csv",
                    message:
                        "1 row(s) have fewer fields than the header's 3 (first on line 3002); the missing values are empty"
                ),
                SyncWarning(
                    externalID: "ragged.csv",
                    message:
                        "1 row(s) have more fields than the header's 3, up to 4 (first on line 3003); the extra fields are named Column 4 on"
                ),
            ]
        )
        #expect(try await store.syncRun(id: run.id)?.warnings == run.warnings, "warnings are recorded with the run")
        #expect(
            try await hits(store, "P99999", carol).first?.passage.text
                == "Project: P99999; Budget: 13; Owner: Dana; Column 4: extra"
        )
        #expect(try Self.hiddenDocumentCount(store) == 0, "the failed file's staged rows are gone")
    }

    @Test func aCancelledStreamLeavesThePreviousVersionAndNothingStaged() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("exports/projects.csv", projects(500))
        let store = try await makeStore(directory)
        let engine = engine(store)
        _ = try await engine.sync(connectorName: "exports")
        let before = try await store.documents(connectorName: "exports")

        try directory.write("exports/projects.csv", projects(200_000, budgetOf: 7))
        let sync = Task { try await engine.sync(connectorName: "exports") }
        // Cancel once rows of the new version are being written.
        let deadline = ContinuousClock.now + .seconds(60)
        while try Self.hiddenPassageCount(store) == 0 {
            try #require(ContinuousClock.now < deadline, "the new version was never seen being written")
            try await Task.sleep(for: .milliseconds(20))
        }
        sync.cancel()
        await #expect(throws: CancellationError.self) { try await sync.value }

        #expect(try await store.documents(connectorName: "exports") == before)
        #expect(
            try await hits(store, "P00007", carol).map(\.passage.text) == [
                "Project: P00007; Budget: 1007; Owner: Owner 7, Leeds"
            ]
        )
        #expect(try Self.count(store, "SELECT count(*) FROM document WHERE state = 'staged'") == 0)
        #expect(try await hits(store, "P00007", admin).count == 1, "the half-written version is hidden from admins too")

        // The next sync deletes the abandoned rows before it does anything else.
        try directory.write("exports/projects.csv", projects(500))
        let next = try await engine.sync(connectorName: "exports")
        #expect(next.counts.summaryLine == "added=0 updated=0 unchanged=1 deleted=0 failed=0")
        #expect(try Self.hiddenDocumentCount(store) == 0)
        #expect(try Self.passageCount(store) == 500)
    }

    // MARK: - Looking inside the store

    private static func count(_ store: Store, _ sql: String) throws -> Int {
        try DatabaseQueue(path: store.path).read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }

    private static func hiddenDocumentCount(_ store: Store) throws -> Int {
        try count(store, "SELECT count(*) FROM document WHERE state != 'live'")
    }

    private static func hiddenPassageCount(_ store: Store) throws -> Int {
        try count(
            store,
            "SELECT count(*) FROM passage WHERE document_id IN (SELECT id FROM document WHERE state != 'live')"
        )
    }

    private static func passageCount(_ store: Store) throws -> Int {
        try count(store, "SELECT count(*) FROM passage")
    }
}
