/// Writes an answer to a question from retrieved passages, citing them.
///
/// A generator sees only the passages it is given, which were retrieved for the asker; every
/// citation it returns must refer to one of them. Anything else it consults (term statistics,
/// conversation memory) must be restricted to `scope` as well.
public protocol Generator: Sendable {
    /// Answers `question` from `passages` (best first), for an asker whose access is `scope`.
    func answer(_ question: String, from passages: [RetrievedPassage], scope: AccessScope) async throws -> Answer
}
