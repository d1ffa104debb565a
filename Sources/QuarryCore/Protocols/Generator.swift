/// Writes an answer to a question from retrieved passages, citing them.
///
/// A generator sees only the passages it is given, which were retrieved for the asker; every
/// citation it returns must refer to one of them. Anything else it consults (term statistics,
/// conversation memory) must be restricted to `scope` as well. `answerScope` (the guardrail
/// policy's) says whether an answer may come from anything but the passages: a generator that can
/// know things must answer ``AnswerScope/documents`` questions from the passages alone.
public protocol Generator: Sendable {
    /// Answers `question` from `passages` (best first), for an asker whose access is `scope`.
    func answer(
        _ question: String,
        from passages: [RetrievedPassage],
        scope: AccessScope,
        answerScope: AnswerScope
    ) async throws -> Answer

    /// The answer as it is written: pieces of its text in order, then the whole answer with its
    /// citations (whose text is the pieces joined). A generator that writes all at once (the
    /// default) cuts its finished text into pieces of ``GeneratorOutput/defaultPieceLength`` scalars,
    /// wherever they fall, as a language model's tokens would.
    func answerStream(
        _ question: String,
        from passages: [RetrievedPassage],
        scope: AccessScope,
        answerScope: AnswerScope
    ) -> AsyncThrowingStream<GeneratorOutput, any Error>
}

/// One element of ``Generator/answerStream(_:from:scope:)``.
public enum GeneratorOutput: Sendable, Hashable {
    /// The next piece of the answer's text.
    case text(String)
    /// The finished answer (last element).
    case answer(Answer)

    /// The length of the pieces the default stream cuts, in Unicode scalars.
    public static let defaultPieceLength = 12
}

extension Generator {
    /// ``answer(_:from:scope:answerScope:)`` from the documents alone.
    public func answer(_ question: String, from passages: [RetrievedPassage], scope: AccessScope) async throws -> Answer
    {
        try await answer(question, from: passages, scope: scope, answerScope: .documents)
    }

    /// ``answerStream(_:from:scope:answerScope:)`` from the documents alone.
    public func answerStream(
        _ question: String,
        from passages: [RetrievedPassage],
        scope: AccessScope
    ) -> AsyncThrowingStream<GeneratorOutput, any Error> {
        answerStream(question, from: passages, scope: scope, answerScope: .documents)
    }

    public func answerStream(
        _ question: String,
        from passages: [RetrievedPassage],
        scope: AccessScope,
        answerScope: AnswerScope
    ) -> AsyncThrowingStream<GeneratorOutput, any Error> {
        .producing { send in
            let answer = try await self.answer(question, from: passages, scope: scope, answerScope: answerScope)
            let scalars = Array(answer.text.unicodeScalars)
            var start = 0
            while start < scalars.count {
                let end = min(start + GeneratorOutput.defaultPieceLength, scalars.count)
                var piece = String.UnicodeScalarView()
                piece.append(contentsOf: scalars[start..<end])
                send(.text(String(piece)))
                start = end
            }
            send(.answer(answer))
        }
    }
}
