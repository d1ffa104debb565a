/// A binary heap of (score, slot) pairs; `Kind.min` keeps the lowest score on top (a top-k result
/// set whose root is the one to evict), `Kind.max` the highest (HNSW's candidate queue).
///
/// Both kinds are one min-heap over a key: the score, or its negation for `.max`, so the sift loops
/// have a single comparison. Pairs sit side by side (one cache line holds eight) and are moved into
/// a hole rather than swapped.
struct ScoredHeap {
    enum Kind {
        case min
        case max
    }

    private struct Entry {
        var key: Float
        var slot: Int32
    }

    private var entries: [Entry] = []
    /// 1 for `.min`, −1 for `.max`: key = score · sign.
    private let sign: Float

    init(_ kind: Kind, capacity: Int) {
        sign = kind == .min ? 1 : -1
        // Reserve up to a bound: a huge `ef` or `k` grows the array only as far as it is filled.
        entries.reserveCapacity(min(capacity, 4_096) + 1)
    }

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    /// The root's score (lowest for `.min`, highest for `.max`); only when not empty.
    var topScore: Float { entries[0].key * sign }
    var topSlot: Int32 { entries[0].slot }

    @inline(__always)
    mutating func push(_ score: Float, _ slot: Int32) {
        let entry = Entry(key: score * sign, slot: slot)
        entries.append(entry)
        entries.withUnsafeMutableBufferPointer { heap in
            var child = heap.count &- 1
            while child > 0 {
                let parent = (child &- 1) &>> 1
                guard entry.key < heap[parent].key else { break }
                heap[child] = heap[parent]
                child = parent
            }
            heap[child] = entry
        }
    }

    @discardableResult
    @inline(__always)
    mutating func pop() -> (score: Float, slot: Int32) {
        let top = entries[0]
        let last = entries.removeLast()
        if !entries.isEmpty { siftDown(last) }
        return (top.key * sign, top.slot)
    }

    /// Replaces the root with (score, slot): a pop and a push in one sift.
    @inline(__always)
    mutating func replaceTop(_ score: Float, _ slot: Int32) {
        siftDown(Entry(key: score * sign, slot: slot))
    }

    /// Puts `entry` at the root's place and moves it down to where it belongs.
    @inline(__always)
    private mutating func siftDown(_ entry: Entry) {
        entries.withUnsafeMutableBufferPointer { heap in
            let n = heap.count
            var parent = 0
            while true {
                var child = 2 &* parent &+ 1
                guard child < n else { break }
                if child &+ 1 < n, heap[child &+ 1].key < heap[child].key { child &+= 1 }
                guard heap[child].key < entry.key else { break }
                heap[parent] = heap[child]
                parent = child
            }
            heap[parent] = entry
        }
    }

    /// The pairs by descending score, ties by ascending slot.
    func sortedDescending() -> [(score: Float, slot: Int32)] {
        entries.map { (score: $0.key * sign, slot: $0.slot) }.sorted {
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
        if heap.count < k {
            heap.push(score, slot)
        } else {
            heap.replaceTop(score, slot)
        }
        if heap.count == k { threshold = heap.topScore }
    }

    func sortedDescending() -> [(score: Float, slot: Int32)] { heap.sortedDescending() }
}
