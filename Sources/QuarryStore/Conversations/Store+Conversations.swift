public import Foundation
import GRDB
public import QuarryCore

extension Store {
    /// Starts a conversation owned by a user.
    public func createConversation(userID: Int64, title: String) async throws -> Conversation {
        let now = Date()
        let conversation = Conversation(
            id: UUID().uuidString.lowercased(),
            userID: userID,
            title: String(String.UnicodeScalarView(title.unicodeScalars.prefix(120))),
            createdAt: now,
            updatedAt: now
        )
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO conversation (id, user_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [conversation.id, userID, conversation.title, now, now]
            )
        }
        return conversation
    }

    /// The conversation with this identifier if `ownerID` owns it; nil otherwise, exactly as if it did not exist.
    public func conversation(id: String, ownerID: Int64) async throws -> Conversation? {
        try await database.read { db in
            try Self.fetchConversations(where: "id = ? AND user_id = ?", [id.lowercased(), ownerID], db).first
        }
    }

    /// A user's conversations, most recently active first.
    ///
    /// - Parameters:
    ///   - after: the position of the last conversation of the previous page, to get the next one.
    public func conversations(
        ownerID: Int64,
        limit: Int = 50,
        after: ConversationCursor? = nil
    ) async throws
        -> [Conversation]
    {
        try await database.read { db in
            if let after {
                return try Self.fetchConversations(
                    where: """
                        user_id = ? AND (updated_at < ? OR (updated_at = ? AND id < ?))
                        ORDER BY updated_at DESC, id DESC LIMIT ?
                        """,
                    [ownerID, after.updatedAt, after.updatedAt, after.id, limit],
                    db
                )
            }
            return try Self.fetchConversations(
                where: "user_id = ? ORDER BY updated_at DESC, id DESC LIMIT ?",
                [ownerID, limit],
                db
            )
        }
    }

    /// The messages of a conversation, oldest first.
    public func messages(conversationID: String) async throws -> [ConversationMessage] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, role, content, citations, sources, basis, created_at FROM message
                    WHERE conversation_id = ? ORDER BY created_at, rowid
                    """,
                arguments: [conversationID]
            ).map { row in
                ConversationMessage(
                    id: row["id"],
                    role: ConversationMessage.Role(rawValue: row["role"]) ?? .assistant,
                    content: row["content"],
                    citations: try Self.decodeJSON([Citation].self, row["citations"]),
                    sourceDocumentIDs: try Self.decodeJSON([Int64].self, row["sources"]),
                    basis: (row["basis"] as String?).flatMap(AnswerBasis.init(rawValue:)),
                    createdAt: row["created_at"]
                )
            }
        }
    }

    /// Appends a question and its answer to a conversation in one transaction.
    ///
    /// - Returns: the two stored messages.
    public func appendExchange(
        conversationID: String,
        question: String,
        answer: Answer
    ) async throws
        -> (question: ConversationMessage, answer: ConversationMessage)
    {
        let now = Date()
        let asked = ConversationMessage(
            id: UUID().uuidString.lowercased(),
            role: .user,
            content: question,
            citations: [],
            createdAt: now
        )
        let answered = ConversationMessage(
            id: UUID().uuidString.lowercased(),
            role: .assistant,
            content: answer.text,
            citations: answer.citations,
            sourceDocumentIDs: answer.sourceDocumentIDs,
            basis: answer.basis,
            createdAt: now
        )
        try await database.write { db in
            for message in [asked, answered] {
                try db.execute(
                    sql: """
                        INSERT INTO message (id, conversation_id, role, content, citations, sources, basis, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        message.id, conversationID, message.role.rawValue, message.content,
                        try Self.encodeJSON(message.citations), try Self.encodeJSON(message.sourceDocumentIDs),
                        message.basis?.rawValue, now,
                    ]
                )
            }
            try db.execute(
                sql: "UPDATE conversation SET updated_at = ? WHERE id = ?",
                arguments: [now, conversationID]
            )
        }
        return (asked, answered)
    }

    /// Deletes a conversation if `ownerID` owns it.
    ///
    /// - Throws: ``StoreError/notFound(_:_:)`` otherwise.
    public func deleteConversation(id: String, ownerID: Int64) async throws {
        try await database.write { db in
            try db.execute(
                sql: "DELETE FROM conversation WHERE id = ? AND user_id = ?",
                arguments: [id.lowercased(), ownerID]
            )
            if db.changesCount == 0 { throw StoreError.notFound("conversation", id) }
        }
    }

    static func fetchConversations(
        where condition: String,
        _ arguments: StatementArguments,
        _ db: Database
    ) throws
        -> [Conversation]
    {
        try Row.fetchAll(
            db,
            sql: "SELECT id, user_id, title, created_at, updated_at FROM conversation WHERE \(condition)",
            arguments: arguments
        ).map { row in
            Conversation(
                id: row["id"],
                userID: row["user_id"],
                title: row["title"],
                createdAt: row["created_at"],
                updatedAt: row["updated_at"]
            )
        }
    }
}
