import Foundation
import QuarryCore
import QuarryEmbed
import QuarryStore
import QuarryTesting
import Testing

/// Texts are embedded once per model: the cache lives in the store, survives a restart, and
/// never hands one model's vectors to another.
struct CachingEmbedderTests {
    static let passages = [
        "Full-time employees receive 27 days of paid annual leave per year.",
        "Expense claims over £500 need a director's approval.",
        "Full-time employees receive 27 days of paid annual leave per year.",
        "The office in Leeds opens at 8:30.",
    ]

    @Test func aSecondPassOverTheSameTextsEmbedsNothing() async throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.path)
        let counting = CountingEmbedder(try TestModel.embedder())
        let embedder = CachingEmbedder(counting, cache: store)

        let first = try await embedder.embed(Self.passages)
        #expect(counting.texts.count == 3, "the repeated passage is embedded once")
        #expect(first[0] == first[2])
        #expect(try await store.cachedVectorCount(model: MiniLMEmbedder.modelName) == 3)

        let again = try await embedder.embed(Self.passages.reversed())
        #expect(counting.texts.count == 3, "nothing new to embed")
        #expect(again == first.reversed())

        let changed = try await embedder.embed([Self.passages[1], "The office in Leeds opens at 9:00."])
        #expect(counting.texts.last == "The office in Leeds opens at 9:00.")
        #expect(counting.texts.count == 4)
        let direct = try await TestModel.embedder().embed(["The office in Leeds opens at 9:00."])[0]
        #expect(cosine(changed[1], direct) > 0.99999)
    }

    @Test func theCacheSurvivesReopeningTheStoreAndIsKeptPerModel() async throws {
        let directory = try TemporaryDirectory()
        let vector: [Float] = [0.6, 0, 0.8]
        let hash = CachingEmbedder<MiniLMEmbedder>.hash(of: "text")
        #expect(hash == "982d9e3eb996f559e633f4d194def3761d909f5a3b647d1a851fead67c32c9d1")
        do {
            let store = try Store(directory: directory.path)
            try await store.storeVectors([hash: vector], model: "model-a")
        }
        let reopened = try Store(directory: directory.path)
        #expect(try await reopened.cachedVectors(for: [hash, "other"], model: "model-a") == [hash: vector])
        #expect(try await reopened.cachedVectors(for: [hash], model: "model-b").isEmpty)
    }
}
