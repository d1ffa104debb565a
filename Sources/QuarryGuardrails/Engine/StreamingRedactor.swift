/// Masks personal data and filtered words in an answer that arrives in chunks, so that no part of
/// a match ever leaves before the whole of it is known.
///
/// Each ``append(_:)`` returns the text that is now final: everything except a held-back tail of
/// at least ``holdBack`` scalars, extended back to the start of the last word (so an address, a URL
/// or a key of any length is never cut) and to the start of any match still open at the cut. The
/// text already released is kept (its last ``holdBack`` scalars) as context for the next analysis,
/// so context words before a cut still count. ``finish()`` releases the rest.
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

    private let engine: GuardrailEngine
    private let conversationID: String?
    private var pending: [Unicode.Scalar] = []
    private var released: [Unicode.Scalar] = []

    /// Whether a blocking rule fired on the text so far.
    public private(set) var isBlocked = false
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
        guard !pending.isEmpty else { return "" }
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
            cut = max(0, pending.count - Self.holdBack)
            while cut > 0, !pending[cut - 1].properties.isWhitespace { cut -= 1 }
            for match in matches where match.start! < cut && match.end! > cut { cut = min(cut, match.start!) }
        }
        guard cut > 0 else { return "" }
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
        released = Array((released + pending[..<cut]).suffix(Self.holdBack))
        pending.removeFirst(cut)
        releasedCount += cut
        return output
    }

    private func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
