import Foundation
import Logging
import QuarryCore
import QuarryEmbed
import QuarryIndex
import QuarryIngest
import QuarryStore
import QuarryTesting
import QuarryVector
import Testing

/// The store's vector index, with the real model over the sample handbook: it finds what a user
/// may read and nothing else, follows reader changes at the very next search, and survives restarts.
struct StoreVectorIndexTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let alice = AccessScope(userName: "alice", groups: ["engineering"], isAdmin: false)
    let bob = AccessScope(userName: "bob", groups: ["hr"], isAdmin: false)
    let carol = AccessScope(userName: "carol", groups: [], isAdmin: false)
    let admin = AccessScope(userName: "admin", groups: [], isAdmin: true)

    private func index(_ demo: DemoInstallation, directory: String? = nil) throws -> StoreVectorIndex {
        try StoreVectorIndex(
            store: demo.store,
            model: MiniLMEmbedder.modelName,
            dimension: 384,
            directory: directory,
            logger: logger
        )
    }

    private func salaryDocument(_ demo: DemoInstallation) async throws -> DocumentSummary {
        try #require(try await demo.store.documents().first { $0.externalID == "hr/salary-bands.md" })
    }

    @Test func everyHitIsReadableAndTheRankingIsExactSearchOverWhatTheAskerMayRead() async throws {
        let demo = try await DemoInstallation.make(embedder: try TestModel.memoized())
        let vectors = try index(demo)
        let documents = try await demo.store.documents()
        let question = try await TestModel.embedder().embed("What is the salary band for a senior engineer?")
        let all = try await demo.store.passageVectors(documentIDs: documents.map(\.id), model: MiniLMEmbedder.modelName)
        #expect(all.count == documents.reduce(0) { $0 + $1.passageCount })

        for scope in [alice, bob, carol, admin] {
            let readable = Set(documents.filter { scope.canRead($0.policy) }.map(\.id))
            let hits = try await vectors.nearest(to: question, limit: 1_000, scope: scope)
            let passageDocument = Dictionary(uniqueKeysWithValues: all.map { ($0.passageID, $0.documentID) })
            #expect(hits.allSatisfy { readable.contains(passageDocument[$0.passageID] ?? -1) }, "\(scope.userName)")
            // Exactly the passages the scope may read, in the order of their cosine with the question.
            let expected = all.filter { readable.contains($0.documentID) }
                .map { ($0.passageID, zip($0.vector, question).reduce(Float(0)) { $0 + $1.0 * $1.1 }) }
                .sorted { $0.1 > $1.1 }
            #expect(hits.count == expected.count)
            #expect(hits.prefix(10).map(\.passageID) == expected.prefix(10).map(\.0))
            for (hit, exact) in zip(hits, expected) { #expect(abs(hit.score - exact.1) < 1e-4) }
        }
        let salary = try await salaryDocument(demo)
        let bobsBest = try #require(try await vectors.nearest(to: question, limit: 1, scope: bob).first)
        #expect(all.first { $0.passageID == bobsBest.passageID }?.documentID == salary.id)
    }

    @Test func aReaderChangeIsHonouredByTheVeryNextSearch() async throws {
        let demo = try await DemoInstallation.make(copyCorpus: true, embedder: try TestModel.memoized())
        let vectors = try index(demo)
        let question = try await TestModel.embedder().embed("engineering salary bands L4")
        let salary = try await salaryDocument(demo)
        let salaryPassages = Set(
            try await demo.store.passageVectors(documentIDs: [salary.id], model: MiniLMEmbedder.modelName)
                .map(\.passageID)
        )
        func carolSeesSalaries() async throws -> Bool {
            try await vectors.nearest(to: question, limit: 1_000, scope: carol).contains {
                salaryPassages.contains($0.passageID)
            }
        }
        #expect(try await !carolSeesSalaries())

        // HR opens the file to everyone, through the store as a sync would.
        try await demo.store.updateDocument(id: salary.id, version: "opened", policy: .everyone)
        #expect(try await carolSeesSalaries())
        // … and closes it again.
        try await demo.store.updateDocument(
            id: salary.id,
            version: "closed",
            policy: AccessPolicy(readers: [.group("hr")])
        )
        #expect(try await !carolSeesSalaries())

        // The file is deleted at the source: gone from everyone's results, admins' included.
        try FileManager.default.removeItem(atPath: demo.corpusPath + "/hr/salary-bands.md")
        try await demo.sync()
        let adminHits = try await vectors.nearest(to: question, limit: 1_000, scope: admin)
        #expect(!adminHits.contains { salaryPassages.contains($0.passageID) })
        #expect(await vectors.count == adminHits.count)
    }

    @Test func aDocumentSyncedByAnotherProcessIsFoundAtTheNextSearch() async throws {
        let demo = try await DemoInstallation.make(copyCorpus: true, embedder: try TestModel.memoized())
        let vectors = try index(demo)
        let before = await vectors.count
        _ = try await vectors.nearest(to: [Float](repeating: 0.05, count: 384), limit: 1, scope: admin)
        let loaded = await vectors.count
        #expect(loaded > before)
        try """
        # Parking

        The car park under the Leeds office has forty spaces, booked through the front desk app.
        """.write(toFile: demo.corpusPath + "/company/parking.md", atomically: true, encoding: .utf8)
        try await demo.sync()
        let question = try await TestModel.embedder().embed("How many spaces has the car park under the Leeds office?")
        let best = try #require(try await vectors.nearest(to: question, limit: 1, scope: carol).first)
        let found = try await demo.store.readablePassages(ids: [best.passageID], scope: carol)
        #expect(found.first?.documentTitle == "Parking")
        #expect(await vectors.count == loaded + 1)
    }

    @Test func vectorsABackfillAddsToADocumentAlreadyHeldAreFoundToo() async throws {
        let demo = try await DemoInstallation.make()  // keywords only: no vectors yet
        let vectors = try StoreVectorIndex(
            store: demo.store,
            model: MiniLMEmbedder.modelName,
            dimension: 384,
            vectorRefreshInterval: .zero,
            logger: logger
        )
        let question = try await TestModel.embedder().embed("How many days of annual leave do I get?")
        #expect(try await vectors.nearest(to: question, limit: 5, scope: carol).isEmpty)
        let backfill = EmbeddingBackfill(store: demo.store, embedder: try TestModel.memoized(), logger: logger)
        #expect(try await backfill.embedAwaiting() > 0)
        let passages = try await demo.store.documents().reduce(0) { $0 + $1.passageCount }
        let hits = try await vectors.nearest(to: question, limit: 1_000, scope: admin)
        #expect(hits.count == passages, "every passage the backfill embedded is in the index")
        #expect(try await !vectors.nearest(to: question, limit: 5, scope: carol).isEmpty)
    }

    @Test func aSavedIndexIsReloadedAndADamagedOneIsRebuiltFromTheStore() async throws {
        let demo = try await DemoInstallation.make(embedder: try TestModel.memoized())
        let folder = demo.dataDirectory.file("vectors")
        let question = try await TestModel.embedder().embed("How do I book travel?")
        let first = try index(demo, directory: folder)
        let expected = try await first.nearest(to: question, limit: 10, scope: alice)
        try await first.saveIfChanged()
        #expect(FileManager.default.fileExists(atPath: folder + "/" + VectorIndex.manifestName))
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/" + name)
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "\(name) is readable by Quarry only")
        }

        let reopened = try index(demo, directory: folder)
        #expect(await reopened.count == (await first.count), "loaded from the files, before any search")
        #expect(try await reopened.nearest(to: question, limit: 10, scope: alice) == expected)

        // Flip a byte in every vector file: the copy is refused and rebuilt from the store.
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasPrefix("vectors") {
            let handle = try #require(FileHandle(forUpdatingAtPath: folder + "/" + name))
            try handle.seek(toOffset: 100)
            let byte = try handle.read(upToCount: 1) ?? Data([0])
            try handle.seek(toOffset: 100)
            try handle.write(contentsOf: Data([byte[0] ^ 0xFF]))
            try handle.close()
        }
        let rebuilt = try index(demo, directory: folder)
        #expect(await rebuilt.count == 0, "the damaged copy was not used")
        #expect(try await rebuilt.nearest(to: question, limit: 10, scope: alice) == expected)
    }

    @Test func theRunningServiceSavesChangesByItselfWhileSearchesGoOn() async throws {
        let demo = try await DemoInstallation.make(embedder: try TestModel.memoized())
        let folder = demo.dataDirectory.file("vectors")
        let service = try StoreVectorIndex(
            store: demo.store,
            model: MiniLMEmbedder.modelName,
            dimension: 384,
            directory: folder,
            saveInterval: .zero,
            logger: logger
        )
        let question = try await TestModel.embedder().embed("How do I book travel?")
        let running = Task { try await service.run(refreshInterval: .milliseconds(50)) }
        defer { running.cancel() }
        let manifest = folder + "/" + VectorIndex.manifestName
        var waited = 0
        while !FileManager.default.fileExists(atPath: manifest), waited < 200 {
            #expect(try await service.nearest(to: question, limit: 3, scope: alice).count == 3)
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        #expect(FileManager.default.fileExists(atPath: manifest), "saved without a call to save()")
        running.cancel()
        _ = try? await running.value
        let reopened = try index(demo, directory: folder)
        #expect(await reopened.count == (await service.count), "the saved copy holds every passage")
    }

    @Test func aQuestionOfTheWrongShapeIsAClearError() async throws {
        let demo = try await DemoInstallation.make(embedder: try TestModel.memoized())
        let vectors = try index(demo)
        await #expect(throws: VectorIndexError.self) {
            try await vectors.nearest(to: [1, 2, 3], limit: 5, scope: alice)
        }
        var bad = [Float](repeating: 0.05, count: 384)
        bad[7] = .nan
        await #expect(throws: VectorIndexError.self) { try await vectors.nearest(to: bad, limit: 5, scope: alice) }
        #expect(try await vectors.nearest(to: [Float](repeating: 0.05, count: 384), limit: 0, scope: alice).isEmpty)
    }
}
