import Logging
public import QuarryCore
import QuarryGuardrails
public import QuarryStore

/// One event of a streamed reply (``ChatService/askStreaming(_:user:conversationID:)``).
public enum ChatStreamEvent: Sendable, Hashable {
    /// The reply's conversation (new or the one given), always first.
    case conversation(String)
    /// The next piece of the answer as the asker may see it: masks and pseudonyms already in place.
    case delta(String)
    /// The exchange as stored, always last. Its `answer` replaces the pieces shown when it differs
    /// from them: when a guardrail withdrew the answer part-way (its `guardrail` says which: the
    /// admin's message), or when the text could not be cut for streaming (the pieces stop; the answer
    /// is whole); otherwise it is the pieces joined.
    case reply(ChatReply)
}

extension ChatService {
    /// ``ask(_:user:conversationID:)`` with the answer delivered piece by piece as it is written.
    ///
    /// The message and conversation are checked before the stream is returned (the same
    /// ``ChatError``s). The rest runs as the stream is read: the question's guardrails, retrieval
    /// within the asker's scope, the generator's ``QuarryCore/Generator/answerStream(_:from:scope:)``.
    /// With an output policy, every piece passes through a ``QuarryGuardrails/StreamingRedactor``
    /// first, which holds back the tail of the text until a match in it is complete, so no part of an
    /// address, number or key leaves before it is masked; when a blocking rule fires, nothing more is
    /// sent and the final ``ChatStreamEvent/reply(_:)`` carries the admin's message. The whole answer is
    /// then checked once more (topics and content need all of it) and recorded for audit, and the
    /// exchange stored, as for `ask`.
    ///
    /// - Throws: ``ChatError`` for an empty or over-long message or a conversation the user does not
    ///   own; later errors end the stream.
    public func askStreaming(
        _ message: String,
        user: User,
        conversationID: String? = nil
    ) async throws -> AsyncThrowingStream<ChatStreamEvent, any Error> {
        let (question, conversation) = try await begin(message, user: user, conversationID: conversationID)
        return .producing { send in try await self.stream(question, user: user, conversation: conversation, send: send)
        }
    }

    private func stream(
        _ message: String,
        user: User,
        conversation: Conversation,
        send: @Sendable (ChatStreamEvent) -> Void
    ) async throws {
        send(.conversation(conversation.id))
        let input = try await checkQuestion(message, user: user, conversationID: conversation.id)
        if case .blocked(let blocked) = input {
            let reply = try await blockedReply(blocked, conversationID: conversation.id)
            send(.delta(reply.answer))
            send(.reply(reply))
            return
        }
        let question = input.question ?? message
        let (scope, passages) = try await retrieve(question, user: user, conversationID: conversation.id)

        var redactor = try await guardrails?.engine().engine.redactor(conversationID: conversation.id)
        var withdrawn = false
        var written: Answer?
        let answerScope = try await answerScope()
        for try await output in generator.answerStream(question, from: passages, scope: scope, answerScope: answerScope)
        {
            switch output {
            case .text(let piece):
                guard !withdrawn else { continue }
                let released = redactor?.append(piece) ?? piece
                // Blocked, or text too long to cut (no white space for 8,192 scalars): nothing more is
                // sent, and the reply (the whole answer, checked at once) replaces what was.
                if redactor?.isBlocked == true || redactor?.isOverflowing == true {
                    withdrawn = true
                } else if !released.isEmpty {
                    send(.delta(released))
                }
            case .answer(let answer):
                written = answer
            }
        }
        if !withdrawn, let tail = redactor?.finish(), redactor?.isBlocked != true, !tail.isEmpty {
            send(.delta(tail))
        }
        if written == nil { logger.error("the generator's answer stream ended without an answer") }
        // As in `ask`: foreign citations withhold the answer; the output stage decides on the whole text.
        var answer = keepingOwnCitations(written ?? .notFound, retrieved: passages)
        let notice: GuardrailNotice?
        (answer, notice) = try await checkAnswer(
            answer,
            retrieved: passages,
            user: user,
            conversationID: conversation.id
        )
        send(
            .reply(
                try await finish(
                    question: question,
                    answer: answer,
                    notice: notice,
                    retrieved: passages.count,
                    user: user,
                    conversationID: conversation.id
                )
            )
        )
    }
}
