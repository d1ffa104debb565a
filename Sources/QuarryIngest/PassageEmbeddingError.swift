/// A document's passages could not be embedded: the model failed, not the document.
///
/// The sync records the document as failed and keeps its indexed version, as for a source that
/// is briefly unreachable; the next sync tries again.
public struct PassageEmbeddingError: Error, Sendable, CustomStringConvertible {
    /// The model that failed.
    public var model: String
    /// What the embedder reported (its descriptions never quote the texts or a key).
    public var underlying: any Error

    public var description: String {
        "the passages could not be embedded by \(model) (\(underlying)); the indexed version was kept"
    }
}
