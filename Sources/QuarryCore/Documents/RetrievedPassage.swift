/// A passage returned by a ``Retriever`` for one asker, with what is needed to cite it.
public struct RetrievedPassage: Sendable, Hashable {
    /// The passage's identifier in the store.
    public var passageID: Int64
    /// The identifier of the document it belongs to.
    public var documentID: Int64
    /// The document's title.
    public var documentTitle: String
    /// Where the original document can be opened.
    public var documentURI: String
    /// The passage itself.
    public var passage: Passage
    /// The retriever's relevance score; higher is better. Comparable only within one retrieval.
    public var score: Double

    /// Creates a retrieved passage.
    public init(
        passageID: Int64,
        documentID: Int64,
        documentTitle: String,
        documentURI: String,
        passage: Passage,
        score: Double
    ) {
        self.passageID = passageID
        self.documentID = documentID
        self.documentTitle = documentTitle
        self.documentURI = documentURI
        self.passage = passage
        self.score = score
    }
}
