/// How a ``VectorIndex`` stores and searches its vectors.
///
/// Every field has a default. ``Kind-swift.enum/flat`` scores every allowed vector exactly;
/// ``Kind-swift.enum/int8(rerank:)`` scans one byte per component and re-scores the best candidates
/// exactly; ``Kind-swift.enum/hnsw(_:)`` walks a graph and falls back to an exact scan of the allowed
/// set when the planner expects that to be cheaper (a user who may read few passages).
public struct VectorIndexConfiguration: Hashable, Sendable, Codable {
    /// The storage and search method.
    public enum Kind: Hashable, Sendable, Codable {
        /// Float32 vectors, exact scan with SIMD kernels.
        case flat
        /// Int8 codes (one scale per vector) scanned first; the best `rerank` candidates per query
        /// (at least `k`) are re-scored with the Float32 vectors.
        case int8(rerank: Int)
        /// A hierarchical navigable small-world graph over the Float32 vectors.
        case hnsw(HNSWParameters)
    }

    /// The parameters of an HNSW graph.
    public struct HNSWParameters: Hashable, Sendable, Codable {
        /// Links per node on the upper layers (twice as many on layer 0).
        public var m: Int
        /// Candidate list size while inserting.
        public var efConstruction: Int
        /// Candidate list size while searching everything (raised to `k` when smaller); a filtered
        /// walk over a fraction f of the passages uses `max(k, efSearch·√f)`.
        public var efSearch: Int
        /// Seed of the level generator, so that builds reproduce.
        public var seed: UInt64

        /// Parameters with hnswlib's usual values.
        public init(m: Int = 16, efConstruction: Int = 200, efSearch: Int = 64, seed: UInt64 = 0x5157_5652) {
            self.m = m
            self.efConstruction = efConstruction
            self.efSearch = efSearch
            self.seed = seed
        }
    }

    /// The storage and search method.
    public var kind: Kind
    /// For HNSW: when an exact scan of the allowed set is expected to cost less than this many times
    /// the graph walk (estimated from the allowed fraction), the planner scans instead. 1 means
    /// "whichever is cheaper"; larger values favour the exact scan (and recall 1.0), 0 always walks.
    public var exactScanPreference: Double
    /// The fraction of tombstoned slots above which ``VectorIndex/compactIfNeeded()`` compacts.
    public var compactionThreshold: Double

    /// A configuration; the default is an exact Float32 index.
    public init(kind: Kind = .flat, exactScanPreference: Double = 1, compactionThreshold: Double = 0.2) {
        self.kind = kind
        self.exactScanPreference = exactScanPreference
        self.compactionThreshold = compactionThreshold
    }
}
