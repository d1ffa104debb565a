public import QuarryCore

/// A language model's answer as it is written: what may be shown of it so far, and in the end the
/// ``QuarryCore/Answer`` it makes under the answer scope. The pieces shown, joined, are always the
/// final answer's text.
///
/// The start is held back until it cannot be ``AnswerPrompt/notFoundReply`` or
/// ``AnswerPrompt/generalKnowledgePrefix`` any more; then the text passes through a
/// ``CitationMarkerRewriter``:
/// - `NOT_FOUND` (and `GENERAL:` under the documents scope) is ``QuarryCore/Answer/notFound``;
/// - `GENERAL:` under general knowledge, or any reply to a prompt without passages, is an answer of
///   basis ``QuarryCore/AnswerBasis/generalKnowledge``, shown as it comes, its markers dropped;
/// - any other reply is held until it cites a quoted passage, then shown as it comes: an answer of
///   basis ``QuarryCore/AnswerBasis/documents``. One that never cites is **withheld**: nothing of it
///   is shown and the answer is ``QuarryCore/Answer/notFound``, so what no passage backs never reaches
///   the asker, whatever the scope.
///
/// White space is dropped at the start and the end. Every quoted passage's document that the
/// answer does not cite is one of its ``QuarryCore/Answer/sourceDocumentIDs``: the model read it.
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
    /// Rewritten text of a documents answer before its first citation.
    private var held = ""
    /// White space shown only once something follows it.
    private var space = ""
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
        case .generalKnowledge:
            return show(rewriter.append(piece))
        case .documents:
            return release(rewriter.append(piece))
        case .undecided:
            lead += piece
            let start = lead.drop(while: \.isWhitespace)
            guard !start.isEmpty else { return "" }
            for sentinel in [AnswerPrompt.notFoundReply, AnswerPrompt.generalKnowledgePrefix]
            where sentinel.hasPrefix(start) || start.hasPrefix(sentinel) {
                guard start.hasPrefix(sentinel) else { return "" }  // still possibly the sentinel
                if sentinel == AnswerPrompt.notFoundReply || answerScope == .documents {
                    mode = .notFound
                    return ""
                }
                return begin(.generalKnowledge, with: start.dropFirst(sentinel.count))
            }
            return begin(prompt.quoted.isEmpty ? .generalKnowledge : .documents, with: start)
        }
    }

    /// The rest of the text to show, and the answer it makes.
    public mutating func finish() -> (tail: String, answer: Answer) {
        var tail = ""
        if mode == .undecided {
            let start = lead.drop(while: \.isWhitespace)
            // A reply that stopped inside a sentinel's letters is that sentinel, or nothing.
            if start.isEmpty || AnswerPrompt.notFoundReply.hasPrefix(start)
                || AnswerPrompt.generalKnowledgePrefix.hasPrefix(start)
            {
                mode = .notFound
            } else {
                tail = begin(prompt.quoted.isEmpty ? .generalKnowledge : .documents, with: start)
            }
        }
        switch mode {
        case .generalKnowledge: tail += show(rewriter.finish())
        case .documents: tail += release(rewriter.finish())
        case .undecided, .notFound: break
        }
        let quotedDocuments = Set(prompt.quoted.map(\.documentID))
        let answer: Answer
        switch mode {
        case .generalKnowledge where !shown.isEmpty:
            answer = Answer(
                text: shown,
                citations: [],
                isAnswered: true,
                basis: .generalKnowledge,
                sourceDocumentIDs: quotedDocuments.sorted()
            )
        case .documents where !rewriter.cited.isEmpty && !shown.isEmpty:
            let citations = rewriter.cited.enumerated().map { position, index in
                Self.citation(number: position + 1, of: prompt.quoted[index])
            }
            answer = Answer(
                text: shown,
                citations: citations,
                isAnswered: true,
                basis: .documents,
                sourceDocumentIDs: quotedDocuments.subtracting(citations.map(\.documentID)).sorted()
            )
        default:
            answer = .notFound
        }
        if answer == .notFound {
            // Nothing was shown (a documents answer shows nothing before it cites): say so in words.
            tail += Answer.notFound.text
        }
        return (tail, answer)
    }

    private mutating func begin(_ mode: Mode, with start: Substring) -> String {
        self.mode = mode
        if mode == .generalKnowledge {
            rewriter = CitationMarkerRewriter(passageCount: prompt.quoted.count, keepsMarkers: false)
            return show(rewriter.append(String(start)))
        }
        return release(rewriter.append(String(start)))
    }

    /// A documents answer's text: held until it cites a passage, then shown.
    private mutating func release(_ text: String) -> String {
        guard !rewriter.cited.isEmpty else {
            held += text
            return ""
        }
        defer { held = "" }
        return show(held + text)
    }

    /// `text` as it is shown: without white space at the start, and with white space at the end
    /// kept until something follows it.
    private mutating func show(_ text: String) -> String {
        var output = ""
        for character in text {
            if character.isWhitespace {
                if !shown.isEmpty || !output.isEmpty { space.append(character) }
            } else {
                output += space
                space = ""
                output.append(character)
            }
        }
        shown += output
        return output
    }

    /// What a citation quotes of a passage's `text`: its first 300 characters.
    static func snippet(of text: String) -> String { AnswerPrompt.cut(text, to: 300) }

    /// The citation of a whole passage: its text (cut to 300 characters) and its range.
    static func citation(number: Int, of retrieved: RetrievedPassage) -> Citation {
        Citation(
            number: number,
            of: retrieved,
            snippet: snippet(of: retrieved.passage.text),
            start: retrieved.passage.range.start,
            end: retrieved.passage.range.end
        )
    }
}
