import QuarryGuardrails
import Testing

/// What an admin checks: listed words are caught however they are disguised, and only as whole words.
struct WordFilterTests {
    let filter = WordFilter(words: ["project nightingale", "ass", "shit"], profanity: false)

    func terms(_ text: String) -> [String] {
        filter.matches(in: text).map { "\($0.term)=\(slice(text, $0.start, $0.end))" }
    }

    @Test func caseInsensitiveWholeWordsAndPhrases() {
        #expect(terms("Is PROJECT   Nightingale public?") == ["project nightingale=PROJECT   Nightingale"])
        #expect(terms("The class passed the assessment.").isEmpty)
        #expect(terms("He said ASS!") == ["ass=ASS"])
    }

    @Test func obfuscationIsSeenThrough() {
        #expect(terms("what a load of sh1t") == ["shit=sh1t"])
        #expect(terms("$hit happens") == ["shit=$hit"])
        #expect(terms("s h i t") == ["shit=s h i t"])
        #expect(terms("s.h.i.t") == ["shit=s.h.i.t"])
        #expect(terms("shiiiiit") == ["shit=shiiiiit"])
        #expect(terms("a55") == ["ass=a55"])
    }

    @Test func repeatedLettersNeverShortenAWord() {
        #expect(terms("as far as I know").isEmpty)
        #expect(terms("The room costs $100 and 55 people came").isEmpty)
    }

    @Test func builtInProfanityList() {
        let profanity = WordFilter(words: [], profanity: true)
        #expect(profanity.matches(in: "what the fuuuck").map(\.list) == ["profanity"])
        #expect(
            profanity.matches(in: "Kill the process, then check the hell out of the sexual harassment policy.").isEmpty
        )
        #expect(WordFilter.profanity.count > 500)
    }
}
