/// One passage's vector with what the index needs to restrict searches: its document and readers.
public struct VectorRecord: Hashable, Sendable {
    /// The passage's id in the store; unique in the index (inserting it again replaces it).
    public var passageID: Int64
    /// The id of the passage's document; readers are per document.
    public var documentID: Int64
    /// The document's readers as principal keys (`everyone`, `user:NAME`, `group:NAME`), as
    /// ``QuarryCore/Principal/key`` writes them. No readers: only admins may find the passage.
    public var readers: [String]
    /// The embedding, of the index's dimension, finite; searches score by dot product, so
    /// L2-normalised vectors give cosine similarity.
    public var vector: [Float]

    /// A record.
    public init(passageID: Int64, documentID: Int64, readers: [String], vector: [Float]) {
        self.passageID = passageID
        self.documentID = documentID
        self.readers = readers
        self.vector = vector
    }
}
