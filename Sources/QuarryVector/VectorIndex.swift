public import QuarryCore
import Synchronization

/// Quarry's in-process vector index: every passage vector, searched with SIMD kernels, restricted
/// inside the search to the passages the asker may read.
///
/// ```swift
/// let index = try VectorIndex(dimension: 384, model: "all-MiniLM-L6-v2",
///                             configuration: .init(kind: .hnsw(.init(m: 16, efConstruction: 200, efSearch: 64))))
/// try index.upsert([VectorRecord(passageID: 7, documentID: 3, readers: ["group:hr"], vector: v)])
/// let hits = try index.search(query, k: 10, scope: scope)   // only passages scope may read
/// try index.save(to: "/var/lib/quarry/vectors")
/// ```
///
/// Each record carries its document's readers (principal keys). Reader sets are deduplicated into
/// classes; a search computes the scope's allowed slots as a bitset (cached per principal-key set
/// until the next change of any kind) and scores only those: flat and int8 scans skip forbidden slots,
/// the HNSW walk passes through them without returning them, and a planner switches to an exact scan
/// of the allowed set when the scope may read a small fraction (``plan(k:scope:efSearch:)``).
///
/// The index is safe to share: searches run concurrently under a read lock, mutations one at a
/// time under a write lock. Work is synchronous and CPU-bound; call it off the cooperative pool for
/// large batches (an HNSW insert costs about a search with `efConstruction`).
///
/// ## Topics
/// - ``upsert(_:)``, ``remove(passageIDs:)``, ``remove(documentID:)``, ``setReaders(_:documentID:)``
/// - ``search(_:k:scope:efSearch:rerank:)``, ``plan(k:scope:efSearch:)``
/// - ``compact()``, ``compactIfNeeded()``, ``save(to:metadata:)``, ``load(from:model:dimension:verifyChecksums:)``
// @unchecked Sendable: `state`, `generation` and `journal` are read under `lock`'s read lock and written
// under its write lock; the caches are `Mutex`es.
public final class VectorIndex: @unchecked Sendable {
    /// Components per vector.
    public let dimension: Int
    /// The embedding model the vectors come from; vectors of different models are never compared.
    public let model: String
    /// The storage and search method.
    public let configuration: VectorIndexConfiguration

    /// Floats per padded row.
    private let stride: Int
    private let lock = ReadWriteLock()
    private let compacting = Mutex(false)
    private var state: IndexState
    private var generation: UInt64 = 0
    /// Mutations made while a compaction runs, replayed on the compacted state.
    private var journal: [Mutation]?
    private let allowedCache = Mutex<[String: CachedAllowedSet]>([:])
    private let visitedPool = Mutex<[VisitedTable]>([])

    private enum Mutation {
        case upsert([VectorRecord])
        case remove([Int64])
        case removeDocument(Int64)
        case setReaders([String], Int64)
    }

    private struct CachedAllowedSet: Sendable {
        let generation: UInt64
        let bits: SlotBitset
        let count: Int
    }

    /// The most scopes whose allowed sets are cached at once (the cache is cleared when full).
    static let allowedCacheLimit = 1024

    /// An empty index.
    ///
    /// - Parameters:
    ///   - dimension: components per vector (384 for all-MiniLM-L6-v2).
    ///   - model: the embedding model's name, kept with the files.
    ///   - configuration: flat, int8 or HNSW, and the planner's settings.
    /// - Throws: ``VectorIndexError`` (`invalidArgument`) for a dimension below 1 or above 65,536,
    ///   an empty model name, HNSW `m` outside 2…256, or an int8 `rerank` below 1.
    public init(
        dimension: Int,
        model: String,
        configuration: VectorIndexConfiguration = .init()
    )
        throws(VectorIndexError)
    {
        guard (1...65_536).contains(dimension) else {
            throw .invalidArgument("the dimension must be between 1 and 65536, not \(dimension)")
        }
        guard !model.isEmpty else { throw .invalidArgument("the model name must not be empty") }
        switch configuration.kind {
        case .flat: break
        case .int8(let rerank):
            guard rerank >= 1 else { throw .invalidArgument("int8 rerank must be at least 1, not \(rerank)") }
        case .hnsw(let parameters):
            guard (2...256).contains(parameters.m), parameters.efConstruction >= 1, parameters.efSearch >= 1 else {
                throw .invalidArgument(
                    "HNSW needs 2 ≤ m ≤ 256, efConstruction ≥ 1 and efSearch ≥ 1, not m=\(parameters.m),"
                        + " efConstruction=\(parameters.efConstruction), efSearch=\(parameters.efSearch)"
                )
            }
        }
        self.dimension = dimension
        self.model = model
        self.configuration = configuration
        self.savedMetadata = [:]
        self.state = IndexState(dimension: dimension, model: model, configuration: configuration)
        self.stride = state.stride
    }

    /// The `metadata` given to ``save(to:metadata:)`` of the files this index was loaded from
    /// (empty for an index made with ``init(dimension:model:configuration:)``).
    public let savedMetadata: [String: String]

    init(state: IndexState, savedMetadata: [String: String]) {
        self.savedMetadata = savedMetadata
        dimension = state.dimension
        model = state.model
        configuration = state.configuration
        stride = state.stride
        self.state = state
    }

    // MARK: Accessors

    /// Live passages in the index.
    public var count: Int { lock.withReadLock { state.liveCount } }
    /// Removed or replaced passages still occupying slots until ``compact()``.
    public var tombstoneCount: Int { lock.withReadLock { state.tombstoneCount } }
    /// Whether a passage is in the index.
    public func contains(passageID: Int64) -> Bool { lock.withReadLock { state.slotByPassage[passageID] != nil } }
    /// The passages of a document in the index.
    public func passageIDs(documentID: Int64) -> [Int64] {
        lock.withReadLock { (state.slotsByDocument[documentID] ?? []).map { state.passageIDs[Int($0)] } }
    }

    // MARK: Mutations

    /// Adds records, replacing any passage already present with the same id.
    ///
    /// A record's readers become its document's readers for all of the document's passages
    /// (readers are per document). The batch is checked whole before anything changes.
    /// - Throws: ``VectorIndexError`` (`wrongDimension`, `nonFiniteComponent`) naming the first
    ///   bad record; the index is then unchanged.
    public func upsert(_ records: [VectorRecord]) throws(VectorIndexError) {
        guard !records.isEmpty else { return }
        for record in records {
            try IndexState.validate(
                record.vector,
                dimension: dimension,
                what: "the vector of passage \(record.passageID)"
            )
        }
        let visited = takeVisited()
        defer { returnVisited(visited) }
        mutate(.upsert(records)) { $0.upsert(records, visited: visited) }
    }

    /// Removes passages; returns how many were in the index.
    @discardableResult
    public func remove(passageIDs: [Int64]) -> Int {
        mutate(.remove(passageIDs)) { $0.remove(passageIDs: passageIDs) }
    }

    /// Removes every passage of a document; returns how many there were.
    @discardableResult
    public func remove(documentID: Int64) -> Int {
        mutate(.removeDocument(documentID)) { $0.remove(documentID: documentID) }
    }

    /// Replaces a document's readers (principal keys); the next search honours them.
    /// Returns the number of the document's passages in the index.
    @discardableResult
    public func setReaders(_ readers: [String], documentID: Int64) -> Int {
        mutate(.setReaders(readers, documentID)) { $0.setReaders(readers, documentID: documentID) }
    }

    private func mutate<T>(_ mutation: Mutation, _ body: (inout IndexState) -> T) -> T {
        lock.withWriteLock {
            generation &+= 1
            journal?.append(mutation)
            return body(&state)
        }
    }

    private static func apply(_ mutation: Mutation, to state: inout IndexState, visited: VisitedTable) {
        switch mutation {
        case .upsert(let records): state.upsert(records, visited: visited)
        case .remove(let ids): _ = state.remove(passageIDs: ids)
        case .removeDocument(let id): _ = state.remove(documentID: id)
        case .setReaders(let readers, let id): _ = state.setReaders(readers, documentID: id)
        }
    }

    // MARK: Search

    /// The `k` passages closest to `query` among those `scope` may read, best first.
    ///
    /// Admins may read every passage; anyone else the passages whose document's readers include one
    /// of `scope.principalKeys`. Nothing outside that set is ever returned, and ranking and `k` apply
    /// to the allowed set only.
    /// - Parameters:
    ///   - query: a vector of the index's dimension (normalised like the records).
    ///   - k: how many hits at most; 0 gives `[]`, more than are allowed gives all allowed.
    ///   - scope: the asker's scope, computed afresh for the request.
    ///   - efSearch: for HNSW, the candidate list size for this search (default: the configuration's).
    ///   - rerank: for int8, the candidates re-scored in Float32 (default: the configuration's).
    ///   - threads: an exact Float32 scan of at least 32,768 allowed vectors is split over this many
    ///     threads (the caller's and `threads − 1` of Dispatch's); the default, 1, keeps every search
    ///     on the caller's thread, which serves many users best. Graph walks use one thread.
    /// - Throws: ``VectorIndexError`` for a query of the wrong dimension or with a non-finite
    ///   component, a negative `k`, `efSearch`, `rerank` or `threads` below 1.
    public func search(
        _ query: [Float],
        k: Int,
        scope: AccessScope,
        efSearch: Int? = nil,
        rerank: Int? = nil,
        threads: Int = 1
    ) throws(VectorIndexError) -> [VectorHit] {
        try search(
            query,
            k: k,
            principalKeys: scope.isAdmin ? nil : scope.principalKeys,
            efSearch: efSearch,
            rerank: rerank,
            threads: threads
        )
    }

    /// ``search(_:k:scope:efSearch:rerank:threads:)`` with the principal keys given directly (`nil`:
    /// admin, every passage).
    public func search(
        _ query: [Float],
        k: Int,
        principalKeys: [String]?,
        efSearch: Int? = nil,
        rerank: Int? = nil,
        threads: Int = 1
    ) throws(VectorIndexError) -> [VectorHit] {
        guard k >= 0 else { throw .invalidArgument("k must not be negative, not \(k)") }
        if let efSearch, efSearch < 1 { throw .invalidArgument("efSearch must be at least 1, not \(efSearch)") }
        if let rerank, rerank < 1 { throw .invalidArgument("rerank must be at least 1, not \(rerank)") }
        guard threads >= 1 else { throw .invalidArgument("threads must be at least 1, not \(threads)") }
        try IndexState.validate(query, dimension: dimension, what: "the query")
        guard k > 0 else { return [] }
        var padded = [Float](repeating: 0, count: stride)
        for index in 0..<query.count { padded[index] = query[index] }
        return lock.withReadLock {
            let (bits, allowedCount) = allowedSet(keys: principalKeys)
            // No more hits than allowed passages, and no heap larger than that (k may be Int.max).
            let k = min(k, allowedCount)
            let plan = state.plan(k: k, allowedCount: allowedCount, efSearch: efSearch, rerank: rerank)
            var borrowed: VisitedTable?
            defer { if let borrowed { returnVisited(borrowed) } }
            let found = padded.withUnsafeBytes { bytes in
                state.search(query: bytes.baseAddress!, k: k, plan: plan, allowed: bits, threads: threads) {
                    let table = takeVisited()
                    borrowed = table
                    return table
                }
            }
            return found.map { hit in
                VectorHit(
                    passageID: state.passageIDs[Int(hit.slot)],
                    documentID: state.documentIDs[Int(hit.slot)],
                    score: hit.score
                )
            }
        }
    }

    /// ``search(_:k:scope:efSearch:rerank:threads:)`` for several queries with the same scope, one
    /// result list per query, in order.
    ///
    /// When the plan is an exact scan (a flat index, or HNSW with few passages allowed), the allowed
    /// rows are read once for the whole batch and scored against every query while in cache, split
    /// over `threads` threads by rows; other plans run query by query.
    /// - Throws: ``VectorIndexError`` naming the first bad query (by position), a negative `k`, or
    ///   `threads` below 1.
    public func search(
        batch queries: [[Float]],
        k: Int,
        scope: AccessScope,
        efSearch: Int? = nil,
        threads: Int = 1
    )
        throws(VectorIndexError) -> [[VectorHit]]
    {
        guard k >= 0 else { throw .invalidArgument("k must not be negative, not \(k)") }
        guard threads >= 1 else { throw .invalidArgument("threads must be at least 1, not \(threads)") }
        for (position, query) in queries.enumerated() {
            try IndexState.validate(query, dimension: dimension, what: "query \(position) of the batch")
        }
        guard k > 0, !queries.isEmpty else { return queries.map { _ in [] } }
        let keys = scope.isAdmin ? nil : scope.principalKeys
        // Slots are mapped to ids under the same read lock as the scan (a compaction renumbers slots).
        let exact: [[VectorHit]]? = lock.withReadLock {
            let (bits, allowedCount) = allowedSet(keys: keys)
            let k = min(k, allowedCount)
            let plan = state.plan(k: k, allowedCount: allowedCount, efSearch: efSearch, rerank: nil)
            guard plan.method == .exactScan || plan.method == .empty else { return nil }
            guard plan.method == .exactScan else { return queries.map { _ in [] } }
            var padded = [Float](repeating: 0, count: stride * queries.count)
            for (position, query) in queries.enumerated() {
                for index in 0..<query.count { padded[position * stride + index] = query[index] }
            }
            let parts = allowedCount >= IndexState.parallelScanMinimum / queries.count ? threads : 1
            let found = padded.withUnsafeBytes { bytes in
                IndexState.mergedBatch(k: k, count: queries.count, parts: parts, words: bits.words.count) { range in
                    state.scanExactBatch(
                        queries: bytes.baseAddress!,
                        count: queries.count,
                        k: k,
                        allowed: bits,
                        words: range
                    )
                }
            }
            return found.map { hits in
                hits.map { hit in
                    VectorHit(
                        passageID: state.passageIDs[Int(hit.slot)],
                        documentID: state.documentIDs[Int(hit.slot)],
                        score: hit.score
                    )
                }
            }
        }
        guard let exact else {
            var results: [[VectorHit]] = []
            for query in queries {
                results.append(try search(query, k: k, principalKeys: keys, efSearch: efSearch))
            }
            return results
        }
        return exact
    }

    /// The stored vectors (unpadded, as given) of those `passageIDs` that `scope` may read; ids that
    /// are not in the index or not readable are left out. For re-ranking results already found, such
    /// as diversity (MMR) between passages.
    public func vectors(passageIDs: [Int64], scope: AccessScope) -> [Int64: [Float]] {
        lock.withReadLock {
            let (bits, _) = allowedSet(keys: scope.isAdmin ? nil : scope.principalKeys)
            var found: [Int64: [Float]] = [:]
            let rows = state.rows
            for id in passageIDs {
                guard let slot = state.slotByPassage[id], bits[Int(slot)] else { continue }
                let row = rows.row(Int(slot)).assumingMemoryBound(to: Float.self)
                found[id] = Array(UnsafeBufferPointer(start: row, count: dimension))
            }
            return found
        }
    }

    /// The method a search with `k` would use for `scope`, and the allowed count it is based on.
    public func plan(k: Int, scope: AccessScope, efSearch: Int? = nil) -> VectorSearchPlan {
        lock.withReadLock {
            let (_, allowedCount) = allowedSet(keys: scope.isAdmin ? nil : scope.principalKeys)
            return state.plan(k: k, allowedCount: allowedCount, efSearch: efSearch, rerank: nil)
        }
    }

    /// The allowed bitset for `keys` (nil: admin), from the cache when no change happened since.
    /// Called under the read lock, so `generation` and `state` are stable.
    private func allowedSet(keys: [String]?) -> (SlotBitset, Int) {
        let cacheKey = keys.map { "k:" + $0.sorted().joined(separator: "\u{1F}") } ?? "admin"
        let current = generation
        if let cached = allowedCache.withLock({ $0[cacheKey] }), cached.generation == current {
            return (cached.bits, cached.count)
        }
        let bits = state.allowedSlots(keys: keys)
        let count = bits.count
        allowedCache.withLock { cache in
            if cache.count >= Self.allowedCacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[cacheKey] = CachedAllowedSet(generation: current, bits: bits, count: count)
        }
        return (bits, count)
    }

    private func takeVisited() -> VisitedTable {
        visitedPool.withLock { $0.popLast() } ?? VisitedTable()
    }

    private func returnVisited(_ table: VisitedTable) {
        visitedPool.withLock { pool in
            if pool.count < 8 { pool.append(table) }
        }
    }

    // MARK: Compaction

    /// Rebuilds the index without tombstones (for HNSW, a new graph over the live vectors).
    ///
    /// The copy is made under the write lock (a memory copy); the rebuild runs without the lock,
    /// so searches and mutations go on meanwhile; mutations made during the rebuild are replayed
    /// on the new state before it replaces the old one. Run it from a background task or service.
    public func compact() {
        let alreadyRunning = compacting.withLock { running in
            defer { running = true }
            return running
        }
        guard !alreadyRunning else { return }
        defer { compacting.withLock { $0 = false } }
        let records: [VectorRecord] = lock.withWriteLock {
            journal = []
            return state.liveRecords()
        }
        let visited = takeVisited()
        defer { returnVisited(visited) }
        var fresh = IndexState(dimension: dimension, model: model, configuration: configuration)
        fresh.upsert(records, visited: visited)
        lock.withWriteLock {
            for mutation in journal ?? [] { Self.apply(mutation, to: &fresh, visited: visited) }
            journal = nil
            state = fresh
            generation &+= 1
        }
    }

    /// Compacts when the tombstoned fraction of slots exceeds the configuration's threshold;
    /// returns whether it did.
    @discardableResult
    public func compactIfNeeded() -> Bool {
        let needed = lock.withReadLock {
            state.slotCount > 0
                && Double(state.tombstoneCount) / Double(state.slotCount) > configuration.compactionThreshold
        }
        if needed { compact() }
        return needed
    }

    /// A consistent copy of the state, for saving.
    func withStateForReading<T>(_ body: (IndexState) throws(VectorIndexError) -> T) throws(VectorIndexError) -> T {
        try lock.withReadLock { () throws(VectorIndexError) -> T in try body(state) }
    }
}
