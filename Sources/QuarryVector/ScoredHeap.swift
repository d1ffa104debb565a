/// A binary heap of (score, slot) pairs; `Kind.min` keeps the lowest score on top (a top-k result
/// set whose root is the one to evict), `Kind.max` the highest (HNSW's candidate queue).
struct ScoredHeap {
    enum Kind {
        case min
        case max
    }

    private(set) var scores: [Float] = []
    private(set) var slots: [Int32] = []
    private let isMin: Bool

    init(_ kind: Kind, capacity: Int) {
        isMin = kind == .min
        // Reserve up to a bound: a huge `ef` or `k` grows the arrays only as far as they are filled.
        scores.reserveCapacity(min(capacity, 4_096) + 1)
        slots.reserveCapacity(min(capacity, 4_096) + 1)
    }

    var count: Int { scores.count }
    var isEmpty: Bool { scores.isEmpty }
    /// The root's score (lowest for `.min`, highest for `.max`); only when not empty.
    var topScore: Float { scores[0] }
    var topSlot: Int32 { slots[0] }

    @inline(__always)
    private func before(_ a: Float, _ b: Float) -> Bool { isMin ? a < b : a > b }

    mutating func push(_ score: Float, _ slot: Int32) {
        scores.append(score)
        slots.append(slot)
        var child = scores.count - 1
        while child > 0 {
            let parent = (child - 1) >> 1
            guard before(scores[child], scores[parent]) else { break }
            scores.swapAt(child, parent)
            slots.swapAt(child, parent)
            child = parent
        }
    }

    @discardableResult
    mutating func pop() -> (score: Float, slot: Int32) {
        let top = (scores[0], slots[0])
        let last = scores.count - 1
        scores.swapAt(0, last)
        slots.swapAt(0, last)
        scores.removeLast()
        slots.removeLast()
        var parent = 0
        let n = scores.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { break }
            var best = left
            if left + 1 < n, before(scores[left + 1], scores[left]) { best = left + 1 }
            guard before(scores[best], scores[parent]) else { break }
            scores.swapAt(best, parent)
            slots.swapAt(best, parent)
            parent = best
        }
        return top
    }

    /// The pairs by descending score, ties by ascending slot.
    func sortedDescending() -> [(score: Float, slot: Int32)] {
        zip(scores, slots).map { (score: $0.0, slot: $0.1) }.sorted {
            $0.score != $1.score ? $0.score > $1.score : $0.slot < $1.slot
        }
    }
}

/// The best `k` (score, slot) pairs seen, with a threshold to skip the heap for most candidates.
struct TopK {
    private var heap: ScoredHeap
    let k: Int
    /// A candidate must score above this to enter (−∞ until `k` are held).
    private(set) var threshold: Float = -.infinity

    init(_ k: Int) {
        self.k = k
        heap = ScoredHeap(.min, capacity: k)
    }

    var count: Int { heap.count }

    @inline(__always)
    mutating func offer(_ score: Float, _ slot: Int32) {
        guard score > threshold else { return }
        heap.push(score, slot)
        if heap.count > k { heap.pop() }
        if heap.count == k { threshold = heap.topScore }
    }

    func sortedDescending() -> [(score: Float, slot: Int32)] { heap.sortedDescending() }
}
