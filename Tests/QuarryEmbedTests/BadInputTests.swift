import Foundation
import QuarryCore
import QuarryEmbed
import QuarryTesting
import Testing

/// Inputs a sync will meet sooner or later: each gets a defined result, none crashes.
struct BadInputTests {
    @Test func emptyAndBlankTextsAreJustClassifierAndSeparator() async throws {
        let embedder = try TestModel.embedder()
        for text in ["", "   ", "\n\t\r", "\u{0}\u{7}\u{1B}\u{200B}"] {
            #expect(embedder.tokenize(text) == [101, 102], "tokens of \(text.debugDescription)")
        }
        let vectors = try await embedder.embed(["", "   "])
        #expect(vectors[0] == vectors[1])
        #expect(abs(vectors[0].reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
    }

    @Test func aHundredThousandCharacterPassageIsCutAt256Tokens() async throws {
        let embedder = try TestModel.embedder()
        let sentence = "The warehouse in Leeds ships orders before noon on weekdays. "
        let passage = String(String(repeating: sentence, count: 100_000 / sentence.count + 1).prefix(100_000))
        #expect(passage.count == 100_000)
        let tokens = embedder.tokenize(passage)
        #expect(tokens.count == 256)
        #expect(tokens.first == 101)
        #expect(tokens.last == 102)
        #expect(Array(tokens.prefix(12)) == embedder.tokenize(sentence).dropLast())
        let vector = try await embedder.embed(passage)
        #expect(vector.count == 384)
        let start = try await embedder.embed(String(repeating: sentence, count: 30))
        #expect(cosine(vector, start) > 0.9999)
    }

    @Test func invalidUTF8IsReadWithReplacementsThatTheCleaningDrops() throws {
        let embedder = try TestModel.embedder()
        let bytes = Data([0x61, 0x62, 0xFF, 0x63, 0x20, 0xC3, 0x28, 0x20, 0xE2, 0x82]) + Data("end".utf8)
        let tokens = embedder.tokenizer.encode(utf8: bytes)
        #expect(tokens == embedder.tokenize("abc ( end"))
    }

    @Test func controlCharactersAreDroppedAndWhitespaceSeparates() throws {
        let embedder = try TestModel.embedder()
        #expect(embedder.tokenize("an\u{0}nual\u{7} leave") == embedder.tokenize("annual leave"))
        #expect(embedder.tokenize("annual\u{2028}leave\u{A0}days") == embedder.tokenize("annual leave days"))
    }

    @Test func punctuationOnlyTextIsOneTokenPerMark() async throws {
        let embedder = try TestModel.embedder()
        let tokens = embedder.tokenize("?!…«»")
        #expect(tokens.count == 7)
        #expect(!tokens.contains(100), "every mark is in the vocabulary")
        let vector = try await embedder.embed("?!…«»")
        #expect(vector.allSatisfy { $0.isFinite })
    }

    @Test func aWordOfMoreThanAHundredCharactersIsUnknown() throws {
        let embedder = try TestModel.embedder()
        #expect(embedder.tokenize(String(repeating: "a", count: 100)) != [101, 100, 102])
        #expect(embedder.tokenize(String(repeating: "a", count: 101)) == [101, 100, 102])
    }

    @Test func tokenIDsFromOutsideTheVocabularyBecomeUnknown() async throws {
        let embedder = try TestModel.embedder()
        let vectors = await embedder.embed(tokens: [[101, 999_999, -5, 102], [101, 100, 100, 102], []])
        #expect(vectors[0] == vectors[1])
        #expect(vectors[2] == [Float](repeating: 0, count: 384))
    }
}
