/// Writes an answer to a question from retrieved passages, citing them.
///
/// A generator sees only the passages it is given, which were retrieved for the asker; every
/// citation it returns must refer to one of them.
public protocol Generator: Sendable {
    /// Answers `question` from `passages` (best first).
    func answer(_ question: String, from passages: [RetrievedPassage]) async throws -> Answer
}
