import Foundation
import Logging
import QuarryConnectors
import QuarryCore
import QuarryEmbed
import QuarryIngest
import QuarryStore
import QuarryTesting
import Testing

/// Syncs embed passages with the real model, once per distinct text: an unchanged source embeds
/// nothing, an edit embeds only what changed, and a failing model never costs indexed documents.
struct EmbeddingSyncTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    private func makeStore(_ directory: TemporaryDirectory, root: String) async throws -> Store {
        let store = try Store(directory: directory.file("data"))
        try await store.saveConnector(
            name: "docs",
            type: "filesystem",
            configuration: try ConnectorDefinition.filesystem(name: "docs", root: root).encodedJSON()
        )
        return store
    }

    @Test func aSecondSyncOfTheHandbookEmbedsNothing() async throws {
        let counting = CountingEmbedder(try TestModel.memoized())
        let demo = try await DemoInstallation.make(embedder: counting)
        let passageCount = try await demo.store.documents().reduce(0) { $0 + $1.passageCount }
        #expect(passageCount > 50)
        let first = counting.texts
        #expect(first.count == Set(first).count, "each distinct text is embedded once")
        #expect(first.count >= passageCount - 5, "every passage was embedded (a few may repeat a text)")
        #expect(try await demo.store.passagesAwaitingVectors(model: counting.model, limit: 10).isEmpty)
        #expect(try await demo.store.vectorModel()?.model == MiniLMEmbedder.modelName)

        counting.reset()
        let again = try await demo.sync()
        #expect(again.counts.unchanged == again.counts.seen)
        #expect(counting.texts.isEmpty, "an unchanged source embeds nothing")
        counting.reset()
        _ = try await demo.sync(mode: .full)
        #expect(counting.texts.isEmpty, "even a full re-index finds every text in the cache")
    }

    @Test func editingOneParagraphEmbedsOnlyThePassagesThatChanged() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("docs/.quarry-acl.json", #"{"readers": ["everyone"]}"#)
        let sections = (1...6).map { "## Section \($0)\n\nParagraph \($0) says something about topic \($0)." }
        try directory.write("docs/guide.md", "# Guide\n\n" + sections.joined(separator: "\n\n"))
        let store = try await makeStore(directory, root: directory.file("docs"))
        let counting = CountingEmbedder(try TestModel.memoized())
        let engine = SyncEngine(store: store, embedder: counting, logger: logger)
        _ = try await engine.sync(connectorName: "docs")
        #expect(counting.texts.count == 6)

        counting.reset()
        var edited = sections
        edited[3] = "## Section 4\n\nParagraph 4 now says the office moved to Leeds."
        try directory.write("docs/guide.md", "# Guide\n\n" + edited.joined(separator: "\n\n"))
        let run = try await engine.sync(connectorName: "docs")
        #expect(run.counts.updated == 1)
        #expect(counting.texts == ["Section 4\nParagraph 4 now says the office moved to Leeds."])
        #expect(try await store.passagesAwaitingVectors(model: counting.model, limit: 10).isEmpty)
    }

    @Test func aModelThatFailsKeepsTheIndexedVersionAndItsVectors() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("docs/.quarry-acl.json", #"{"readers": ["everyone"]}"#)
        try directory.write("docs/leave.md", "# Leave\n\nEmployees receive 27 days of annual leave.")
        let store = try await makeStore(directory, root: directory.file("docs"))
        let model = try TestModel.embedder()
        _ = try await SyncEngine(store: store, embedder: model, logger: logger).sync(connectorName: "docs")

        // The same model behind an endpoint that is down: a real client, a closed port.
        let remote = try RemoteEmbedder(
            configuration: RemoteEmbedderConfiguration(
                url: "http://127.0.0.1:9/v1",
                model: model.model,
                dimension: model.dimension,
                timeout: .seconds(2)
            ),
            logger: logger
        )
        try directory.write("docs/leave.md", "# Leave\n\nEmployees receive 30 days of annual leave.")
        let run = try await SyncEngine(store: store, embedder: remote, logger: logger).sync(connectorName: "docs")
        #expect(run.counts.failed == 1)
        let reason = try #require(run.failures.first?.reason)
        #expect(reason.contains("could not be embedded") && reason.contains("the indexed version was kept"))
        let everyone = AccessScope(userName: "carol", groups: [], isAdmin: false)
        let found = try await store.searchPassages(matching: "\"leave\"", scope: everyone, limit: 5)
        #expect(found.map(\.passage.text) == ["Employees receive 27 days of annual leave."])
        #expect(try await store.passagesAwaitingVectors(model: model.model, limit: 10).isEmpty)
    }

    @Test func theBackfillDescribesItselfWithoutItsEmbeddersSettings() async throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.path)
        let remote = try RemoteEmbedder(
            configuration: RemoteEmbedderConfiguration(
                url: "http://127.0.0.1:9/v1",
                model: "text-embedding-3-small",
                dimension: 1536,
                apiKey: "sk-live-do-not-log-me"
            ),
            logger: logger
        )
        // Service lifecycles log their services by description, at debug level.
        let text = String(describing: EmbeddingBackfill(store: store, embedder: remote, logger: logger))
        #expect(text == "EmbeddingBackfill(model: text-embedding-3-small)")
        let local = String(
            describing: EmbeddingBackfill(store: store, embedder: try TestModel.embedder(), logger: logger)
        )
        #expect(local.count < 100, "not the model's vocabulary")
    }

    @Test func anIndexMadeByOneModelRefusesAnother() async throws {
        let demo = try await DemoInstallation.make(indexCorpus: false)
        try await demo.store.bindVectorModel(MiniLMEmbedder.modelName, dimension: 384)
        let other = try RemoteEmbedder(
            configuration: RemoteEmbedderConfiguration(
                url: "http://127.0.0.1:9/v1",
                model: "text-embedding-3-small",
                dimension: 1536
            ),
            logger: logger
        )
        try await demo.store.saveConnector(
            name: "handbook",
            type: "filesystem",
            configuration: try ConnectorDefinition.filesystem(name: "handbook", root: demo.corpusPath).encodedJSON()
        )
        let error = await #expect(throws: StoreError.self) {
            try await SyncEngine(store: demo.store, embedder: other, logger: logger).sync(connectorName: "handbook")
        }
        let message = error.map(String.init(describing:)) ?? ""
        #expect(message.contains(MiniLMEmbedder.modelName) && message.contains("text-embedding-3-small"))
        #expect(try await demo.store.documents().isEmpty, "nothing was indexed with the wrong model")
    }

    @Test func theBackfillEmbedsWhatAKeywordOnlySyncLeftAndCompactionDropsUnusedVectors() async throws {
        let demo = try await DemoInstallation.make(copyCorpus: true)
        let model = try TestModel.embedder()
        let waiting = try await demo.store.passagesAwaitingVectors(model: model.model, limit: 10_000)
        #expect(waiting.count > 50)
        #expect(waiting.contains { $0.input.contains("Engineering salary bands\nLevel: L4") })

        let counting = CountingEmbedder(try TestModel.memoized())
        let backfill = EmbeddingBackfill(store: demo.store, embedder: counting, batchSize: 16, logger: logger)
        let progress = ProgressLog()
        let embedded = try await backfill.embedAwaiting { progress.record($0) }
        #expect(embedded == waiting.count)
        #expect(progress.values.first == 16 && progress.values.last == embedded)
        #expect(try await demo.store.passagesAwaitingVectors(model: model.model, limit: 10).isEmpty)
        #expect(try await backfill.embedAwaiting() == 0)

        let before = try await demo.store.cachedVectorCount(model: model.model)
        try FileManager.default.removeItem(atPath: demo.corpusPath + "/hr/salary-bands.md")
        let run = try await SyncEngine(store: demo.store, embedder: model, logger: logger)
            .sync(connectorName: "handbook")
        #expect(run.counts.deleted == 1)
        let after = try await demo.store.cachedVectorCount(model: model.model)
        #expect(after < before, "the deleted document's vectors were compacted away")
        #expect(try await demo.store.passagesAwaitingVectors(model: model.model, limit: 10).isEmpty)
    }
}

/// Progress values reported by a backfill.
final class ProgressLog: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var recorded: [Int] = []

    func record(_ value: Int) {
        lock.lock()
        defer { lock.unlock() }
        recorded.append(value)
    }

    var values: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }
}
