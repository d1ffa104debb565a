public import Foundation
public import QuarryCore

/// A chat between one user and Quarry.
public struct Conversation: Sendable, Hashable, Codable {
    /// The conversation's identifier (a UUID, lowercase).
    public var id: String
    /// The owner; nobody else may see it.
    public var userID: Int64
    /// A title taken from the first question.
    public var title: String
    /// When it started.
    public var createdAt: Date
    /// When the last message was added.
    public var updatedAt: Date
}

/// One message of a conversation.
public struct ConversationMessage: Sendable, Hashable, Codable {
    /// Who wrote a message.
    public enum Role: String, Sendable, Hashable, Codable {
        case user, assistant
    }

    /// The message's identifier (a UUID, lowercase).
    public var id: String
    /// The user's question or Quarry's answer.
    public var role: Role
    /// The text.
    public var content: String
    /// For answers, the citations of its `[n]` markers.
    public var citations: [Citation]
    /// When it was written.
    public var createdAt: Date

    /// Creates a message.
    public init(id: String, role: Role, content: String, citations: [Citation], createdAt: Date) {
        self.id = id
        self.role = role
        self.content = content
        self.citations = citations
        self.createdAt = createdAt
    }
}
