import Foundation
import GRDB
import QuarryCore
import QuarryTesting
import Testing

@testable import QuarryStore

struct MigrationTests {
    private func copyFixture(to directory: TemporaryDirectory) throws -> String {
        let fixture = try #require(
            Bundle.module.path(forResource: "quarry-v1", ofType: "sqlite", inDirectory: "Fixtures")
        )
        let dataDirectory = directory.file("data")
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture, toPath: dataDirectory + "/" + Store.fileName)
        return dataDirectory
    }

    @Test func aDatabaseMadeByTheFirstSchemaIsUpgradedWithItsDataIntact() async throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: try copyFixture(to: directory))

        #expect(try await store.appliedMigrations() == Migrations.identifiers)
        // People and memberships survived.
        let users = try await store.users()
        #expect(users.map(\.name) == ["alice", "bob", "carol"])
        #expect(users.first { $0.name == "bob" }?.groups == ["hr"])
        // The key made under v1 still signs alice in.
        let alice = try await store.authenticate(apiKey: "qk_fixture-key-for-alice-made-with-schema-v1")
        #expect(alice?.name == "alice")
        // The keyword index and the readers still work and still restrict.
        let bob = try await store.accessScope(forUserID: users.first { $0.name == "bob" }!.id)
        let carol = try await store.accessScope(forUserID: users.first { $0.name == "carol" }!.id)
        #expect(try await store.searchPassages(matching: "\"salary\"", scope: bob, limit: 5).count == 1)
        #expect(try await store.searchPassages(matching: "\"salary\"", scope: carol, limit: 5).isEmpty)
        #expect(try await store.searchPassages(matching: "\"leave\"", scope: carol, limit: 5).count == 1)
        // The tables v2 added are usable.
        let conversation = try await store.createConversation(userID: users[0].id, title: "After upgrade")
        let answer = Answer(text: "Yes [1].", citations: [], isAnswered: true)
        _ = try await store.appendExchange(conversationID: conversation.id, question: "Still there?", answer: answer)
        #expect(
            try await store.messages(conversationID: conversation.id).map(\.content) == ["Still there?", "Yes [1]."]
        )
        let connector = try #require(try await store.connector(named: "handbook"))
        let runID = try await store.startSyncRun(connectorID: connector.id, mode: "incremental")
        try await store.finishSyncRun(id: runID, status: .succeeded, counts: SyncCounts(), failures: [], error: nil)
        #expect(try await store.syncRuns(connectorName: "handbook").first?.status == .succeeded)
    }

    @Test func documentIdentifiersAreNeverReusedAcrossTheDocumentTableRebuild() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("data")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        do {
            let queue = try DatabaseQueue(path: path + "/" + Store.fileName)
            try Migrations.migrator.migrate(queue, upTo: "v5")
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO connector (name, type, configuration, created_at, updated_at)
                        VALUES ('docs', 'filesystem', '{}', 0, 0)
                        """
                )
                for index in 1...5 {
                    try db.execute(
                        sql: """
                            INSERT INTO document (connector_id, external_id, uri, title, content_type, version,
                                content_hash, policy, created_at, updated_at)
                            VALUES (1, ?, '', '', 'text/plain', '', '', '[]', 0, 0)
                            """,
                        arguments: ["doc\(index).md"]
                    )
                }
                try db.execute(sql: "DELETE FROM document WHERE id >= 4")
            }
        }
        let store = try Store(directory: path)
        let item = SourceItem(
            externalID: "new.md",
            uri: "file:///new.md",
            version: "1",
            contentType: .plainText,
            policy: .everyone
        )
        let saved = try await store.saveDocument(
            DocumentSnapshot(item: item, title: "New", contentType: .plainText, contentHash: "h", passages: []),
            connectorID: 1
        )
        #expect(saved.id == 6, "ids 4 and 5 were used before the upgrade")
    }

    @Test func reopeningAnUpToDateDatabaseChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        let path = try copyFixture(to: directory)
        _ = try Store(directory: path)
        let again = try Store(directory: path)
        #expect(try await again.appliedMigrations() == Migrations.identifiers)
        #expect(try await again.users().count == 3)
    }

    @Test func aDatabaseFromANewerQuarryIsRefused() async throws {
        let directory = try TemporaryDirectory()
        let path = try copyFixture(to: directory)
        do {
            let store = try Store(directory: path)
            try await store.database.write { db in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')")
            }
        }
        #expect(throws: StoreError.newerSchema("v99")) { try Store(directory: path) }
    }

    @Test func theDatabaseRunsInWALMode() async throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.path)
        let mode = try await store.database.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
    }
}
