/// Decides whether a word broken at a line end with a hyphen ("organi-" / "zation") is one word
/// whose hyphen is only typesetting, or a compound whose hyphen belongs to it ("team-" / "maintained").
///
/// It learns from the document itself: the words it uses whole, and the hyphenated compounds it
/// writes within a line. Given a break `prefix-` / `suffix`, in order:
/// 1. if the document uses `prefixsuffix` as a word, the hyphen goes ("other-wise" → "otherwise");
/// 2. if it writes `prefix-suffix` within a line, the hyphen stays;
/// 3. if both halves are words it uses on their own (two letters or more), the hyphen stays;
/// 4. otherwise the hyphen goes: end-of-line hyphens in typeset text are mostly hyphenation.
struct Dehyphenator: Sendable {
    private(set) var words: Set<String> = []
    private(set) var compounds: Set<String> = []

    init() {}

    /// Learns the vocabulary of `pages`, leaving out the fragments around line-end hyphens.
    init(pages: [PDFPage]) {
        for page in pages {
            var previousEndedWithHyphen = false
            for line in page.lines {
                let tokens = line.text.split(whereSeparator: \.isWhitespace)
                let endsWithHyphen = Self.endsWithBreakHyphen(line.text)
                for (index, token) in tokens.enumerated() {
                    if index == 0, previousEndedWithHyphen { continue }
                    if index == tokens.count - 1, endsWithHyphen { continue }
                    learn(token)
                }
                previousEndedWithHyphen = endsWithHyphen
            }
        }
    }

    /// Adds one whitespace-separated token to the vocabulary.
    mutating func learn<S: StringProtocol>(_ token: S) {
        let parts = token.lowercased().split(separator: "-", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: Self.edgePunctuation)
        }
        for part in parts where !part.isEmpty && part.allSatisfy(\.isLetter) {
            words.insert(part)
        }
        guard parts.count > 1 else { return }
        for (left, right) in zip(parts, parts.dropFirst()) where !left.isEmpty && !right.isEmpty {
            compounds.insert(left + "-" + right)
        }
    }

    /// Whether the hyphen between `prefix` and `suffix` should be removed when the lines are joined.
    func removesHyphen(prefix: String, suffix: String) -> Bool {
        let left = prefix.lowercased()
        let right = suffix.lowercased()
        if words.contains(left + right) { return true }
        if compounds.contains(left + "-" + right) { return false }
        if left.count >= 2, right.count >= 2, words.contains(left), words.contains(right) { return false }
        return true
    }

    /// Whether `text` ends with a hyphen right after a letter or digit (a break, not a dash).
    static func endsWithBreakHyphen<S: StringProtocol>(_ text: S) -> Bool {
        guard let last = text.last, hyphens.contains(last) else { return false }
        let beforeLast = text.dropLast().last
        return beforeLast.map { $0.isLetter || $0.isNumber } ?? false
    }

    static let hyphens: Set<Character> = ["-", "\u{2010}", "\u{00AD}"]

    private static let edgePunctuation: Set<Character> = Set(".,;:!?()[]{}\"'“”‘’«»*")
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        guard let first = firstIndex(where: { !set.contains($0) }), let last = lastIndex(where: { !set.contains($0) })
        else { return "" }
        return String(self[first...last])
    }
}
