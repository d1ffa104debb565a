/// Term statistics used to weigh question words (rarer words matter more).
///
/// Counts are taken only over passages the asker may read, so that what restricted documents
/// contain can never change how a question is weighed, or whether it is answered.
public protocol TermStatistics: Sendable {
    /// The number of passages in the corpus and, for each word, the number of passages readable
    /// within `scope` that contain it (as the keyword index tokenizes and stems it).
    ///
    /// - Parameter words: lowercase tokens as produced by ``TextAnalyzer/tokens(in:)``.
    func documentFrequencies(
        of words: Set<String>,
        scope: AccessScope
    ) async throws -> (
        passageCount: Int, frequencies: [String: Int]
    )
}
