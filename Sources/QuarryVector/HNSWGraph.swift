internal import CVectorSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hierarchical navigable small-world graph over the index's slots (Malkov & Yashunin, with
/// hnswlib's neighbour-selection heuristic). Similarity is the dot product; higher is closer.
///
/// Layer 0 keeps up to `2·m` links per node in one flat buffer (`count, links…` per slot, memory-mapped
/// when loaded); upper layers keep up to `m` per node and level. Deleted slots stay in the graph
/// (tombstones: walked through, never returned) until the index is compacted.
struct HNSWGraph: Sendable {
    let m: Int
    let m0: Int
    let efConstruction: Int
    private let levelMultiplier: Double
    /// Level of each slot's node.
    private(set) var levels: [UInt8]
    /// Per slot, `m0 + 1` Int32: the link count then the links.
    private(set) var level0: AlignedBuffer
    /// Per slot with level > 0: for each level 1…L, `m + 1` Int32 (count, links).
    private(set) var upper: [[Int32]]
    private(set) var entryPoint: Int32 = -1
    private(set) var maxLevel: Int = -1
    private var random: SplitMix64

    init(parameters: VectorIndexConfiguration.HNSWParameters) {
        m = max(2, parameters.m)
        m0 = 2 * m
        efConstruction = max(parameters.efConstruction, m)
        levelMultiplier = 1 / log(Double(m))
        levels = []
        upper = []
        level0 = AlignedBuffer(byteCapacity: 1024 * (2 * max(2, parameters.m) + 1) * 4)
        random = SplitMix64(seed: parameters.seed)
    }

    /// Restores a persisted graph.
    init(
        parameters: VectorIndexConfiguration.HNSWParameters,
        levels: [UInt8],
        level0: AlignedBuffer,
        upper: [[Int32]],
        entryPoint: Int32,
        maxLevel: Int,
        randomState: UInt64
    ) {
        self.init(parameters: parameters)
        self.levels = levels
        self.level0 = level0
        self.upper = upper
        self.entryPoint = entryPoint
        self.maxLevel = maxLevel
        self.random = SplitMix64(seed: 0)
        self.random.state = randomState
    }

    var randomState: UInt64 { random.state }
    var nodeCount: Int { levels.count }
    var level0RowBytes: Int { (m0 + 1) * 4 }

    // MARK: Links

    @inline(__always)
    private func links0(_ slot: Int32) -> UnsafeMutablePointer<Int32> {
        (level0.base + Int(slot) * level0RowBytes).assumingMemoryBound(to: Int32.self)
    }

    /// Calls `body` with each neighbour of `slot` at `level`.
    @inline(__always)
    func forEachNeighbor(of slot: Int32, level: Int, _ body: (Int32) -> Void) {
        if level == 0 {
            let row = links0(slot)
            let count = Int(row[0])
            for index in 0..<count { body(row[1 + index]) }
        } else {
            upper[Int(slot)].withUnsafeBufferPointer { buffer in
                let start = (level - 1) * (m + 1)
                let count = Int(buffer[start])
                for index in 0..<count { body(buffer[start + 1 + index]) }
            }
        }
    }

    private func neighbors(of slot: Int32, level: Int) -> [Int32] {
        var result: [Int32] = []
        forEachNeighbor(of: slot, level: level) { result.append($0) }
        return result
    }

    private mutating func setNeighbors(of slot: Int32, level: Int, _ links: [Int32]) {
        if level == 0 {
            let row = links0(slot)
            row[0] = Int32(links.count)
            for (index, link) in links.enumerated() { row[1 + index] = link }
        } else {
            let start = (level - 1) * (m + 1)
            upper[Int(slot)][start] = Int32(links.count)
            for (index, link) in links.enumerated() { upper[Int(slot)][start + 1 + index] = link }
        }
    }

    // MARK: Search

    /// Greedy descent on one upper level: the closest node reachable from `entry`.
    private func greedy(
        query: UnsafeRawPointer,
        entry: Int32,
        entryScore: Float,
        level: Int,
        vectors: VectorRows
    ) -> (Int32, Float) {
        var best = entry
        var bestScore = entryScore
        var changed = true
        while changed {
            changed = false
            forEachNeighbor(of: best, level: level) { neighbor in
                let score = vectors.dot(query, Int(neighbor))
                if score > bestScore {
                    bestScore = score
                    best = neighbor
                    changed = true
                }
            }
        }
        return (best, bestScore)
    }

    /// The best-first search of one layer; only nodes whose bit is set in `allowed` (all nodes when
    /// nil) may enter the results, but every node is walked. Returns up to `ef` nodes as a min-heap.
    ///
    /// A node's unvisited neighbours are gathered first and scored four at a time (``SIMDKernels/dot4``),
    /// so that their rows, scattered in memory, are fetched in parallel.
    private func searchLayer(
        query: UnsafeRawPointer,
        entry: Int32,
        entryScore: Float,
        ef: Int,
        level: Int,
        vectors: VectorRows,
        visited: VisitedTable,
        allowed: UnsafePointer<UInt64>?
    ) -> ScoredHeap {
        visited.reset(count: levels.count)
        var candidates = ScoredHeap(.max, capacity: ef * 4)
        var results = ScoredHeap(.min, capacity: ef)
        @inline(__always)
        func accepts(_ slot: Int32) -> Bool {
            guard let allowed else { return true }
            return allowed[Int(slot) >> 6] & (1 << UInt64(Int(slot) & 63)) != 0
        }
        _ = visited.insert(entry)
        candidates.push(entryScore, entry)
        if accepts(entry) { results.push(entryScore, entry) }
        let batch = visited.batch
        @inline(__always)
        func consider(_ neighborScore: Float, _ neighbor: Int32) {
            if results.count < ef || neighborScore > results.topScore {
                candidates.push(neighborScore, neighbor)
                if accepts(neighbor) {
                    if results.count < ef {
                        results.push(neighborScore, neighbor)
                    } else {
                        results.replaceTop(neighborScore, neighbor)
                    }
                }
            }
        }
        // Software prefetch (the walk is bound by memory latency, not arithmetic): the links of the
        // next candidate while this one's neighbours are scored, the first rows as they are gathered,
        // and the next group of four rows while a group is scored. A/B on 100,000 vectors (6 rounds,
        // interleaved): median 1.24-1.30x queries/s at ef 32-64 against no row prefetch; eight rows
        // ahead was no better than four.
        let ahead = 4
        let rowBytes = vectors.rowBytes
        @inline(__always)
        func prefetchRow(_ slot: Int32) {
            let row = vectors.row(Int(slot))
            var offset = 0
            while offset < rowBytes {
                quarry_prefetch(row + offset)
                offset &+= 64
            }
        }
        while !candidates.isEmpty {
            let (score, node) = candidates.pop()
            if results.count >= ef, score < results.topScore { break }
            if level == 0, !candidates.isEmpty { quarry_prefetch(links0(candidates.topSlot)) }
            var count = 0
            forEachNeighbor(of: node, level: level) { neighbor in
                if visited.insert(neighbor) {
                    if count < ahead { prefetchRow(neighbor) }
                    batch[count] = neighbor
                    count &+= 1
                }
            }
            var index = 0
            while index &+ 4 <= count {
                var position = index &+ ahead
                let end = min(count, position &+ 4)
                while position < end {
                    prefetchRow(batch[position])
                    position &+= 1
                }
                let scores = SIMDKernels.dot4(
                    query,
                    vectors.row(Int(batch[index])),
                    vectors.row(Int(batch[index &+ 1])),
                    vectors.row(Int(batch[index &+ 2])),
                    vectors.row(Int(batch[index &+ 3])),
                    stride: vectors.stride
                )
                consider(scores[0], batch[index])
                consider(scores[1], batch[index &+ 1])
                consider(scores[2], batch[index &+ 2])
                consider(scores[3], batch[index &+ 3])
                index &+= 4
            }
            while index < count {
                consider(vectors.dot(query, Int(batch[index])), batch[index])
                index &+= 1
            }
        }
        return results
    }

    /// The `k` best accepted nodes for a query (walking with a list of `ef`), best first.
    func search(
        query: UnsafeRawPointer,
        k: Int,
        ef: Int,
        vectors: VectorRows,
        visited: VisitedTable,
        allowed: UnsafePointer<UInt64>?
    ) -> [(score: Float, slot: Int32)] {
        guard entryPoint >= 0 else { return [] }
        var entry = entryPoint
        var entryScore = vectors.dot(query, Int(entry))
        var level = maxLevel
        while level > 0 {
            (entry, entryScore) = greedy(
                query: query,
                entry: entry,
                entryScore: entryScore,
                level: level,
                vectors: vectors
            )
            level -= 1
        }
        let results = searchLayer(
            query: query,
            entry: entry,
            entryScore: entryScore,
            ef: max(ef, k),
            level: 0,
            vectors: vectors,
            visited: visited,
            allowed: allowed
        )
        return Array(results.sortedDescending().prefix(k))
    }

    // MARK: Insertion

    /// hnswlib's heuristic: keep a candidate only if it is closer to the base than to every kept one.
    private func selectNeighbors(
        _ candidates: [(score: Float, slot: Int32)],
        limit: Int,
        vectors: VectorRows
    ) -> [Int32] {
        if candidates.count <= limit { return candidates.map(\.slot) }
        var kept: [Int32] = []
        kept.reserveCapacity(limit)
        for candidate in candidates {
            if kept.count >= limit { break }
            let row = vectors.row(Int(candidate.slot))
            var good = true
            for other in kept where vectors.dot(row, Int(other)) > candidate.score {
                good = false
                break
            }
            if good { kept.append(candidate.slot) }
        }
        return kept
    }

    private mutating func randomLevel() -> Int {
        let unit = Double(random.next() >> 11) * 0x1p-53
        return min(Int(-log(max(unit, 1e-300)) * levelMultiplier), 30)
    }

    /// Adds `slot` (whose vector is already in `vectors`) to the graph.
    mutating func insert(slot: Int32, vectors: VectorRows, visited: VisitedTable) {
        precondition(Int(slot) == levels.count, "HNSW nodes are added in slot order")
        let level = randomLevel()
        levels.append(UInt8(level))
        upper.append(level > 0 ? [Int32](repeating: 0, count: level * (m + 1)) : [])
        level0.reserve((Int(slot) + 1) * level0RowBytes, keeping: Int(slot) * level0RowBytes)
        links0(slot)[0] = 0
        guard entryPoint >= 0 else {
            entryPoint = slot
            maxLevel = level
            return
        }
        let query = vectors.row(Int(slot))
        var entry = entryPoint
        var entryScore = vectors.dot(query, Int(entry))
        var current = maxLevel
        while current > level {
            (entry, entryScore) = greedy(
                query: query,
                entry: entry,
                entryScore: entryScore,
                level: current,
                vectors: vectors
            )
            current -= 1
        }
        for layer in stride(from: min(level, maxLevel), through: 0, by: -1) {
            let found = searchLayer(
                query: query,
                entry: entry,
                entryScore: entryScore,
                ef: efConstruction,
                level: layer,
                vectors: vectors,
                visited: visited,
                allowed: nil
            ).sortedDescending()
            let chosen = selectNeighbors(found, limit: m, vectors: vectors)
            setNeighbors(of: slot, level: layer, chosen)
            let limit = layer == 0 ? m0 : m
            for neighbor in chosen {
                var links = neighbors(of: neighbor, level: layer)
                if links.count < limit {
                    links.append(slot)
                } else {
                    let base = vectors.row(Int(neighbor))
                    let scored = (links + [slot]).map { (score: vectors.dot(base, Int($0)), slot: $0) }
                        .sorted { $0.score > $1.score }
                    links = selectNeighbors(scored, limit: limit, vectors: vectors)
                }
                setNeighbors(of: neighbor, level: layer, links)
            }
            if let best = found.first {
                entry = best.slot
                entryScore = best.score
            }
        }
        if level > maxLevel {
            maxLevel = level
            entryPoint = slot
        }
    }
}

/// Read access to the index's Float32 rows for the graph.
struct VectorRows {
    let base: UnsafeRawPointer
    let rowBytes: Int
    let stride: Int

    @inline(__always)
    func row(_ slot: Int) -> UnsafeRawPointer { base + slot &* rowBytes }

    @inline(__always)
    func dot(_ query: UnsafeRawPointer, _ slot: Int) -> Float {
        SIMDKernels.dot(query, base + slot &* rowBytes, stride: stride)
    }
}

/// Marks of visited nodes for one search, cleared in O(1) by bumping an epoch, and a scratch
/// buffer for a node's unvisited neighbours.
// @unchecked Sendable: a table is used by one search or insertion at a time; it changes hands only
// through the index's pool, a `Mutex`.
final class VisitedTable: @unchecked Sendable {
    private var marks: UnsafeMutablePointer<UInt32>
    private var capacity: Int
    private var epoch: UInt32 = 0
    /// Room for one node's links (layer 0 has at most 2·m; 512 covers m up to 256).
    let batch: UnsafeMutablePointer<Int32>

    init() {
        capacity = 1024
        marks = .allocate(capacity: capacity)
        marks.initialize(repeating: 0, count: capacity)
        batch = .allocate(capacity: 512)
    }

    deinit {
        marks.deallocate()
        batch.deallocate()
    }

    func reset(count: Int) {
        if capacity < count {
            let grown = max(count, capacity * 2)
            let fresh = UnsafeMutablePointer<UInt32>.allocate(capacity: grown)
            fresh.initialize(repeating: 0, count: grown)
            marks.deallocate()
            marks = fresh
            capacity = grown
            epoch = 0
        }
        epoch &+= 1
        if epoch == 0 {
            marks.update(repeating: 0, count: capacity)
            epoch = 1
        }
    }

    /// Marks `slot`; false if it was already marked in this epoch.
    @inline(__always)
    func insert(_ slot: Int32) -> Bool {
        let index = Int(slot)
        if marks[index] == epoch { return false }
        marks[index] = epoch
        return true
    }
}

/// A small, fast, seeded generator (Steele, Lea & Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
