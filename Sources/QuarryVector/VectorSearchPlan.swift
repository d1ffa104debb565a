/// How a search is (or would be) carried out for one scope: the planner's choice and its inputs.
public struct VectorSearchPlan: Hashable, Sendable {
    /// The method chosen.
    public enum Method: Hashable, Sendable {
        /// Every allowed Float32 vector is scored (flat indexes, and HNSW when few are allowed).
        case exactScan
        /// Every allowed int8 code is scored, then the best candidates re-scored in Float32.
        case int8Scan(rerank: Int)
        /// The HNSW graph is walked with a candidate list of `ef`; forbidden nodes are walked
        /// through but never returned.
        case graph(ef: Int)
        /// Nothing is allowed: the result is empty without scanning.
        case empty
    }

    /// The method chosen.
    public var method: Method
    /// Live passages the scope may read.
    public var allowedCount: Int
    /// Live passages in the index.
    public var liveCount: Int

    /// The allowed fraction of the live passages (0 when the index is empty).
    public var allowedFraction: Double { liveCount == 0 ? 0 : Double(allowedCount) / Double(liveCount) }
}
