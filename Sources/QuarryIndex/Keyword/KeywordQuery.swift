public import QuarryCore

/// Turns a question into a safe FTS5 query: its words, without stopwords, each quoted, joined by `OR`.
///
/// Quoting every token means no character of the question is ever read as FTS5 syntax, so a
/// question such as `NEAR("x") AND *` is searched for as words. The index's own tokenizer then
/// stems them. When a question is made only of stopwords, its words are searched as they are.
public struct KeywordQuery: Sendable, Hashable {
    /// The most words a query keeps; longer questions keep their first words.
    public static let maximumTerms = 32

    /// The words searched for, lowercase, in order, without repeats.
    public let words: [String]

    /// Analyses a question.
    public init(_ question: String) {
        let tokens = TextAnalyzer.tokens(in: question)
        let content = tokens.filter { !TextAnalyzer.isStopword($0) }
        var seen = Set<String>()
        var words: [String] = []
        for token in content.isEmpty ? tokens : content where token.count <= 64 && seen.insert(token).inserted {
            words.append(token)
            if words.count == Self.maximumTerms { break }
        }
        self.words = words
    }

    /// The FTS5 `MATCH` expression, or an empty string when the question has no words.
    public var expression: String {
        words.map { "\"\($0)\"" }.joined(separator: " OR ")
    }
}
