/// Corpus-wide term statistics used to weigh question words (rare words matter more).
///
/// Terms are stems as produced by ``TextAnalyzer/terms(in:)``.
public protocol TermStatistics: Sendable {
    /// The number of passages in the corpus and, for each given term, the number of passages containing it.
    func documentFrequencies(of terms: Set<String>) async throws -> (passageCount: Int, frequencies: [String: Int])
}
