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

    /// The text that replaces an answer citing documents the user may no longer read.
    public static let withheldAnswer =
        "This answer is no longer shown because it cites documents you cannot read now."

    let store: Store
    private let retriever: any Retriever
    private let generator: any Generator
    private let configuration: Configuration
    private let logger: Logger
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
        var question = message.trimmingASCIIWhitespace()
        guard !question.isEmpty else { throw ChatError.emptyMessage }
        // Counted in Unicode scalars: a "character" can hide any number of combining marks.
        guard question.unicodeScalars.count <= configuration.maximumMessageLength else {
            throw ChatError.messageTooLong(limit: configuration.maximumMessageLength)
        }
        let conversation: Conversation
        if let conversationID {
            guard let existing = try await store.conversation(id: conversationID, ownerID: user.id) else {
                throw ChatError.conversationNotFound
            }
            conversation = existing
        } else {
            conversation = try await store.createConversation(userID: user.id, title: question)
        }

        // Guardrails on the question, before retrieval: a blocked question never reaches the index.
        let input = try await checkQuestion(question, user: user, conversationID: conversation.id)
        if case .blocked(let reply) = input {
            return try await blockedReply(reply, conversationID: conversation.id)
        }
        question = input.question ?? question

        let scope = try await store.accessScope(forUserID: user.id)
        var passages = try await retriever.retrieve(question, limit: configuration.retrievalLimit, scope: scope)
        passages = try await checkPassages(passages, user: user, conversationID: conversation.id)
        var answer = try await generator.answer(question, from: passages, scope: scope)

        // Every citation must point at a passage retrieved for this asker; anything else is dropped.
        let retrievedIDs = Set(passages.map(\.passageID))
        let foreign = answer.citations.filter { !retrievedIDs.contains($0.passageID) }
        if !foreign.isEmpty {
            logger.error("generator cited passages that were not retrieved; answer withheld")
            answer = .notFound
        }

        // Guardrails on the answer, before the user (or the conversation) sees it.
        let notice: GuardrailNotice?
        (answer, notice) = try await checkAnswer(answer, user: user, conversationID: conversation.id)

        let stored = try await store.appendExchange(conversationID: conversation.id, question: question, answer: answer)
        logger.info(
            "answered",
            metadata: [
                "user.id": "\(user.id)", "conversation.id": "\(conversation.id)",
                "retrieved.count": "\(passages.count)", "answered": "\(answer.isAnswered)",
            ]
        )
        return ChatReply(
            conversationID: conversation.id,
            messageID: stored.answer.id,
            answer: answer.text,
            citations: answer.citations,
            isAnswered: answer.isAnswered,
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
        let cited = Set(messages.flatMap { $0.citations.map(\.documentID) })
        let scope = try await store.accessScope(forUserID: user.id)
        let readable = try await store.readableDocumentIDs(among: cited, scope: scope)
        for index in messages.indices
        where messages[index].citations.contains(where: { !readable.contains($0.documentID) }) {
            messages[index].content = Self.withheldAnswer
            messages[index].citations = []
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
    /// The guardrail that blocked the question or the answer, or masked the answer.
    public var guardrail: GuardrailNotice?

    /// A reply.
    public init(
        conversationID: String,
        messageID: String,
        answer: String,
        citations: [Citation],
        isAnswered: Bool,
        guardrail: GuardrailNotice? = nil
    ) {
        self.conversationID = conversationID
        self.messageID = messageID
        self.answer = answer
        self.citations = citations
        self.isAnswered = isAnswered
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
    /// The default pipeline and the extractive generator: with an `embedder` and the `vectors`
    /// it made, ``QuarryIndex/HybridRetriever`` (vector search fused with BM25, configured by
    /// `retrieval`, e.g. its MMR `diversity`); without, BM25 alone.
    public init(
        store: Store,
        embedder: (any Embedder)? = nil,
        vectors: (any PassageVectorSearch)? = nil,
        retrieval: HybridRetriever.Configuration = .init(),
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
            generator: ExtractiveGenerator(statistics: store),
            configuration: configuration,
            guardrails: guardrails,
            logger: logger
        )
    }
}
