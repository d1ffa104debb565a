import Foundation
public import Hummingbird
public import QuarryAnswer
import QuarryCore
import QuarryStore

/// `POST /api/v1/chat` request body.
struct ChatRequest: Decodable {
    let message: String
    let conversationId: String?
}

/// A citation as the API shows it.
public struct CitationResponse: Encodable, Sendable {
    public let number: Int
    public let documentId: Int64
    public let passageId: Int64
    public let title: String
    public let uri: String
    public let heading: String?
    public let snippet: String
    public let start: Int
    public let end: Int
    public let page: Int?

    init(_ citation: Citation) {
        number = citation.number
        documentId = citation.documentID
        passageId = citation.passageID
        title = citation.title
        uri = citation.uri
        heading = citation.heading
        snippet = citation.snippet
        start = citation.start
        end = citation.end
        page = citation.page
    }
}

/// `POST /api/v1/chat` response body; `quarry ask --json` prints the same object.
public struct ChatResponse: ResponseEncodable, Sendable {
    public let conversationId: String
    public let messageId: String
    public let answer: String
    public let citations: [CitationResponse]
    public let answered: Bool
    /// What the answer rests on: `documents`, `general_knowledge` (a language model's own knowledge,
    /// allowed by `answer_scope: general_knowledge`; no citations) or `none` (not answered).
    public let basis: String
    /// The guardrail that blocked the question or the answer, or masked the answer (absent otherwise).
    public let guardrail: GuardrailNotice?

    /// The API's view of a chat reply.
    public init(_ reply: ChatReply) {
        conversationId = reply.conversationID
        messageId = reply.messageID
        answer = reply.answer
        citations = reply.citations.map(CitationResponse.init)
        answered = reply.isAnswered
        basis = reply.basis.rawValue
        guardrail = reply.guardrail
    }
}

/// One line of `GET /api/v1/conversations`.
struct ConversationSummaryResponse: Encodable {
    let id: String
    let title: String
    let createdAt: Date
    let updatedAt: Date

    init(_ conversation: Conversation) {
        id = conversation.id
        title = conversation.title
        createdAt = conversation.createdAt
        updatedAt = conversation.updatedAt
    }
}

/// `GET /api/v1/conversations` response body.
struct ConversationListResponse: ResponseEncodable {
    let conversations: [ConversationSummaryResponse]
    /// Pass as `cursor` to get the next page; absent on the last page.
    let nextCursor: String?
}

/// A message as the API shows it.
struct MessageResponse: Encodable {
    let id: String
    let role: String
    let content: String
    let citations: [CitationResponse]
    /// For answers: `documents`, `general_knowledge` or `none` (absent for questions and older answers).
    let basis: String?
    let createdAt: Date

    init(_ message: ConversationMessage) {
        id = message.id
        role = message.role.rawValue
        content = message.content
        citations = message.citations.map(CitationResponse.init)
        basis = message.basis?.rawValue
        createdAt = message.createdAt
    }
}

/// `GET /api/v1/conversations/{id}` response body.
struct ConversationResponse: ResponseEncodable {
    let id: String
    let title: String
    let createdAt: Date
    let updatedAt: Date
    let messages: [MessageResponse]

    init(_ transcript: ConversationTranscript) {
        id = transcript.conversation.id
        title = transcript.conversation.title
        createdAt = transcript.conversation.createdAt
        updatedAt = transcript.conversation.updatedAt
        messages = transcript.messages.map(MessageResponse.init)
    }
}

/// `GET /api/v1/me` response body.
struct MeResponse: ResponseEncodable {
    let name: String
    let isAdmin: Bool
    let groups: [String]
}

/// `GET /healthz` response body.
struct HealthResponse: ResponseEncodable {
    let status: String
}
