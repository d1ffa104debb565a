public import Foundation
public import Logging
public import QuarryCore
public import QuarryIndex
public import QuarryStore

/// Answers a user's messages within their permissions and keeps the conversation.
///
/// For each message: the user's access scope is computed afresh, the retriever searches only
/// what that scope may read, the generator answers from those passages alone, and the exchange
/// is stored. Reading a conversation back re-checks its citations against the user's current
/// permissions, so an answer that cites a document the user can no longer read is withheld.
public struct ChatService: Sendable {
    /// Limits and sizes.
    public struct Configuration: Sendable, Hashable {
        /// How many passages are retrieved per question.
        public var retrievalLimit = 8
        /// The longest message accepted, in Unicode scalars.
        public var maximumMessageLength = 4000

        /// The defaults.
        public init() {}
    }

    /// The text that replaces an answer drawn from documents the user may no longer read.
    public static let withheldAnswer =
        "This answer is no longer shown because it draws on documents you cannot read now."

    let store: Store
    private let retriever: any Retriever
    let generator: any Generator
    private let configuration: Configuration
    let logger: Logger
    /// Checks questions, passages and answers (`ChatService+Guardrails.swift`); `nil`: no guardrails.
    let guardrails: GuardrailService?

    /// Creates the service.
    public init(
        store: Store,
        retriever: any Retriever,
        generator: any Generator,
        configuration: Configuration = .init(),
        guardrails: GuardrailService? = nil,
        logger: Logger
    ) {
        self.store = store
        self.retriever = retriever
        self.generator = generator
        self.configuration = configuration
        self.guardrails = guardrails
        self.logger = logger
    }

    /// Answers `message` for `user`, in a new conversation or the given one, and stores the exchange.
    ///
    /// - Throws: ``ChatError`` for an empty or over-long message or a conversation the user does not own.
    public func ask(_ message: String, user: User, conversationID: String? = nil) async throws -> ChatReply {
        let (checked, conversation) = try await begin(message, user: user, conversationID: conversationID)
        var question = checked

        // Guardrails on the question, before retrieval: a blocked question never reaches the index.
        let input = try await checkQuestion(question, user: user, conversationID: conversation.id)
        if case .blocked(let reply) = input {
            return try await blockedReply(reply, conversationID: conversation.id)
        }
        question = input.question ?? question

        let (scope, passages) = try await retrieve(question, user: user, conversationID: conversation.id)
        // Every citation must point at a passage retrieved for this asker; anything else is dropped.
        var answer = keepingOwnCitations(
            try await generator.answer(question, from: passages, scope: scope, answerScope: try await answerScope()),
            retrieved: passages
        )
        // Guardrails on the answer, before the user (or the conversation) sees it.
        let notice: GuardrailNotice?
        (answer, notice) = try await checkAnswer(
            answer,
            retrieved: passages,
            user: user,
            conversationID: conversation.id
        )
        return try await finish(
            question: question,
            answer: answer,
            notice: notice,
            retrieved: passages.count,
            user: user,
            conversationID: conversation.id
        )
    }

    /// Checks a message and finds (or starts) its conversation: what both ``ask(_:user:conversationID:)``
    /// and ``askStreaming(_:user:conversationID:)`` do before anything is retrieved.
    func begin(
        _ message: String,
        user: User,
        conversationID: String?
    ) async throws -> (question: String, conversation: Conversation) {
        let question = message.trimmingASCIIWhitespace()
        guard !question.isEmpty else { throw ChatError.emptyMessage }
        // Counted in Unicode scalars: a "character" can hide any number of combining marks.
        guard question.unicodeScalars.count <= configuration.maximumMessageLength else {
            throw ChatError.messageTooLong(limit: configuration.maximumMessageLength)
        }
        if let conversationID {
            guard let existing = try await store.conversation(id: conversationID, ownerID: user.id) else {
                throw ChatError.conversationNotFound
            }
            return (question, existing)
        }
        return (question, try await store.createConversation(userID: user.id, title: question))
    }

    /// The retrieval of `ask`: the asker's scope, then passages within it, through the passage guardrails.
    func retrieve(
        _ question: String,
        user: User,
        conversationID: String
    ) async throws -> (AccessScope, [RetrievedPassage]) {
        let scope = try await store.accessScope(forUserID: user.id)
        let passages = try await retriever.retrieve(question, limit: configuration.retrievalLimit, scope: scope)
        return (scope, try await checkPassages(passages, user: user, conversationID: conversationID))
    }

    /// `answer`, or ``QuarryCore/Answer/notFound`` when it cites a passage not retrieved for this asker.
    func keepingOwnCitations(_ answer: Answer, retrieved passages: [RetrievedPassage]) -> Answer {
        let retrievedIDs = Set(passages.map(\.passageID))
        guard answer.citations.allSatisfy({ retrievedIDs.contains($0.passageID) }) else {
            logger.error("generator cited passages that were not retrieved; answer withheld")
            return .notFound
        }
        return answer
    }

    /// Stores the exchange and logs it.
    func finish(
        question: String,
        answer: Answer,
        notice: GuardrailNotice?,
        retrieved: Int,
        user: User,
        conversationID: String
    ) async throws -> ChatReply {
        let stored = try await store.appendExchange(conversationID: conversationID, question: question, answer: answer)
        logger.info(
            "answered",
            metadata: [
                "user.id": "\(user.id)", "conversation.id": "\(conversationID)",
                "retrieved.count": "\(retrieved)", "answered": "\(answer.isAnswered)",
            ]
        )
        return ChatReply(
            conversationID: conversationID,
            messageID: stored.answer.id,
            answer: answer.text,
            citations: answer.citations,
            isAnswered: answer.isAnswered,
            basis: answer.basis,
            guardrail: notice
        )
    }

    /// A user's conversations, most recently active first, a page at a time.
    public func conversations(
        of user: User,
        limit: Int = 50,
        after cursor: ConversationCursor? = nil
    ) async throws
        -> [Conversation]
    {
        try await store.conversations(ownerID: user.id, limit: limit, after: cursor)
    }

    /// One of the user's conversations with its messages, answers re-checked against current permissions.
    ///
    /// - Throws: ``ChatError/conversationNotFound`` when it does not exist or belongs to someone else.
    public func transcript(of conversationID: String, user: User) async throws -> ConversationTranscript {
        guard let conversation = try await store.conversation(id: conversationID, ownerID: user.id) else {
            throw ChatError.conversationNotFound
        }
        var messages = try await store.messages(conversationID: conversation.id)
        let used = messages.reduce(into: Set<Int64>()) { $0.formUnion($1.documentIDs) }
        let scope = try await store.accessScope(forUserID: user.id)
        let readable = try await store.readableDocumentIDs(among: used, scope: scope)
        for index in messages.indices where !messages[index].documentIDs.isSubset(of: readable) {
            messages[index].content = Self.withheldAnswer
            messages[index].citations = []
            messages[index].sourceDocumentIDs = []
        }
        return ConversationTranscript(conversation: conversation, messages: messages)
    }

    /// Deletes one of the user's conversations.
    public func deleteConversation(_ conversationID: String, user: User) async throws {
        do {
            try await store.deleteConversation(id: conversationID, ownerID: user.id)
        } catch let error as StoreError where error.isNotFound {
            throw ChatError.conversationNotFound
        }
    }
}

/// The reply to a chat message, as the API returns it.
public struct ChatReply: Sendable, Hashable, Codable {
    /// The conversation the exchange belongs to.
    public var conversationID: String
    /// The identifier of the stored answer.
    public var messageID: String
    /// The answer, with `[n]` markers.
    public var answer: String
    /// The citations of the markers.
    public var citations: [Citation]
    /// False when nothing the asker may read answered the question.
    public var isAnswered: Bool
    /// What the answer rests on (general knowledge only under `answer_scope: general_knowledge`).
    public var basis: AnswerBasis
    /// The guardrail that blocked the question or the answer, or masked the answer.
    public var guardrail: GuardrailNotice?

    /// A reply.
    public init(
        conversationID: String,
        messageID: String,
        answer: String,
        citations: [Citation],
        isAnswered: Bool,
        basis: AnswerBasis? = nil,
        guardrail: GuardrailNotice? = nil
    ) {
        self.conversationID = conversationID
        self.messageID = messageID
        self.answer = answer
        self.citations = citations
        self.isAnswered = isAnswered
        self.basis = basis ?? (isAnswered ? .documents : .none)
        self.guardrail = guardrail
    }
}

/// A conversation with its messages.
public struct ConversationTranscript: Sendable, Hashable {
    /// The conversation.
    public var conversation: Conversation
    /// Its messages, oldest first.
    public var messages: [ConversationMessage]
}

extension ChatService {
    /// The default pipeline: with an `embedder` and the `vectors` it made,
    /// ``QuarryIndex/HybridRetriever`` (vector search fused with BM25, configured by `retrieval`,
    /// e.g. its MMR `diversity`); without, BM25 alone. The answers come from `generator`, by
    /// default the ``ExtractiveGenerator``.
    public init(
        store: Store,
        embedder: (any Embedder)? = nil,
        vectors: (any PassageVectorSearch)? = nil,
        retrieval: HybridRetriever.Configuration = .init(),
        generator: (any Generator)? = nil,
        configuration: Configuration = .init(),
        guardrails: GuardrailService? = nil,
        logger: Logger
    ) {
        let retriever: any Retriever
        if let embedder, let vectors {
            retriever = HybridRetriever(
                store: store,
                embedder: embedder,
                vectors: vectors,
                configuration: retrieval,
                logger: logger
            )
        } else {
            retriever = KeywordRetriever(store: store)
        }
        self.init(
            store: store,
            retriever: retriever,
            generator: generator ?? ExtractiveGenerator(statistics: store),
            configuration: configuration,
            guardrails: guardrails,
            logger: logger
        )
    }
}
