import Foundation

/// Scores a text per content category, offline and in-process.
///
/// Each category sums the weights of the lexicon entries and patterns it finds
/// (``ContentLexicon``) into `1 − e^(−Σ w)`. A filter fires when the score reaches its strength's
/// threshold (``FilterStrength/threshold``).
public struct ContentScorer: Sendable {
    /// A category's score with where its strongest evidence is.
    public struct Score: Sendable, Hashable {
        /// The category.
        public var category: ContentCategory
        /// 0…1.
        public var score: Double
        /// The scalar spans of the evidence, in order.
        public var spans: [Range<Int>]
    }

    private let matchers: [ContentCategory: (PhraseMatcher, [Double])]
    private let patterns: [ContentCategory: [(SharedRegex, Double)]]

    /// The scorer with the built-in lexicons.
    public init() {
        var matchers: [ContentCategory: (PhraseMatcher, [Double])] = [:]
        for (category, terms) in ContentLexicon.terms {
            matchers[category] = (PhraseMatcher(terms.map(\.0)), terms.map(\.1))
        }
        var patterns: [ContentCategory: [(SharedRegex, Double)]] = [:]
        for (category, list) in ContentLexicon.patterns {
            patterns[category] = list.map { (SharedRegex($0.0, caseInsensitive: true), $0.1) }
        }
        self.matchers = matchers
        self.patterns = patterns
    }

    /// Scores for the requested categories (only those with some evidence).
    public func scores(_ text: String, categories: Set<ContentCategory> = Set(ContentCategory.allCases)) -> [Score] {
        guard !text.isEmpty else { return [] }
        let tokens = ObfuscatedToken.tokens(of: text)
        var scanned: ScannedText?
        var result: [Score] = []
        for category in ContentCategory.allCases where categories.contains(category) {
            var total = 0.0
            var spans: [Range<Int>] = []
            if let (matcher, weights) = matchers[category] {
                var seen: Set<Int> = []
                for match in matcher.matches(in: tokens) {
                    total += seen.insert(match.entry).inserted ? weights[match.entry] : weights[match.entry] * 0.25
                    spans.append(match.start..<match.end)
                }
            }
            for (regex, weight) in patterns[category] ?? [] {
                if scanned == nil { scanned = ScannedText(text) }
                let matches = scanned!.matches(regex.regex)
                if let first = matches.first {
                    total += weight
                    spans.append(scanned!.scalarRange(first.range))
                }
            }
            guard total > 0 else { continue }
            result.append(
                Score(category: category, score: 1 - exp(-total), spans: spans.sorted { $0.lowerBound < $1.lowerBound })
            )
        }
        return result
    }
}
