/// The policy's word and phrase filters, and the optional built-in profanity list.
///
/// Matching is whole-word and case-insensitive, and sees through simple obfuscation: l33t digits
/// and symbols (`sh1t`, `$hit`), letters spelled out with spaces or dots (`f u c k`, `f.u.c.k`)
/// and repeated letters (`shiiiit`). A repeated letter never shortens a word: `as` does not match `ass`.
public struct WordFilter: Sendable {
    /// A filtered word or phrase found in a text.
    public struct Match: Sendable, Hashable {
        /// `custom` for the policy's list, `profanity` for the built-in list.
        public var list: String
        /// The entry as the policy lists it (for the built-in list, only its position is meaningful to admins).
        public var term: String
        /// The first scalar of the match.
        public var start: Int
        /// One past the last scalar.
        public var end: Int
    }

    /// The built-in profanity list (`guardrails/data/profanity.txt`).
    public static let profanity: [String] = BuiltinLists.profanity.split(separator: "\n").map(String.init)

    private let terms: [(list: String, term: String)]
    private let matcher: PhraseMatcher

    /// A filter for the admin's `words`, plus the built-in list when `profanity` is true.
    public init(words: [String], profanity: Bool) {
        var terms = words.map { (list: "custom", term: $0) }
        if profanity { terms += Self.profanity.map { (list: "profanity", term: $0) } }
        self.terms = terms
        self.matcher = PhraseMatcher(terms.map(\.term))
    }

    /// Whether the filter has no entries.
    public var isEmpty: Bool { matcher.isEmpty }

    /// The filtered words in `text`, in order; overlapping matches keep the longest.
    public func matches(in text: String) -> [Match] {
        let found = matcher.matches(in: text).sorted { a, b in
            a.start != b.start ? a.start < b.start : a.end > b.end
        }
        var result: [Match] = []
        for match in found where !result.contains(where: { $0.end > match.start }) {
            let (list, term) = terms[match.entry]
            result.append(Match(list: list, term: term, start: match.start, end: match.end))
        }
        return result
    }
}
