import Foundation
import Logging
import QuarryConnectors
import QuarryCore
import QuarryIngest
import QuarryStore
import QuarryTesting
import Testing

struct SyncEngineTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let carol = AccessScope(userName: "carol", groups: [], isAdmin: false)
    let bob = AccessScope(userName: "bob", groups: ["hr"], isAdmin: false)

    private func makeStore(_ directory: TemporaryDirectory, root: String) async throws -> Store {
        let store = try Store(directory: directory.file("data"))
        try await store.saveConnector(
            name: "docs",
            type: "filesystem",
            configuration: try ConnectorDefinition.filesystem(name: "docs", root: root).encodedJSON()
        )
        return store
    }

    private func texts(_ store: Store, _ word: String, _ scope: AccessScope) async throws -> [String] {
        try await store.searchPassages(matching: "\"\(word)\"", scope: scope, limit: 20).map(\.passage.text)
    }

    @Test func aDocumentThatCannotBeReindexedIsWithdrawnNotLeftUnderItsOldPolicy() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("docs/.quarry-acl.json", #"{"readers": ["everyone"]}"#)
        try directory.write("docs/q3.md", "# Q3\n\nThe Q3 bonus pool is 2.1 million.")
        let store = try await makeStore(directory, root: directory.file("docs"))
        let engine = SyncEngine(store: store, logger: logger)
        _ = try await engine.sync(connectorName: "docs")
        #expect(try await texts(store, "bonus", carol).count == 1)

        // The author empties the file and restricts it: the new version cannot be indexed.
        try directory.write("docs/q3.md", "")
        try directory.write("docs/q3.md.acl.json", #"{"readers": ["group:exec"]}"#)
        let run = try await engine.sync(connectorName: "docs")
        #expect(run.counts.failed == 1)
        #expect(run.failures.first?.reason == "no text could be extracted; the indexed copy was withdrawn")
        #expect(try await texts(store, "bonus", carol).isEmpty)
        #expect(try await store.documents().isEmpty)
    }

    @Test func aTwinFileNameInAnotherUnicodeFormCannotTakeOverTheOriginalsPolicy() async throws {
        let directory = try TemporaryDirectory()
        let composed = "R\u{E9}sum\u{E9}.md"
        let decomposed = "Re\u{301}sume\u{301}.md"
        try directory.write("docs/.quarry-acl.json", #"{"readers": ["everyone"]}"#)
        try directory.write("docs/" + composed, "# CV\n\nConfidential appraisal notes.")
        try directory.write("docs/" + composed + ".acl.json", #"{"readers": ["group:hr"]}"#)
        let store = try await makeStore(directory, root: directory.file("docs"))
        let engine = SyncEngine(store: store, logger: logger)
        _ = try await engine.sync(connectorName: "docs")

        // A twin with the same size and modification time, and a sidecar opening it to everyone.
        try directory.write("docs/" + decomposed, "# CV\n\nConfidential appraisal notes.")
        let original = try FileManager.default.attributesOfItem(atPath: directory.file("docs/" + composed))
        try FileManager.default.setAttributes(
            [.modificationDate: original[.modificationDate]!],
            ofItemAtPath: directory.file("docs/" + decomposed)
        )
        try directory.write("docs/" + decomposed + ".acl.json", #"{"readers": ["everyone"]}"#)
        for _ in 0..<2 {
            let run = try await engine.sync(connectorName: "docs")
            #expect(run.counts.failed == 0)
        }
        let documents = try await store.documents()
        #expect(documents.count == 2)
        let byName = Dictionary(
            uniqueKeysWithValues: documents.map { (Array($0.externalID.utf8), $0.policy.readerKeys) }
        )
        #expect(byName[Array(composed.utf8)] == ["group:hr"])
        #expect(byName[Array(decomposed.utf8)] == ["everyone"])
    }

    @Test func documentsUnderAPathThatCannotBeListedAreKept() async throws {
        let directory = try TemporaryDirectory()
        let store = try await makeStore(directory, root: directory.path)
        let first = ScriptedConnector(
            name: "docs",
            entries: [
                ScriptedConnector.item("a.md"), ScriptedConnector.item("hr/b.md"), ScriptedConnector.item("hr2.md"),
            ],
            contents: ["a.md": "# A\n\nAlpha text.", "hr/b.md": "# B\n\nBravo text.", "hr2.md": "# C\n\nCharlie text."]
        )
        _ = try await SyncEngine(store: store, makeConnector: { _ in first }, logger: logger).sync(
            connectorName: "docs"
        )

        let second = ScriptedConnector(
            name: "docs",
            entries: [ScriptedConnector.item("a.md"), .unavailable(path: "hr", reason: "cannot list the folder")],
            contents: first.contents
        )
        let run = try await SyncEngine(store: store, makeConnector: { _ in second }, logger: logger)
            .sync(connectorName: "docs")
        #expect(run.counts.summaryLine == "added=0 updated=0 unchanged=1 deleted=1 failed=1")
        #expect(
            run.failures == [
                SyncFailure(
                    externalID: "hr",
                    reason: "cannot list the folder; documents under it were left as they were"
                )
            ]
        )
        #expect(try await store.documents().map(\.externalID) == ["a.md", "hr/b.md"])
    }

    @Test func aDocumentThatChangedDuringTheSyncKeepsItsIndexedVersion() async throws {
        let directory = try TemporaryDirectory()
        let store = try await makeStore(directory, root: directory.path)
        let first = ScriptedConnector(
            name: "docs",
            entries: [ScriptedConnector.item("a.md")],
            contents: ["a.md": "# A\n\nAlpha text."]
        )
        _ = try await SyncEngine(store: store, makeConnector: { _ in first }, logger: logger).sync(
            connectorName: "docs"
        )

        let second = ScriptedConnector(
            name: "docs",
            entries: [ScriptedConnector.item("a.md", version: "2")],
            contents: [:],
            changedDuringSync: ["a.md"]
        )
        let engine = SyncEngine(store: store, makeConnector: { _ in second }, logger: logger)
        let run = try await engine.sync(connectorName: "docs")
        #expect(run.counts.failed == 1)
        #expect(try await texts(store, "alpha", carol) == ["Alpha text."])
    }

    @Test func aCancelledSyncDeletesNothing() async throws {
        let directory = try TemporaryDirectory()
        let store = try await makeStore(directory, root: directory.path)
        let first = ScriptedConnector(
            name: "docs",
            entries: [ScriptedConnector.item("a.md"), ScriptedConnector.item("b.md")],
            contents: ["a.md": "# A\n\nAlpha text.", "b.md": "# B\n\nBravo text."]
        )
        _ = try await SyncEngine(store: store, makeConnector: { _ in first }, logger: logger).sync(
            connectorName: "docs"
        )

        var hanging = first
        hanging.hangAfter = 1
        let engine = SyncEngine(store: store, makeConnector: { [hanging] _ in hanging }, logger: logger)
        let task = Task { try await engine.sync(connectorName: "docs") }
        // Cancel once the run is under way (recorded and past its first document).
        for _ in 0..<500 {
            if let run = try await store.syncRuns(connectorName: "docs", limit: 1).first, run.status == .running {
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(try await store.documents().count == 2)
        #expect(try await store.syncRuns(connectorName: "docs").first?.status == .cancelled)
    }
}
