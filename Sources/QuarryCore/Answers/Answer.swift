/// What a ``Generator`` returns for a question: text whose sentences carry `[n]` markers, and the citations.
public struct Answer: Sendable, Hashable, Codable {
    /// The answer text.
    public var text: String
    /// One citation per marker used in ``text``, ordered by number.
    public var citations: [Citation]
    /// False when nothing the asker may read answers the question; ``text`` then says so.
    public var isAnswered: Bool
    /// What the answer rests on: documents, general knowledge, or nothing when it is not answered.
    public var basis: AnswerBasis
    /// Documents besides the cited ones whose passages the generator was shown, so whose content
    /// the text may carry (a language model reads every passage it is given; the extractive generator
    /// only quotes what it cites). Reading the answer back needs every one of them readable.
    public var sourceDocumentIDs: [Int64]

    /// Creates an answer; `basis` defaults to documents for an answer and none otherwise.
    public init(
        text: String,
        citations: [Citation],
        isAnswered: Bool,
        basis: AnswerBasis? = nil,
        sourceDocumentIDs: [Int64] = []
    ) {
        self.text = text
        self.citations = citations
        self.isAnswered = isAnswered
        self.basis = basis ?? (isAnswered ? .documents : .none)
        self.sourceDocumentIDs = sourceDocumentIDs
    }

    /// The answer given when nothing relevant is readable by the asker.
    ///
    /// It is the same text whether or not documents the asker may not read would have matched,
    /// so that it never hints at their existence.
    public static let notFound = Answer(
        text: "I couldn't find an answer to that in the documents I searched.",
        citations: [],
        isAnswered: false
    )
}
