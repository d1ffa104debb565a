import Foundation
import Hummingbird
import QuarryAnswer
import QuarryStore

/// `POST /api/v1/chat` and the conversation history routes.
struct ChatController {
    let chat: ChatService
    let maximumBodyBytes: Int

    func addRoutes(to group: RouterGroup<QuarryRequestContext>) {
        group.post("chat", use: ask)
        group.get("conversations", use: list)
        group.get("conversations/{id}", use: show)
        group.delete("conversations/{id}", use: delete)
    }

    @Sendable func ask(_ request: Request, context: QuarryRequestContext) async throws -> ChatResponse {
        let user = try context.requireUser()
        let body = try await RequestBody.decode(ChatRequest.self, from: request, limit: maximumBodyBytes)
        if let id = body.conversationId, !Self.isConversationID(id) {
            throw Problem.notFound("No conversation with this id.")
        }
        let reply = try await chat.ask(body.message, user: user, conversationID: body.conversationId)
        return ChatResponse(reply)
    }

    @Sendable func list(_ request: Request, context: QuarryRequestContext) async throws -> ConversationListResponse {
        let user = try context.requireUser()
        let query = request.uri.queryParameters
        var limit = 50
        if let text = query.get("limit") {
            guard let value = Int(text), (1...200).contains(value) else {
                throw Problem.badRequest(
                    "invalid_parameter",
                    "The parameter \"limit\" must be an integer from 1 to 200."
                )
            }
            limit = value
        }
        var cursor: ConversationCursor?
        if let text = query.get("cursor") {
            guard let parsed = ConversationCursor(text) else {
                throw Problem.badRequest(
                    "invalid_parameter",
                    "The parameter \"cursor\" must be a nextCursor value from an earlier page."
                )
            }
            cursor = parsed
        }
        let conversations = try await chat.conversations(of: user, limit: limit, after: cursor)
        return ConversationListResponse(
            conversations: conversations.map(ConversationSummaryResponse.init),
            nextCursor: conversations.count == limit
                ? conversations.last.map { ConversationCursor(after: $0).text } : nil
        )
    }

    @Sendable func show(_ request: Request, context: QuarryRequestContext) async throws -> ConversationResponse {
        let user = try context.requireUser()
        let id = context.parameters.get("id") ?? ""
        guard Self.isConversationID(id) else { throw Problem.notFound("No conversation with this id.") }
        return ConversationResponse(try await chat.transcript(of: id, user: user))
    }

    @Sendable func delete(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = context.parameters.get("id") ?? ""
        guard Self.isConversationID(id) else { throw Problem.notFound("No conversation with this id.") }
        try await chat.deleteConversation(id, user: user)
        return Response(status: .noContent)
    }

    /// Conversation ids are UUIDs; anything else cannot exist.
    static func isConversationID(_ text: String) -> Bool {
        UUID(uuidString: text) != nil
    }
}
