import QuarryCore
import QuarryEmbed
import QuarryTesting
import Testing

/// What a user of semantic search checks: related texts are closer than unrelated ones, and
/// every vector is a unit vector of the model's dimension.
struct SemanticTests {
    @Test func paraphrasesAreCloserThanUnrelatedSentences() async throws {
        let embedder = try TestModel.embedder()
        let vectors = try await embedder.embed([
            "How many days of annual leave do I get?",
            "Full-time employees receive 27 days of paid holiday per year.",
            "The build server compiles the firmware every night.",
        ])
        #expect(cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2]) + 0.2)
    }

    @Test func vectorsAreUnitLength() async throws {
        let embedder = try TestModel.embedder()
        #expect(embedder.model == "sentence-transformers/all-MiniLM-L6-v2")
        #expect(embedder.dimension == 384)
        for vector in try await embedder.embed(["one", "two words", String(repeating: "long text ", count: 300)]) {
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(vector.count == 384)
            #expect(abs(norm - 1) < 1e-5)
        }
    }

    @Test func concurrentCallersEachGetTheirOwnVectors() async throws {
        let embedder = try TestModel.embedder()
        let texts = (0..<8).map { "Question number \($0) about the travel policy" }
        let expected = try await embedder.embed(texts)
        try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
            for (index, text) in texts.enumerated() {
                group.addTask { (index, try await embedder.embed(text)) }
            }
            for try await (index, vector) in group {
                #expect(cosine(vector, expected[index]) > 0.99999)
            }
        }
    }

    @Test func emptyInputGivesNoVectors() async throws {
        #expect(try await TestModel.embedder().embed([String]()).isEmpty)
    }
}
