import Foundation
import GRDB
import QuarryCore
import QuarryTesting
import Testing

@testable import QuarryStore

/// What a vector index reads from the store: each passage's embedding key, the passages still
/// without a vector, who may read each document, and a generation that moves with every change.
struct PassageVectorStoreTests {
    let carol = AccessScope(userName: "carol", groups: [], isAdmin: false)
    let bob = AccessScope(userName: "bob", groups: ["hr"], isAdmin: false)
    let admin = AccessScope(userName: "admin", groups: [], isAdmin: true)

    private func document(_ id: String, _ texts: [String], readers: [Principal]) -> DocumentSnapshot {
        let passages = texts.enumerated().map { index, text in
            Passage(
                ordinal: index,
                text: text,
                headingPath: ["Policy", "Part \(index)"],
                range: TextRange(start: 0, end: text.unicodeScalars.count)
            )
        }
        return DocumentSnapshot(
            item: SourceItem(
                externalID: id,
                uri: "file:///\(id)",
                version: "1",
                contentType: .markdown,
                policy: AccessPolicy(readers: Set(readers))
            ),
            title: id,
            contentType: .markdown,
            contentHash: TextHash.of(texts.joined()),
            passages: passages
        )
    }

    private func makeStore() async throws -> (TemporaryDirectory, Store, Int64) {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.path)
        let connector = try await store.saveConnector(name: "docs", type: "filesystem", configuration: "{}")
        return (directory, store, connector.id)
    }

    @Test func passagesAreKeyedByTheirEmbeddingInputAndListedUntilEmbedded() async throws {
        let (_, store, connector) = try await makeStore()
        try await store.saveDocument(
            document("leave.md", ["27 days of leave.", "Carry over five days."], readers: [.everyone]),
            connectorID: connector
        )
        let model = "test-model"
        let waiting = try await store.passagesAwaitingVectors(model: model, limit: 10)
        #expect(
            waiting.map(\.input) == ["Policy › Part 0\n27 days of leave.", "Policy › Part 1\nCarry over five days."]
        )

        try await store.storeVectors([TextHash.of(waiting[0].input): [1, 0, 0]], model: model)
        #expect(try await store.passagesAwaitingVectors(model: model, limit: 10).map(\.input) == [waiting[1].input])
        #expect(try await store.passagesAwaitingVectors(model: "another-model", limit: 10).count == 2)

        let id = try #require(try await store.documents().first?.id)
        let vectors = try await store.passageVectors(documentIDs: [id], model: model)
        #expect(vectors.map(\.vector) == [[1, 0, 0]])
        #expect(vectors.first?.passageID == waiting[0].passageID)
    }

    @Test func theGenerationMovesWithDocumentsReadersAndVectors() async throws {
        let (_, store, connector) = try await makeStore()
        var last = try await store.indexGeneration()
        /// Which counters moved since the last call.
        func moved() async throws -> (documents: Bool, vectors: Bool) {
            let now = try await store.indexGeneration()
            defer { last = now }
            return (now.documents > last.documents, now.vectors > last.vectors)
        }
        let saved = try await store.saveDocument(
            document("pay.md", ["Salary bands."], readers: [.group("hr")]),
            connectorID: connector
        )
        #expect(try await moved() == (true, false))
        try await store.updateDocument(id: saved.id, version: "2", policy: AccessPolicy(readers: [.everyone]))
        #expect(try await moved() == (true, false))
        let stamps = try await store.documentAccessStamps()
        #expect(stamps.map(\.readers) == [["everyone"]])
        #expect(stamps.map(\.passageCount) == [1])
        try await store.storeVectors([TextHash.of("Policy › Part 0\nSalary bands."): [0, 1]], model: "m")
        #expect(try await moved() == (false, true))
        #expect(try await moved() == (false, false), "reading changes nothing")
        try await store.deleteDocuments(ids: [saved.id])
        #expect(try await moved().documents)
        #expect(try await store.documentAccessStamps().isEmpty)
    }

    @Test func aDocumentsVectorsAreReadFromItsFirstPassageWithoutOne() async throws {
        let (_, store, connector) = try await makeStore()
        let texts = (0..<6).map { "Row \($0)." }
        let saved = try await store.saveDocument(
            document("rows.csv", texts, readers: [.everyone]),
            connectorID: connector
        )
        let waiting = try await store.passagesAwaitingVectors(model: "m", limit: 10)
        // Rows 0, 1 and 4 have vectors: reading from the start finds 0 and 1, stops after two missing.
        try await store.storeVectors(
            Dictionary(uniqueKeysWithValues: [0, 1, 4].map { (TextHash.of(waiting[$0].input), [Float($0)]) }),
            model: "m"
        )
        let first = try await store.passageVectors(documentID: saved.id, from: 0, model: "m", stopAfterMissing: 2)
        #expect(first.vectors.map(\.vector) == [[0], [1]])
        #expect(first.firstMissing == waiting[2].passageID)
        let all = try await store.passageVectors(documentID: saved.id, from: 0, model: "m")
        #expect(all.vectors.map(\.vector) == [[0], [1], [4]])
        let rest = try await store.passageVectors(documentID: saved.id, from: waiting[5].passageID, model: "m")
        #expect(rest.vectors.isEmpty && rest.firstMissing == waiting[5].passageID)
        #expect(try await store.deleteUnusedVectors() == 0)
        try await store.deleteDocuments(ids: [saved.id])
        #expect(try await store.deleteUnusedVectors() == 3)
    }

    @Test func readablePassagesNeverReturnsAPassageOutsideTheScope() async throws {
        let (_, store, connector) = try await makeStore()
        try await store.saveDocument(
            document("open.md", ["Office hours."], readers: [.everyone]),
            connectorID: connector
        )
        try await store.saveDocument(
            document("pay.md", ["Salary bands.", "Bonus pool."], readers: [.group("hr")]),
            connectorID: connector
        )
        try await store.saveDocument(document("board.md", ["Merger plans."], readers: []), connectorID: connector)
        let all = try await store.passagesAwaitingVectors(model: "m", limit: 10).map(\.passageID)
        #expect(all.count == 4)
        let asked = all.reversed() + [999_999]

        let forCarol = try await store.readablePassages(ids: Array(asked), scope: carol)
        #expect(forCarol.map(\.passage.text) == ["Office hours."])
        let forBob = try await store.readablePassages(ids: Array(asked), scope: bob)
        #expect(forBob.map(\.passage.text) == ["Bonus pool.", "Salary bands.", "Office hours."], "in the order asked")
        let forAdmin = try await store.readablePassages(ids: Array(asked), scores: [all[3]: 0.5], scope: admin)
        #expect(forAdmin.count == 4)
        #expect(forAdmin.first?.score == 0.5)

        // Readers changed a moment ago: the lookup follows the store, not whoever asked it.
        let pay = try #require(try await store.documents().first { $0.title == "pay.md" })
        try await store.updateDocument(id: pay.id, version: "2", policy: AccessPolicy(readers: [.group("exec")]))
        #expect(
            try await store.readablePassages(ids: Array(asked), scope: bob).map(\.passage.text) == ["Office hours."]
        )
    }

    @Test func anotherModelIsRefusedUntilChosenOnPurpose() async throws {
        let (_, store, _) = try await makeStore()
        try await store.bindVectorModel("model-a", dimension: 384)
        try await store.bindVectorModel("model-a", dimension: 384)
        let error = await #expect(throws: StoreError.self) {
            try await store.bindVectorModel("model-b", dimension: 768)
        }
        #expect(String(describing: error!).contains("made by model-a (384 dimensions), not by model-b (768)"))
        try await store.storeVectors(["x": [1]], model: "model-a")
        try await store.replaceVectorModel(with: "model-b", dimension: 768)
        try await store.bindVectorModel("model-b", dimension: 768)
        #expect(try await store.cachedVectorCount(model: "model-a") == 0)
    }

    @Test func passagesStoredBeforeVersion8GetTheirKeys() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("data")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        do {
            let queue = try DatabaseQueue(path: path + "/" + Store.fileName)
            try Migrations.migrator.migrate(queue, upTo: "v7")
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO connector (id, name, type, configuration, created_at, updated_at)
                            VALUES (1, 'docs', 'filesystem', '{}', '2026-01-01', '2026-01-01');
                        INSERT INTO document (id, connector_id, external_id, uri, title, content_type, version,
                            content_hash, policy, created_at, updated_at)
                            VALUES (1, 1, 'a.md', 'file:///a.md', 'Handbook', 'text/markdown', '1', 'h', '[]',
                                    '2026-01-01', '2026-01-01');
                        INSERT INTO passage (document_id, ordinal, text, heading, heading_path, title,
                            start_offset, end_offset) VALUES
                            (1, 0, 'Leave is 27 days.', 'Leave', '["Leave"]', 'Handbook', 0, 17),
                            (1, 1, 'No heading here.', '', '[]', 'Handbook', 18, 34);
                        """
                )
            }
        }
        let store = try Store(directory: path)
        let inputs = try await store.passagesAwaitingVectors(model: "m", limit: 10).map(\.input)
        #expect(inputs == ["Leave\nLeave is 27 days.", "Handbook\nNo heading here."])
        try await store.storeVectors([TextHash.of(inputs[1]): [1]], model: "m")
        #expect(try await store.passagesAwaitingVectors(model: "m", limit: 10).map(\.input) == [inputs[0]])
    }
}
