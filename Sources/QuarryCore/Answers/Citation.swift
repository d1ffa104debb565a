/// Where a sentence of an answer comes from.
///
/// An answer's sentences carry markers `[n]`; the citation whose ``number`` is `n` names the
/// document, the heading and the exact text the sentence was taken from.
public struct Citation: Sendable, Hashable, Codable {
    /// The marker number used in the answer text, from 1.
    public var number: Int
    /// The document's identifier.
    public var documentID: Int64
    /// The cited passage's identifier.
    public var passageID: Int64
    /// The document's title.
    public var title: String
    /// Where the original document can be opened.
    public var uri: String
    /// The heading path of the passage, joined with ` › `; nil at the top of a document.
    public var heading: String?
    /// The cited text.
    public var snippet: String
    /// Offset of the snippet in the document's extracted text, in Unicode scalars.
    public var start: Int
    /// Offset just past the snippet.
    public var end: Int
    /// The page the snippet is on, for paged formats.
    public var page: Int?

    /// Creates a citation.
    public init(
        number: Int,
        documentID: Int64,
        passageID: Int64,
        title: String,
        uri: String,
        heading: String?,
        snippet: String,
        start: Int,
        end: Int,
        page: Int? = nil
    ) {
        self.number = number
        self.documentID = documentID
        self.passageID = passageID
        self.title = title
        self.uri = uri
        self.heading = heading
        self.snippet = snippet
        self.start = start
        self.end = end
        self.page = page
    }
}

extension Citation {
    /// The citation `number` of `retrieved`, quoting `snippet`, which spans `start..<end` of its
    /// document's extracted text.
    public init(number: Int, of retrieved: RetrievedPassage, snippet: String, start: Int, end: Int) {
        self.init(
            number: number,
            documentID: retrieved.documentID,
            passageID: retrieved.passageID,
            title: retrieved.documentTitle,
            uri: retrieved.documentURI,
            heading: retrieved.passage.heading,
            snippet: snippet,
            start: start,
            end: end,
            page: retrieved.passage.page
        )
    }
}
