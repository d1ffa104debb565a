/// Finds whole words and phrases in a text, case-insensitively and through simple obfuscation
/// (l33t, spelled-out letters, repeated letters); see ``ObfuscatedToken``.
struct PhraseMatcher: Sendable {
    /// A phrase found: which entry, and its scalar offsets.
    struct Match: Sendable, Hashable {
        let entry: Int
        let start: Int
        let end: Int
    }

    private struct Entry: Sendable {
        let index: Int
        let words: [[PairRun]]
    }

    /// `(letter, count)`, as a Sendable pair.
    private struct PairRun: Sendable {
        let letter: Character
        let count: Int
    }

    /// Entries by the key of their first word.
    private let entries: [String: [Entry]]
    let isEmpty: Bool

    /// A matcher for `phrases` (the n-th phrase is entry n).
    init(_ phrases: [String]) {
        var entries: [String: [Entry]] = [:]
        for (index, phrase) in phrases.enumerated() {
            let words = ObfuscatedToken.tokens(of: phrase)
            guard let first = words.first else { continue }
            let runs = words.map { $0.runs.map { PairRun(letter: $0.0, count: $0.1) } }
            entries[first.key, default: []].append(Entry(index: index, words: runs))
        }
        self.entries = entries
        self.isEmpty = entries.isEmpty
    }

    /// Every occurrence of every phrase in `text`.
    func matches(in text: String) -> [Match] {
        guard !isEmpty else { return [] }
        return matches(in: ObfuscatedToken.tokens(of: text))
    }

    /// Every occurrence of every phrase among already tokenised words.
    func matches(in tokens: [ObfuscatedToken]) -> [Match] {
        var found: [Match] = []
        for (position, token) in tokens.enumerated() {
            guard let candidates = entries[token.key] else { continue }
            for entry in candidates where position + entry.words.count <= tokens.count {
                var ok = true
                for (offset, word) in entry.words.enumerated()
                where !tokens[position + offset].spells(word.map { ($0.letter, $0.count) }) {
                    ok = false
                    break
                }
                if ok {
                    found.append(
                        Match(entry: entry.index, start: token.start, end: tokens[position + entry.words.count - 1].end)
                    )
                }
            }
        }
        return found
    }
}
