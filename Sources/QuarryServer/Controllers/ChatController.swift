import Foundation
import Hummingbird
import Logging
import QuarryAnswer
import QuarryStore

/// `POST /api/v1/chat`, `POST /api/v1/chat/stream` and the conversation history routes.
struct ChatController {
    let chat: ChatService
    let maximumBodyBytes: Int

    func addRoutes(to group: RouterGroup<QuarryRequestContext>) {
        group.post("chat", use: ask)
        group.post("chat/stream", use: stream)
        group.get("conversations", use: list)
        group.get("conversations/{id}", use: show)
        group.delete("conversations/{id}", use: delete)
    }

    @Sendable func ask(_ request: Request, context: QuarryRequestContext) async throws -> ChatResponse {
        let (user, body) = try await chatRequest(request, context: context)
        let reply = try await chat.ask(body.message, user: user, conversationID: body.conversationId)
        return ChatResponse(reply)
    }

    /// The same exchange as `ask`, sent as server-sent events while the answer is written:
    /// `conversation` (`{"conversationId"}`), `delta` (`{"text"}`, guarded pieces of the answer), then
    /// `reply` (the `POST /api/v1/chat` response object, as stored; its `answer` replaces the pieces).
    /// An error after the events began is an `error` event (`{"title", "detail"}`) and ends the stream;
    /// errors before it (bad body, unknown conversation) are the usual problem responses.
    @Sendable func stream(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let (user, body) = try await chatRequest(request, context: context)
        let events = try await chat.askStreaming(body.message, user: user, conversationID: body.conversationId)
        let logger = context.logger
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                do {
                    let encoder = Self.eventEncoder()
                    for try await event in events {
                        try await writer.write(ByteBuffer(string: Self.serverSentEvent(event, encoder: encoder)))
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("a streamed answer failed", metadata: ["error": "\(error)"])
                    let detail =
                        error is LanguageModelError
                        ? #"{"title":"Bad Gateway","detail":"The language model that writes answers did not answer."}"#
                        : #"{"title":"Internal Server Error","detail":"The answer could not be completed."}"#
                    try await writer.write(ByteBuffer(string: "event: error\ndata: \(detail)\n\n"))
                }
                try await writer.finish(nil)
            }
        )
    }

    /// The asker and their message, or the problem with them.
    private func chatRequest(
        _ request: Request,
        context: QuarryRequestContext
    ) async throws -> (User, ChatRequest) {
        let user = try context.requireUser()
        let body = try await RequestBody.decode(ChatRequest.self, from: request, limit: maximumBodyBytes)
        if let id = body.conversationId, !Self.isConversationID(id) {
            throw Problem.notFound("No conversation with this id.")
        }
        return (user, body)
    }

    /// The encoder of a stream's events (one per stream).
    static func eventEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// One event in the `text/event-stream` format: its name and one line of JSON.
    static func serverSentEvent(_ event: ChatStreamEvent, encoder: JSONEncoder) -> String {
        let name: String
        let data: Data?
        switch event {
        case .conversation(let id):
            name = "conversation"
            data = try? encoder.encode(["conversationId": id])
        case .delta(let text):
            name = "delta"
            data = try? encoder.encode(["text": text])
        case .reply(let reply):
            name = "reply"
            data = try? encoder.encode(ChatResponse(reply))
        }
        // JSON never holds a raw line break, so one `data:` line carries it whole.
        return "event: \(name)\ndata: \(String(decoding: data ?? Data("{}".utf8), as: UTF8.self))\n\n"
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
