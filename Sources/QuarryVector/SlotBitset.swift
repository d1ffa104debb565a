/// A set of slots as bits, 64 to a word.
struct SlotBitset: Sendable, Equatable {
    private(set) var words: [UInt64]
    /// The number of slots the set ranges over (bits at and past it are always clear).
    private(set) var slotCount: Int

    /// An empty set over `slotCount` slots.
    init(slotCount: Int) {
        self.slotCount = slotCount
        self.words = [UInt64](repeating: 0, count: (slotCount + 63) / 64)
    }

    /// Grows the range to `count` slots, new ones clear.
    mutating func grow(to count: Int) {
        guard count > slotCount else { return }
        slotCount = count
        let needed = (count + 63) / 64
        if needed > words.count { words.append(contentsOf: repeatElement(0, count: needed - words.count)) }
    }

    @inline(__always)
    subscript(slot: Int) -> Bool {
        get { words[slot >> 6] & (1 << UInt64(slot & 63)) != 0 }
        set {
            if newValue {
                words[slot >> 6] |= 1 << UInt64(slot & 63)
            } else {
                words[slot >> 6] &= ~(1 << UInt64(slot & 63))
            }
        }
    }

    /// The number of slots in the set.
    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Builds a set directly from words (persistence), clearing bits past `slotCount`.
    init(words: [UInt64], slotCount: Int) {
        self.words = words
        self.slotCount = slotCount
        if slotCount & 63 != 0, !words.isEmpty {
            self.words[words.count - 1] &= (1 << UInt64(slotCount & 63)) - 1
        }
    }
}
