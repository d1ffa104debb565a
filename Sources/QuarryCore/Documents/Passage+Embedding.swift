extension Passage {
    /// The text the embedding model reads for this passage: its headings (or, without any, the
    /// document's title) on a first line, then the passage's text.
    ///
    /// A table row or a short paragraph means little alone ("Level: L4; UK (GBP): £62,000"); its
    /// headings say what it is about, as they do for the keyword index, which indexes them in a
    /// column of their own. The store keys the passage's vector by ``TextHash/of(_:)`` of this text.
    public func embeddingInput(documentTitle: String) -> String {
        let context = heading ?? documentTitle
        return context.isEmpty ? text : context + "\n" + text
    }
}
