import Foundation
import QuarryAnswer
import QuarryCore
import Testing

struct ExtractiveGeneratorTests {
    /// Builds a retrieved passage whose document text is the passage text placed at `offset`.
    private func passage(
        _ id: Int64,
        document: Int64,
        title: String,
        heading: [String] = [],
        _ text: String,
        offset: Int = 0,
        score: Double = 1
    ) -> RetrievedPassage {
        RetrievedPassage(
            passageID: id,
            documentID: document,
            documentTitle: title,
            documentURI: "file:///\(document).md",
            passage: Passage(
                ordinal: 0,
                text: text,
                headingPath: heading,
                range: TextRange(start: offset, end: offset + text.unicodeScalars.count)
            ),
            score: score
        )
    }

    /// Term statistics from a fixed table, as the store would give them for one scope.
    struct FixedStatistics: TermStatistics {
        let count: Int
        let frequencies: [String: Int]
        func documentFrequencies(
            of words: Set<String>,
            scope: AccessScope
        ) async throws -> (
            passageCount: Int, frequencies: [String: Int]
        ) {
            (count, frequencies.filter { words.contains($0.key) })
        }
    }

    let scope = AccessScope(userName: "carol", groups: [], isAdmin: false)

    @Test func quotesTheSentenceThatAnswersAndCitesIt() async throws {
        let leave = passage(
            7,
            document: 70,
            title: "Paid time off",
            heading: ["United Kingdom"],
            "Leave requests go through Leavely. Full-time employees receive 27 days of paid annual leave per year, plus public holidays. Managers approve requests within a week.",
            offset: 120,
            score: 9
        )
        let expenses = passage(
            8,
            document: 80,
            title: "Expenses",
            "Receipts must be submitted within 30 days.",
            score: 2
        )
        let answer = try await ExtractiveGenerator().answer(
            "How many days of annual leave do I get?",
            from: [leave, expenses],
            scope: scope
        )

        #expect(answer.isAnswered)
        #expect(
            answer.text.hasPrefix(
                "Full-time employees receive 27 days of paid annual leave per year, plus public holidays [1]."
            )
        )
        let citation = try #require(answer.citations.first)
        #expect(citation.number == 1)
        #expect(citation.passageID == 7)
        #expect(citation.documentID == 70)
        #expect(citation.title == "Paid time off")
        #expect(citation.heading == "United Kingdom")
        #expect(
            citation.snippet
                == "Full-time employees receive 27 days of paid annual leave per year, plus public holidays."
        )
        // The offsets locate the snippet in the document's text.
        let sentenceStart = "Leave requests go through Leavely. ".unicodeScalars.count
        #expect(citation.start == 120 + sentenceStart)
        #expect(citation.end == citation.start + citation.snippet.unicodeScalars.count)
    }

    @Test func theStreamCutsTheAnswerIntoPiecesWhereverTheyFall() async throws {
        let contact = passage(
            9,
            document: 90,
            title: "Benefits",
            "Questions about your own pay go to people@northwind-robotics.example within two days.",
            score: 5
        )
        let question = "Where do questions about my own pay go?"
        let whole = try await ExtractiveGenerator().answer(question, from: [contact], scope: scope)
        var pieces: [String] = []
        var last: Answer?
        for try await output in ExtractiveGenerator().answerStream(question, from: [contact], scope: scope) {
            switch output {
            case .text(let piece): pieces.append(piece)
            case .answer(let answer): last = answer
            }
        }
        #expect(whole.isAnswered)
        #expect(last == whole, "the stream ends with the whole answer")
        #expect(pieces.joined() == whole.text)
        #expect(pieces.dropLast().allSatisfy { $0.unicodeScalars.count == GeneratorOutput.defaultPieceLength })
        // Pieces fall anywhere, as tokens do: the address is cut (what the chat stream's redactor is for).
        #expect(whole.text.contains("people@northwind-robotics.example"))
        #expect(!pieces.contains { $0.contains("people@northwind-robotics.example") })
    }

    @Test func everyMarkerHasACitationAndEveryCitationAMarker() async throws {
        let passages = [
            passage(
                1,
                document: 10,
                title: "On-call",
                heading: ["Severity"],
                "A SEV1 page must be acknowledged within 5 minutes. A SEV2 page must be acknowledged within 15 minutes.",
                score: 5
            ),
            passage(
                2,
                document: 11,
                title: "Runbook",
                "Acknowledge every page in PagerBell; an unacknowledged SEV1 page escalates after 5 minutes.",
                score: 4
            ),
        ]
        let answer = try await ExtractiveGenerator().answer(
            "When must a SEV1 page be acknowledged?",
            from: passages,
            scope: scope
        )
        let markers = Set(answer.text.matches(of: /\[(\d+)\]/).map { Int($0.output.1)! })
        #expect(markers == Set(answer.citations.map(\.number)))
        #expect(answer.citations.map(\.number) == Array(1...answer.citations.count))
        #expect(Set(answer.citations.map(\.passageID)).isSubset(of: [1, 2]))
    }

    @Test func saysSoWhenNothingIsRelevant() async throws {
        let passages = [
            passage(1, document: 1, title: "Office guide", "The Leeds office has bike storage for 40 bikes.")
        ]
        #expect(
            try await ExtractiveGenerator().answer("What is the weather on Mars?", from: passages, scope: scope)
                == .notFound
        )
        #expect(try await ExtractiveGenerator().answer("What is the salary band?", from: [], scope: scope) == .notFound)
        #expect(try await ExtractiveGenerator().answer("What is it?", from: passages, scope: scope) == .notFound)
    }

    @Test func rareWordsDecideWhatIsRelevant() async throws {
        // "policy" is everywhere, "kestrel" almost nowhere: a sentence about policy alone is not an answer.
        let statistics = FixedStatistics(count: 1000, frequencies: ["policy": 600, "kestrel": 2])
        let passages = [
            passage(1, document: 1, title: "Travel", "This policy applies to every trip you take for work.")
        ]
        let generator = ExtractiveGenerator(statistics: statistics)
        #expect(try await generator.answer("What is the Kestrel policy?", from: passages, scope: scope) == .notFound)
        // Without statistics both words weigh the same, so half the question is covered.
        #expect(
            try await ExtractiveGenerator().answer("What is the Kestrel policy?", from: passages, scope: scope)
                .isAnswered
        )
    }

    @Test func tableRowsAreAnsweredWithTheirHeadingAsContext() async throws {
        let rows = passage(
            3,
            document: 30,
            title: "Salary bands",
            heading: ["Engineering salary bands"],
            "Level: L3; GBP range: £48,000 – £61,000\n\nLevel: L4; GBP range: £62,000 – £78,000\n\nLevel: L5; GBP range: £79,000 – £95,000"
        )
        let answer = try await ExtractiveGenerator().answer("What is the L4 salary band?", from: [rows], scope: scope)
        #expect(answer.text.hasPrefix("Level: L4; GBP range: £62,000 – £78,000 [1]."))
    }

    @Test func overlappingPassagesDoNotRepeatASentence() async throws {
        let sentence = "Receipts must be submitted in Expensely within 30 days of purchase."
        let passages = [
            passage(1, document: 5, title: "Expenses", "Use the company card. " + sentence, score: 3),
            passage(
                2,
                document: 5,
                title: "Expenses",
                sentence + " Late receipts need approval.",
                offset: 22,
                score: 2
            ),
        ]
        let answer = try await ExtractiveGenerator().answer(
            "When must receipts be submitted?",
            from: passages,
            scope: scope
        )
        #expect(answer.text.components(separatedBy: "within 30 days of purchase").count == 2)
    }
}
