public import QuarryCore

/// A passage found by vector search: its identifier and the cosine of its vector with the question's.
public struct PassageVectorHit: Sendable, Hashable {
    /// The passage's identifier in the store.
    public var passageID: Int64
    /// The dot product of the two unit vectors; higher is closer.
    public var score: Float

    /// Creates a hit.
    public init(passageID: Int64, score: Float) {
        self.passageID = passageID
        self.score = score
    }
}

/// Nearest passages to a vector among those one asker may read.
///
/// As for ``QuarryCore/Retriever``, the restriction to `scope` happens inside the search: a passage
/// outside it is never a candidate, so the `limit` best are the best readable ones.
public protocol PassageVectorSearch: Sendable {
    /// The model whose vectors are searched; a question must be embedded by the same model.
    var model: String { get }

    /// Up to `limit` passages readable within `scope`, closest first.
    func nearest(to vector: [Float], limit: Int, scope: AccessScope) async throws -> [PassageVectorHit]

    /// The vectors of those `passageIDs` readable within `scope` (others left out), to compare
    /// passages already found with each other.
    func vectors(of passageIDs: [Int64], scope: AccessScope) async throws -> [Int64: [Float]]
}
