import QuarryCore
import QuarryGuardrails
import QuarryStore

/// The guardrail stages of ``ChatService/ask(_:user:conversationID:)``, kept apart from the
/// retrieval pipeline: each is a no-op when the service has no ``GuardrailService``.
extension ChatService {
    /// The outcome of checking a question.
    enum QuestionCheck {
        /// Go on, with the question as modified by masks (or `nil`: unchanged).
        case allowed(String?)
        /// Stop: reply with the admin's message.
        case blocked(BlockedQuestion)

        var question: String? {
            if case .allowed(let question) = self { return question }
            return nil
        }
    }

    /// A blocked question: what is kept in the conversation and what the user is told.
    struct BlockedQuestion {
        /// The question with every detected value masked.
        let storedQuestion: String
        let message: String
        let notice: GuardrailNotice
    }

    /// What answers may draw on: the policy's `answer_scope`, or the documents without guardrails.
    func answerScope() async throws -> AnswerScope {
        guard let guardrails else { return .documents }
        return try await guardrails.engine().engine.policy.answerScope
    }

    func checkQuestion(_ question: String, user: User, conversationID: String) async throws -> QuestionCheck {
        guard let guardrails else { return .allowed(nil) }
        let result = try await guardrails.check(
            question,
            stage: .input,
            userID: user.id,
            conversationID: conversationID
        )
        if result.verdict != .allowed {
            // A new conversation is titled after its first question: keep what was caught out of it.
            try await store.replaceConversationTitle(id: conversationID, old: question, new: result.redactedText)
        }
        switch result.verdict {
        case .allowed:
            return .allowed(nil)
        case .modified:
            return .allowed(result.text)
        case .blocked:
            // blockedBy is always set on a blocked result.
            let finding =
                result.blockedBy
                ?? GuardrailFinding(rule: .content, type: "unknown", start: nil, end: nil, score: 1, action: .block)
            return .blocked(
                BlockedQuestion(
                    storedQuestion: result.redactedText,
                    message: result.text,
                    notice: GuardrailNotice(stage: .input, finding: finding)
                )
            )
        }
    }

    func blockedReply(_ blocked: BlockedQuestion, conversationID: String) async throws -> ChatReply {
        let answer = Answer(text: blocked.message, citations: [], isAnswered: false)
        let stored = try await store.appendExchange(
            conversationID: conversationID,
            question: blocked.storedQuestion,
            answer: answer
        )
        return ChatReply(
            conversationID: conversationID,
            messageID: stored.answer.id,
            answer: answer.text,
            citations: [],
            isAnswered: false,
            guardrail: blocked.notice
        )
    }

    /// Drops blocked passages and masks the others (only when the policy checks the retrieval stage).
    func checkPassages(
        _ passages: [RetrievedPassage],
        user: User,
        conversationID: String
    ) async throws
        -> [RetrievedPassage]
    {
        guard let guardrails else { return passages }
        let prepared = try await guardrails.engine()
        guard prepared.engine.policy.stages.contains(.retrieval) else { return passages }
        var kept: [RetrievedPassage] = []
        for var passage in passages {
            let result = try await guardrails.check(
                passage.passage.text,
                stage: .retrieval,
                userID: user.id,
                conversationID: conversationID,
                using: prepared
            )
            guard result.verdict != .blocked else { continue }
            passage.passage.text = result.text
            kept.append(passage)
        }
        return kept
    }

    /// The answer as the user may see it: blocked (the admin's message, no citations) or masked
    /// (its citations kept). Citation snippets are checked on their own whatever the text's verdict:
    /// a language model's citation quotes its passage, not the answer, so a value the text never
    /// repeats can be in it; every value the output stage would mask or block is masked there
    /// (``QuarryGuardrails/GuardrailEngine/maskingValues(in:stage:conversationID:)``).
    ///
    /// A snippet that is its passage's text cut short (a language model's citations) is made again
    /// from the whole passage, masked first, so a value the cut went through is still recognised.
    func checkAnswer(
        _ answer: Answer,
        retrieved passages: [RetrievedPassage],
        user: User,
        conversationID: String
    ) async throws -> (Answer, GuardrailNotice?) {
        guard let guardrails, answer.isAnswered else { return (answer, nil) }
        let prepared = try await guardrails.engine()
        let result = try await guardrails.check(
            answer.text,
            stage: .output,
            userID: user.id,
            conversationID: conversationID,
            using: prepared
        )
        if result.verdict == .blocked {
            let notice = result.blockedBy.map { GuardrailNotice(stage: .output, finding: $0) }
            return (Answer(text: result.text, citations: [], isAnswered: false), notice)
        }
        let engine = prepared.engine
        var guarded = answer
        guarded.text = result.text
        var masked = result.findings.first { $0.action == .mask || $0.action == .anonymize }
        for index in guarded.citations.indices {
            let citation = guarded.citations[index]
            let passage = passages.first { $0.passageID == citation.passageID }?.passage.text
            let isCutPassage = passage.map { AnswerDraft.snippet(of: $0) == citation.snippet && $0 != citation.snippet }
            let snippet = engine.maskingValues(
                in: isCutPassage == true ? passage! : citation.snippet,
                stage: .output,
                conversationID: conversationID
            )
            guarded.citations[index].snippet =
                isCutPassage == true ? AnswerDraft.snippet(of: snippet.text) : snippet.text
            if masked == nil, var finding = snippet.findings.first {
                finding.action = finding.action == .anonymize ? .anonymize : .mask  // masked here, never blocking
                masked = finding
            }
        }
        return (guarded, masked.map { GuardrailNotice(stage: .output, finding: $0) })
    }
}
