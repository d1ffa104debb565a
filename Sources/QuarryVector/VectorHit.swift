/// One search result: a passage the asker may read and its similarity to the query.
public struct VectorHit: Hashable, Sendable {
    /// The passage's id in the store.
    public var passageID: Int64
    /// The passage's document.
    public var documentID: Int64
    /// The dot product of the passage's vector and the query (cosine for normalised vectors);
    /// higher is closer. Exact for flat and HNSW indexes and for int8 after re-ranking.
    public var score: Float

    /// A hit.
    public init(passageID: Int64, documentID: Int64, score: Float) {
        self.passageID = passageID
        self.documentID = documentID
        self.score = score
    }
}
