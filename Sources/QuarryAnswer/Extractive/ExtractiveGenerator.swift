import Foundation
public import QuarryCore

/// Answers by quoting the sentences of the retrieved passages that best cover the question.
///
/// Each sentence of the best passages is scored by how much of the question it covers: the
/// question's terms (stems, without stopwords) found in the sentence, weighted by rarity in the
/// corpus, plus half weight for terms found only in the passage's headings or document title.
/// The best sentence must cover at least ``Configuration/minimumCoverage`` of the question, or
/// the answer is ``QuarryCore/Answer/notFound``. Up to ``Configuration/maximumSentences`` sentences
/// are quoted, each followed by its citation marker.
public struct ExtractiveGenerator: Generator {
    /// Tuning of the sentence selection.
    public struct Configuration: Sendable, Hashable {
        /// How many of the best passages are read.
        public var passagesConsidered = 8
        /// The most sentences quoted.
        public var maximumSentences = 3
        /// The answer's approximate maximum length in characters.
        public var maximumCharacters = 700
        /// The share of the question (weighted) that the best sentence must cover to answer at all.
        public var minimumCoverage = 0.5

        /// The defaults.
        public init() {}
    }

    private let configuration: Configuration
    private let statistics: (any TermStatistics)?

    /// Creates a generator.
    ///
    /// - Parameters:
    ///   - statistics: corpus term frequencies for weighting question words; without them every word weighs the same.
    public init(configuration: Configuration = .init(), statistics: (any TermStatistics)? = nil) {
        self.configuration = configuration
        self.statistics = statistics
    }

    /// Quotes the passages; `answerScope` changes nothing (quotes are always from documents).
    public func answer(
        _ question: String,
        from passages: [RetrievedPassage],
        scope: AccessScope,
        answerScope: AnswerScope
    ) async throws
        -> Answer
    {
        let questionWords = TextAnalyzer.tokens(in: question).filter { !TextAnalyzer.isStopword($0) }
        let questionTerms = Set(questionWords.map(PorterStemmer.stem))
        guard !questionTerms.isEmpty, !passages.isEmpty else { return .notFound }
        let weights = try await termWeights(Set(questionWords), scope: scope)
        let totalWeight = questionTerms.reduce(0) { $0 + weights[$1, default: 1] }

        let considered = Array(passages.prefix(configuration.passagesConsidered))
        let bestScore = considered.map(\.score).max() ?? 1
        var candidates: [Candidate] = []
        for (rank, retrieved) in considered.enumerated() {
            let contextTerms = Set(
                TextAnalyzer.terms(
                    in: retrieved.documentTitle + " " + retrieved.passage.headingPath.joined(separator: " ")
                )
            )
            let text = retrieved.passage.text
            let scalars = Array(text.unicodeScalars)
            for (position, range) in SentenceSplitter.sentenceRanges(in: text).enumerated() {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[range.start..<range.end])
                let sentence = String(view)
                let tokens = TextAnalyzer.tokens(in: sentence)
                // Too short to answer anything, or a lead-in whose content is in the list that follows.
                guard tokens.count >= 3, !sentence.hasSuffix(":") else { continue }
                // A table row ("Level: L4; GBP range: ...") means little without its table's heading,
                // so the heading's words count almost fully for it; for prose they count half. A row
                // whose first value is a question word ("L4") is the row the question is about.
                let isTableRow = sentence.contains(": ") && sentence.contains("; ")
                let contextWeight = isTableRow ? 0.8 : 0.5
                // Other rows are less self-explanatory than prose that covers the question as well.
                let keyBonus = isTableRow ? (Self.firstCellMatches(sentence, questionTerms) ? 0.25 : -0.1) : 0
                let sentenceTerms = Set(tokens.filter { !TextAnalyzer.isStopword($0) }.map(PorterStemmer.stem))
                let matched = questionTerms.intersection(sentenceTerms)
                guard !matched.isEmpty else { continue }
                let fromContext = questionTerms.intersection(contextTerms).subtracting(matched)
                let covered =
                    matched.reduce(0) { $0 + weights[$1, default: 1] }
                    + contextWeight * fromContext.reduce(0) { $0 + weights[$1, default: 1] }
                let coverage = covered / totalWeight
                let relevance = bestScore > 0 ? max(0, retrieved.score) / bestScore : 0
                candidates.append(
                    Candidate(
                        passageRank: rank,
                        position: position,
                        sentence: sentence,
                        range: TextRange(
                            start: retrieved.passage.range.start + range.start,
                            end: retrieved.passage.range.start + range.end
                        ),
                        tokens: Set(tokens),
                        matched: matched,
                        coverage: coverage,
                        score: coverage + keyBonus + 0.3 * relevance - 0.01 * Double(position)
                    )
                )
            }
        }

        let ranked = candidates.sorted { $0.score > $1.score }
        guard let best = ranked.first, best.coverage >= configuration.minimumCoverage else { return .notFound }
        let selected = select(from: ranked, best: best)
        return compose(selected, passages: considered)
    }

    private struct Candidate {
        var passageRank: Int
        var position: Int
        var sentence: String
        var range: TextRange
        var tokens: Set<String>
        var matched: Set<String>
        var coverage: Double
        var score: Double
    }

    /// Whether the first cell of a rendered table row (`Level: L4; ...`) holds a question term.
    private static func firstCellMatches(_ row: String, _ questionTerms: Set<String>) -> Bool {
        guard let cell = row.split(separator: ";", maxSplits: 1).first,
            let colon = cell.firstIndex(of: ":")
        else { return false }
        return !questionTerms.isDisjoint(with: TextAnalyzer.terms(in: cell[cell.index(after: colon)...]))
    }

    /// Rarer words weigh more: BM25's inverse document frequency, counted over what the asker
    /// may read, keyed by stem; without statistics every word weighs 1.
    private func termWeights(_ words: Set<String>, scope: AccessScope) async throws -> [String: Double] {
        guard let statistics else { return [:] }
        let (count, frequencies) = try await statistics.documentFrequencies(of: words, scope: scope)
        let total = Double(max(count, 1))
        var weights: [String: Double] = [:]
        for word in words {
            let frequency = Double(frequencies[word, default: 0])
            let weight = log(1 + (total - frequency + 0.5) / (frequency + 0.5))
            let stem = PorterStemmer.stem(word)
            weights[stem] = max(weights[stem] ?? 0, weight)
        }
        return weights
    }

    /// The best sentence, then others that are nearly as good or add question words, without near-duplicates.
    private func select(from ranked: [Candidate], best: Candidate) -> [Candidate] {
        var selected = [best]
        var covered = best.matched
        var length = best.sentence.count
        for candidate in ranked.dropFirst() {
            guard selected.count < configuration.maximumSentences else { break }
            guard candidate.coverage >= 0.6 * best.coverage else { continue }
            guard length + candidate.sentence.count <= configuration.maximumCharacters else { continue }
            let isDuplicate = selected.contains { chosen in
                chosen.range == candidate.range || similarity(chosen.tokens, candidate.tokens) > 0.8
            }
            guard !isDuplicate else { continue }
            let addsWords = !candidate.matched.isSubset(of: covered)
            let isStrong = candidate.coverage >= 0.85 * best.coverage
            guard addsWords || isStrong else { continue }
            selected.append(candidate)
            covered.formUnion(candidate.matched)
            length += candidate.sentence.count
        }
        // Passages in the order of their best sentence; sentences of one passage in reading order.
        var bestInPassage: [Int: Double] = [:]
        for candidate in selected {
            bestInPassage[candidate.passageRank] = max(
                bestInPassage[candidate.passageRank] ?? -.infinity,
                candidate.score
            )
        }
        return selected.sorted { a, b in
            if a.passageRank == b.passageRank { return a.range.start < b.range.start }
            return bestInPassage[a.passageRank]! > bestInPassage[b.passageRank]!
        }
    }

    /// How much the shorter sentence is repeated by the other (overlap coefficient of their words):
    /// a sentence quoted again inside a longer one counts as a repeat.
    private func similarity(_ a: Set<String>, _ b: Set<String>) -> Double {
        let smaller = min(a.count, b.count)
        return smaller == 0 ? 1 : Double(a.intersection(b).count) / Double(smaller)
    }

    /// Writes the sentences with their markers, one citation per cited passage.
    private func compose(_ sentences: [Candidate], passages: [RetrievedPassage]) -> Answer {
        var numbers: [Int: Int] = [:]  // passage rank → citation number
        var citedSentences: [Int: [Candidate]] = [:]
        var parts: [String] = []
        for sentence in sentences {
            let number: Int
            if let existing = numbers[sentence.passageRank] {
                number = existing
            } else {
                number = numbers.count + 1
                numbers[sentence.passageRank] = number
            }
            citedSentences[sentence.passageRank, default: []].append(sentence)
            parts.append(Self.marked(sentence.sentence, number: number))
        }
        let citations = numbers.sorted { $0.value < $1.value }.map { rank, number in
            let retrieved = passages[rank]
            let cited = citedSentences[rank]!.sorted { $0.range.start < $1.range.start }
            return Citation(
                number: number,
                of: retrieved,
                snippet: cited.map(\.sentence).joined(separator: " … "),
                start: cited.first!.range.start,
                end: cited.last!.range.end
            )
        }
        return Answer(text: parts.joined(separator: " "), citations: citations, isAnswered: true)
    }

    /// `Text ends here [1].` — the marker goes before a final full stop; a sentence without
    /// terminal punctuation (a table row, a list item) gets one after its marker.
    static func marked(_ sentence: String, number: Int) -> String {
        if sentence.hasSuffix("."), !sentence.hasSuffix("..") {
            return String(sentence.dropLast()) + " [\(number)]."
        }
        if let last = sentence.last, "!?…\"'”)".contains(last) {
            return sentence + " [\(number)]"
        }
        return sentence + " [\(number)]."
    }
}
