public import Logging
public import QuarryCore
public import QuarryStore

/// Vector search and BM25 keyword search, each restricted to the asker's scope inside the search,
/// fused by reciprocal rank fusion: a passage's score is the sum over both lists of
/// `1 / (rankConstant + rank)`, rank counted from 1.
///
/// The two kinds of search fail differently: words find exact names, numbers and codes that a
/// small embedding model blurs; vectors find a passage that says the same thing in other words.
/// Passages found only by the vector index are fetched through
/// ``QuarryStore/Store/readablePassages(ids:scores:scope:)``, which checks the store's current
/// readers once more. When the embedder fails (a remote endpoint down), the keyword results are
/// returned alone and the failure is logged.
///
/// With ``Configuration/diversity`` set, the fused list is re-ranked by maximal marginal relevance
/// (Carbonell & Goldstein, 1998): each next passage maximises `λ·relevance − (1 − λ)·similarity` to
/// those already chosen, so five near-copies of one paragraph (the same policy in three handbooks)
/// do not crowd out the second-best answer. Relevance is the fused score over the best one;
/// similarity the cosine of the passages' vectors (0 for a passage not embedded yet).
public struct HybridRetriever: Retriever {
    /// How many candidates each search contributes, and the fusion's constant.
    public struct Configuration: Sendable, Hashable {
        /// Candidates taken from each search: `max(minimumCandidates, limit × candidateFactor)`.
        public var candidateFactor = 4
        /// The fewest candidates taken from each search.
        public var minimumCandidates = 32
        /// The constant `k` of reciprocal rank fusion (60 in Cormack et al., 2009).
        public var rankConstant = 60.0
        /// λ of maximal marginal relevance, from 0 (only diversity) to 1 (only relevance); nil, the
        /// default, keeps the fused order.
        public var diversity: Double?

        /// The defaults.
        public init() {}
    }

    private let store: Store
    private let embedder: any Embedder
    private let vectors: any PassageVectorSearch
    private let configuration: Configuration
    private let logger: Logger

    /// Creates a retriever.
    ///
    /// - Precondition: `embedder` makes the vectors `vectors` searches (the same model).
    public init(
        store: Store,
        embedder: any Embedder,
        vectors: any PassageVectorSearch,
        configuration: Configuration = .init(),
        logger: Logger
    ) {
        precondition(embedder.model == vectors.model, "the question must be embedded by the index's model")
        self.store = store
        self.embedder = embedder
        self.vectors = vectors
        self.configuration = configuration
        self.logger = logger
    }

    public func retrieve(_ question: String, limit: Int, scope: AccessScope) async throws -> [RetrievedPassage] {
        guard limit > 0 else { return [] }
        let candidates = max(configuration.minimumCandidates, limit * configuration.candidateFactor)
        let keyword = try await KeywordRetriever(store: store).retrieve(question, limit: candidates, scope: scope)
        var hits: [PassageVectorHit] = []
        do {
            let vector = try await embedder.embed(question)
            hits = try await vectors.nearest(to: vector, limit: candidates, scope: scope)
        } catch let error as CancellationError {
            throw error
        } catch {
            logger.warning("vector search failed; answering from keyword search", metadata: ["error": "\(error)"])
        }
        var fused: [Int64: Double] = [:]
        for (rank, passage) in keyword.enumerated() {
            fused[passage.passageID, default: 0] += 1 / (configuration.rankConstant + Double(rank + 1))
        }
        for (rank, hit) in hits.enumerated() {
            fused[hit.passageID, default: 0] += 1 / (configuration.rankConstant + Double(rank + 1))
        }
        let ranked = fused.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var best = Array(ranked.prefix(limit))
        if let lambda = configuration.diversity, ranked.count > limit {
            best = try await diversified(ranked, limit: limit, lambda: min(max(lambda, 0), 1), scope: scope)
        }
        let known = Dictionary(keyword.map { ($0.passageID, $0) }, uniquingKeysWith: { first, _ in first })
        let missing = best.map(\.key).filter { known[$0] == nil }
        let fetched = try await store.readablePassages(ids: missing, scope: scope)
        let byID = known.merging(fetched.map { ($0.passageID, $0) }, uniquingKeysWith: { first, _ in first })
        return best.compactMap { id, score in
            guard var passage = byID[id] else { return nil }  // no longer readable, or gone
            passage.score = score
            return passage
        }
    }

    /// The `limit` passages of `ranked` (best first, fused scores) chosen by maximal marginal relevance.
    private func diversified(
        _ ranked: [(key: Int64, value: Double)],
        limit: Int,
        lambda: Double,
        scope: AccessScope
    ) async throws -> [(key: Int64, value: Double)] {
        let vectorsByID = try await vectors.vectors(of: ranked.map(\.key), scope: scope)
        let top = ranked.first?.value ?? 1
        var remaining = ranked
        var chosen: [(key: Int64, value: Double)] = []
        var chosenVectors: [[Float]] = []
        while chosen.count < limit, !remaining.isEmpty {
            var bestIndex = 0
            var bestValue = -Double.infinity
            for (index, candidate) in remaining.enumerated() {
                var similarity = 0.0
                if let vector = vectorsByID[candidate.key] {
                    for other in chosenVectors { similarity = max(similarity, Self.cosine(vector, other)) }
                }
                let value = lambda * candidate.value / top - (1 - lambda) * similarity
                if value > bestValue {
                    bestValue = value
                    bestIndex = index
                }
            }
            let next = remaining.remove(at: bestIndex)
            chosen.append(next)
            if let vector = vectorsByID[next.key] { chosenVectors.append(vector) }
        }
        return chosen
    }

    /// The dot product of two unit vectors.
    private static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var sum: Float = 0
        for index in 0..<min(a.count, b.count) { sum += a[index] * b[index] }
        return Double(sum)
    }
}
