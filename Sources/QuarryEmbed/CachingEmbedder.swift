public import QuarryCore

/// An ``Embedder`` that embeds each distinct text once per model: vectors are looked up in an
/// ``EmbeddingCache`` by the SHA-256 of the text, and only the texts missing there (each once,
/// however often it repeats in the call) are passed to the wrapped embedder; their vectors are
/// stored before they are returned.
///
/// ```swift
/// let embedder = CachingEmbedder(try MiniLMEmbedder(), cache: store)
/// _ = try await embedder.embed(passages)  // embeds them
/// _ = try await embedder.embed(passages)  // embeds nothing
/// ```
public struct CachingEmbedder<Base: Embedder>: Embedder {
    /// The embedder that computes missing vectors.
    public let base: Base
    private let cache: any EmbeddingCache

    public var model: String { base.model }
    public var dimension: Int { base.dimension }

    /// Wraps `base`, keeping its vectors in `cache`.
    public init(_ base: Base, cache: any EmbeddingCache) {
        self.base = base
        self.cache = cache
    }

    /// The cache key of a text: the lowercase hexadecimal SHA-256 of its UTF-8 bytes.
    public static func hash(of text: String) -> String {
        TextHash.of(text)
    }

    /// Vectors for `texts`, from the cache where it has them.
    ///
    /// - Throws: What the cache or the wrapped embedder throws; nothing is stored for a call that
    ///   fails.
    public func embed(_ texts: [String]) async throws -> [[Float]] {
        let hashes = texts.map(Self.hash(of:))
        var vectors = try await cache.cachedVectors(for: Array(Set(hashes)), model: model)
            .filter { $0.value.count == dimension }
        var missing: [String] = []
        var missingHashes: [String] = []
        for (text, hash) in zip(texts, hashes) where vectors[hash] == nil && !missingHashes.contains(hash) {
            missing.append(text)
            missingHashes.append(hash)
        }
        if !missing.isEmpty {
            let computed = try await base.embed(missing)
            let fresh = Dictionary(zip(missingHashes, computed), uniquingKeysWith: { first, _ in first })
            try await cache.storeVectors(fresh, model: model)
            vectors.merge(fresh) { cached, _ in cached }
        }
        return hashes.map { vectors[$0]! }
    }
}

extension Embedder {
    /// This embedder with its vectors kept in `cache` (works on `any Embedder` too).
    public func cached(in cache: any EmbeddingCache) -> any Embedder {
        CachingEmbedder(self, cache: cache)
    }
}
