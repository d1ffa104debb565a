/// Masks personal data and filtered words in an answer that arrives in chunks, so that no part of
/// a match ever leaves before the whole of it is known.
///
/// Each ``append(_:)`` returns the text that is now final: everything except a held-back tail of
/// at least ``holdBack`` scalars and ``heldWords`` words, extended back to the start of a word (so an
/// address, a URL or a key of any length is never cut) and to the start of any match still open at
/// the cut; the two context words a recogniser reads after a value are therefore always seen
/// before it is released. The text already released is kept as context for the next analysis (its
/// last ``holdBack`` scalars, and at least ``contextWords`` words however long they are), so the
/// five context words before a value count even when a long URL sits between. ``finish()``
/// releases the rest.
///
/// A rule whose action is `block` is masked too, and sets ``isBlocked``: the caller should then
/// withdraw the answer and show the policy's message.
///
/// ```swift
/// var redactor = engine.redactor(conversationID: id)
/// for try await chunk in generator { send(redactor.append(chunk)) }
/// send(redactor.finish())
/// ```
public struct StreamingRedactor: Sendable {
    /// The scalars always held back (longer than any built-in match that contains white space).
    public static let holdBack = 96
    /// The words (as the recognisers count them: runs of letters and digits) always held back: the
    /// two context words after a value, and the one being written.
    public static let heldWords = 3
    /// The words of released text kept as context: the five context words before a value, and one
    /// more for a value that starts part-way through a word.
    public static let contextWords = 6
    /// The most scalars held or kept as context. Text that cannot be cut sooner (no white space, or
    /// no words, for this long) makes the redactor give up: ``isOverflowing``.
    public static let maximumHeld = 8192

    private let engine: GuardrailEngine
    private let conversationID: String?
    private var pending: [Unicode.Scalar] = []
    private var released: [Unicode.Scalar] = []

    /// Whether a blocking rule fired on the text so far.
    public private(set) var isBlocked = false
    /// Whether more than ``maximumHeld`` scalars could not be released: nothing more is analysed or
    /// returned, and the caller should withdraw the stream and show the whole answer, checked at once.
    public private(set) var isOverflowing = false
    /// Every finding so far, with offsets in the whole answer as written by the generator.
    public private(set) var findings: [GuardrailFinding] = []
    private var releasedCount = 0

    init(engine: GuardrailEngine, conversationID: String?) {
        self.engine = engine
        self.conversationID = conversationID
    }

    /// Adds a chunk and returns the text that can be sent now (possibly empty).
    public mutating func append(_ chunk: String) -> String {
        pending.append(contentsOf: chunk.unicodeScalars)
        return release(final: false)
    }

    /// Returns everything still held back, redacted.
    public mutating func finish() -> String {
        release(final: true)
    }

    private mutating func release(final: Bool) -> String {
        guard !pending.isEmpty, !isOverflowing else { return "" }
        guard engine.policy.stages.contains(.output) else {
            defer {
                releasedCount += pending.count
                pending.removeAll()
            }
            return string(pending[...])
        }
        let context = released.count
        let window = string(released[...]) + string(pending[...])
        let matches = (engine.piiFindings(window, stage: .output) + engine.wordFindings(window, stage: .output))
            .filter { ($0.start ?? 0) >= context }
            .map { finding -> GuardrailFinding in
                var shifted = finding
                shifted.start = finding.start! - context
                shifted.end = finding.end! - context
                return shifted
            }
        var cut = pending.count
        if !final {
            cut = Self.start(of: pending, keeping: Self.holdBack, words: Self.heldWords)
            // Until nothing straddles the cut: moving it back for one match can put it inside another.
            while let open = matches.first(where: { $0.start! < cut && $0.end! > cut }) { cut = open.start! }
        }
        guard cut > 0 else {
            if pending.count > Self.maximumHeld {
                isOverflowing = true
                pending.removeAll()
            }
            return ""
        }
        let done = matches.filter { $0.end! <= cut }
        if done.contains(where: { $0.action == .block }) { isBlocked = true }
        findings += done.map { finding in
            var absolute = finding
            absolute.start = finding.start! + releasedCount
            absolute.end = finding.end! + releasedCount
            return absolute
        }
        let head = string(pending[..<cut])
        let output = engine.replacing(head, findings: done, conversationID: conversationID)
        let kept = released + pending[..<cut]
        let contextStart = Self.start(of: kept, keeping: Self.holdBack, words: Self.contextWords)
        released = Array(kept[max(contextStart, kept.count - Self.maximumHeld)...])
        pending.removeFirst(cut)
        releasedCount += cut
        return output
    }

    /// Where to cut `scalars` so that what follows holds at least `count` scalars and `words`
    /// words as the recognisers count them (runs of letters and digits, ``WordToken``), moved back
    /// to white space so no run of text is cut; 0 when the whole text is not that long.
    static func start(of scalars: [Unicode.Scalar], keeping count: Int, words: Int) -> Int {
        var index = scalars.count
        var seen = 0
        let floor = max(0, scalars.count - count)
        while seen < words || index > floor {
            // Skip what is not a word, then one word, backwards.
            while index > 0, !WordToken.isWordScalar(scalars[index - 1]) { index -= 1 }
            guard index > 0 else { return 0 }
            while index > 0 {
                if WordToken.isWordScalar(scalars[index - 1]) {
                    index -= 1
                } else if index >= 2, "'’-".unicodeScalars.contains(scalars[index - 1]),
                    scalars[index].properties.isAlphabetic, WordToken.isWordScalar(scalars[index - 2])
                {
                    index -= 1  // a joiner inside a word ("don't", "state-of-the-art"), as WordToken reads it
                } else {
                    break
                }
            }
            seen += 1
        }
        while index > 0, !scalars[index - 1].properties.isWhitespace { index -= 1 }
        return index
    }

    private func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
