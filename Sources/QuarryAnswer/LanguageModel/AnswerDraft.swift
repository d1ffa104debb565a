public import QuarryCore

/// A language model's answer as it is written: what may be shown of it so far, and in the end the
/// ``QuarryCore/Answer`` it makes under the answer scope.
///
/// The start is held back until it cannot be ``AnswerPrompt/notFoundReply`` or
/// ``AnswerPrompt/generalKnowledgePrefix`` any more. Then the text streams through a
/// ``CitationMarkerRewriter``. At the end:
/// - `NOT_FOUND` (or `GENERAL:` when the scope is documents) is ``QuarryCore/Answer/notFound``;
/// - `GENERAL:` under general knowledge is an answer of basis ``QuarryCore/AnswerBasis/generalKnowledge``
///   with no citations (its markers dropped);
/// - an answer citing quoted passages is a documents answer with those citations;
/// - an answer citing none is withheld (not found) under the documents scope, and general
///   knowledge under the other: it rests on nothing the asker can check.
public struct AnswerDraft: Sendable {
    private enum Mode: Sendable {
        case undecided
        case notFound
        case generalKnowledge
        case documents
    }

    private let prompt: AnswerPrompt
    private let answerScope: AnswerScope
    private var mode = Mode.undecided
    private var lead = ""
    private var rewriter: CitationMarkerRewriter
    private var shown = ""

    /// A draft for an answer to `prompt`.
    public init(prompt: AnswerPrompt, answerScope: AnswerScope) {
        self.prompt = prompt
        self.answerScope = answerScope
        rewriter = CitationMarkerRewriter(passageCount: prompt.quoted.count, keepsMarkers: true)
    }

    /// Adds a piece of the model's text; returns what can be shown now (possibly empty).
    public mutating func append(_ piece: String) -> String {
        switch mode {
        case .notFound:
            return ""
        case .generalKnowledge, .documents:
            return show(rewriter.append(piece))
        case .undecided:
            lead += piece
            let start = lead.drop(while: \.isWhitespace)
            for sentinel in [AnswerPrompt.notFoundReply, AnswerPrompt.generalKnowledgePrefix]
            where sentinel.hasPrefix(start) || start.hasPrefix(sentinel) {
                guard start.hasPrefix(sentinel) else { return "" }  // still possibly the sentinel
                if sentinel == AnswerPrompt.notFoundReply || answerScope == .documents {
                    mode = .notFound
                    return ""
                }
                mode = .generalKnowledge
                rewriter = CitationMarkerRewriter(passageCount: prompt.quoted.count, keepsMarkers: false)
                let rest = start.dropFirst(sentinel.count).drop(while: \.isWhitespace)
                return show(rewriter.append(String(rest)))
            }
            mode = .documents
            return show(rewriter.append(String(start)))
        }
    }

    /// The rest of the text to show, and the answer it makes.
    public mutating func finish() -> (tail: String, answer: Answer) {
        if mode == .undecided {
            let start = lead.drop(while: \.isWhitespace)
            // A reply that stopped inside a sentinel's letters is that sentinel, or nothing.
            if start.isEmpty || AnswerPrompt.notFoundReply.hasPrefix(start) {
                mode = .notFound
            } else {
                mode = .documents
                _ = show(rewriter.append(String(start)))
            }
        }
        let tail = mode == .notFound ? "" : show(rewriter.finish())
        let text = shown.trimmingASCIIWhitespace()
        switch mode {
        case .notFound, .undecided:
            return (tail, .notFound)
        case _ where text.isEmpty:
            return (tail, .notFound)
        case .generalKnowledge:
            return (tail, Answer(text: text, citations: [], isAnswered: true, basis: .generalKnowledge))
        case .documents:
            let citations = rewriter.cited.enumerated().map { position, index in
                Self.citation(number: position + 1, of: prompt.quoted[index])
            }
            if !citations.isEmpty {
                return (tail, Answer(text: text, citations: citations, isAnswered: true, basis: .documents))
            }
            if answerScope == .generalKnowledge {
                return (tail, Answer(text: text, citations: [], isAnswered: true, basis: .generalKnowledge))
            }
            return (tail, .notFound)
        }
    }

    private mutating func show(_ text: String) -> String {
        shown += text
        return text
    }

    /// The citation of a whole passage: its text (cut to 300 characters) and its range.
    static func citation(number: Int, of retrieved: RetrievedPassage) -> Citation {
        Citation(
            number: number,
            of: retrieved,
            snippet: AnswerPrompt.cut(retrieved.passage.text, to: 300),
            start: retrieved.passage.range.start,
            end: retrieved.passage.range.end
        )
    }
}
