/// Finds the passages that best answer a question among those one asker may read.
///
/// Implementations must restrict the search itself to ``AccessScope``: a passage outside the
/// scope may never be visited as a candidate, so that a top-k is never filtered afterwards.
public protocol Retriever: Sendable {
    /// Returns up to `limit` passages readable within `scope`, best first.
    func retrieve(_ question: String, limit: Int, scope: AccessScope) async throws -> [RetrievedPassage]
}
