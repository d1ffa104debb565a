import Foundation
import QuarryCore
import QuarryEmbed
import QuarryTesting
import Testing

/// Quarry's tokenizer and encoder against the reference (Hugging Face `tokenizers` and
/// onnxruntime on the same weights), over the texts of the committed fixture.
struct ReferenceParityTests {
    @Test func fixtureCoversWhatTheIssueAsksFor() throws {
        let fixture = try ReferenceFixture.load()
        #expect(fixture.model == MiniLMEmbedder.modelName)
        #expect(fixture.cases.count >= 30)
        #expect(fixture.cases.contains { $0.ids.count == 256 }, "a text longer than 256 tokens")
        #expect(fixture.cases.contains { $0.utf8_hex != nil }, "invalid UTF-8")
        #expect(fixture.cases.contains { $0.text == "" }, "the empty string")
    }

    @Test func tokenIDsAreIdenticalToTheReference() throws {
        let embedder = try TestModel.embedder()
        for reference in try ReferenceFixture.load().cases {
            let ids =
                reference.text.map(embedder.tokenize) ?? embedder.tokenizer.encode(utf8: reference.bytes)
            #expect(ids == reference.ids, "tokens of \(reference.label)")
        }
    }

    @Test func vectorsMatchTheReferenceEmbeddedInOneBatch() async throws {
        let embedder = try TestModel.embedder()
        let cases = try ReferenceFixture.load().cases
        let texts = cases.map { String(decoding: $0.bytes, as: UTF8.self) }
        let vectors = try await embedder.embed(texts)
        #expect(vectors.count == cases.count)
        var worst: Float = 1
        for (reference, vector) in zip(cases, vectors) {
            #expect(vector.count == 384)
            let similarity = cosine(vector, reference.vector)
            worst = min(worst, similarity)
            #expect(similarity >= 0.999, "cosine \(similarity) for \(reference.label)")
            let largest = zip(vector, reference.vector).map { abs($0 - $1) }.max() ?? 0
            #expect(largest < 1e-3, "largest difference \(largest) for \(reference.label)")
        }
        print("parity: lowest cosine to onnxruntime over \(cases.count) texts: \(worst)")
    }

    @Test func aTextGetsTheSameVectorAloneAsInABatchOfLongerTexts() async throws {
        let embedder = try TestModel.embedder()
        let cases = try ReferenceFixture.load().cases
        let short = "How many days of annual leave do I get?"
        let batch = [short] + cases.compactMap(\.text).filter { $0.count > 200 }
        let together = try await embedder.embed(batch)[0]
        let alone = try await embedder.embed(short)
        #expect(cosine(together, alone) > 0.99999)
    }
}
