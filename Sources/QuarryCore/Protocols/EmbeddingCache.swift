/// Vectors already computed, keyed by the hash of the text they were made from and the model
/// that made them, so that a text is embedded once per model however often it is seen.
///
/// Keys are lowercase hexadecimal SHA-256 digests of the text's UTF-8 bytes (``CachingEmbedder``
/// in QuarryEmbed computes them). A vector is only ever returned for the model it was stored with.
public protocol EmbeddingCache: Sendable {
    /// The vectors stored for those of `hashes` that have one for `model`.
    ///
    /// - Throws: An error from the cache's storage.
    func cachedVectors(for hashes: [String], model: String) async throws -> [String: [Float]]

    /// Stores `vectors` (by text hash) as made by `model`; an existing entry is kept as it is.
    ///
    /// - Throws: An error from the cache's storage.
    func storeVectors(_ vectors: [String: [Float]], model: String) async throws
}
