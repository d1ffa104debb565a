import QuarryCore
import Testing

struct SentenceSplitterTests {
    @Test func splitsOnTerminalPunctuation() {
        let sentences = SentenceSplitter.sentences(
            in: "Leave is 27 days. It renews in January! Does it roll over? Yes."
        )
        #expect(sentences == ["Leave is 27 days.", "It renews in January!", "Does it roll over?", "Yes."])
    }

    @Test func keepsAbbreviationsInitialsAndNumbersTogether() {
        let text = "Ask Dr. Patel, e.g. about the 3.5% rise. J. Smith approved it on 4 Apr. 2026 at 10 a.m. sharp."
        #expect(
            SentenceSplitter.sentences(in: text) == [
                "Ask Dr. Patel, e.g. about the 3.5% rise.",
                "J. Smith approved it on 4 Apr. 2026 at 10 a.m. sharp.",
            ]
        )
    }

    @Test func lineBreaksEndSentences() {
        let text = "Band: L4; GBP: £62,000\nBand: L5; GBP: £79,000\n\nA paragraph."
        #expect(
            SentenceSplitter.sentences(in: text) == [
                "Band: L4; GBP: £62,000", "Band: L5; GBP: £79,000", "A paragraph.",
            ]
        )
    }

    @Test func closingQuotesStayWithTheirSentence() {
        #expect(
            SentenceSplitter.sentences(in: "He said \"stop.\" Then he left.") == ["He said \"stop.\"", "Then he left."]
        )
    }

    @Test func rangesAreUnicodeScalarOffsets() {
        let text = "Zoë wrote this. Ωmega follows 🎉 here."
        let ranges = SentenceSplitter.sentenceRanges(in: text)
        let scalars = Array(text.unicodeScalars)
        let rebuilt = ranges.map { range in
            String(String.UnicodeScalarView(scalars[range.start..<range.end]))
        }
        #expect(rebuilt == ["Zoë wrote this.", "Ωmega follows 🎉 here."])
    }

    @Test(arguments: ["", "   \n\n  ", "...", "?!?!", String(repeating: "a", count: 100_000)])
    func oddInputGivesDefinedResults(text: String) {
        let ranges = SentenceSplitter.sentenceRanges(in: text)
        let count = text.unicodeScalars.count
        #expect(ranges.allSatisfy { $0.start < $0.end && $0.end <= count })
    }
}
