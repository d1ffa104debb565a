import QuarryCore
import Testing

struct TextAnalyzerTests {
    @Test func tokensAreLowercasedWithoutDiacritics() {
        #expect(
            TextAnalyzer.tokens(in: "Café OWNERS' naïve co-op, Zoë's 2026 plan!") == [
                "cafe", "owners", "naive", "co", "op", "zoe", "s", "2026", "plan",
            ]
        )
    }

    @Test func termsDropStopwordsAndStem() {
        #expect(TextAnalyzer.terms(in: "What are the salary bands for engineers?") == ["salari", "band", "engin"])
    }

    @Test func cjkAndEmojiDoNotCrash() {
        #expect(TextAnalyzer.tokens(in: "東京の会議 🎉 ok") == ["東京の会議", "ok"])
    }
}
