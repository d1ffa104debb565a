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
    /// For answers, the other documents the generator was shown (``QuarryCore/Answer/sourceDocumentIDs``).
    public var sourceDocumentIDs: [Int64]
    /// For answers, what the answer rests on; `nil` for questions.
    public var basis: AnswerBasis?
    /// When it was written.
    public var createdAt: Date

    /// Creates a message.
    public init(
        id: String,
        role: Role,
        content: String,
        citations: [Citation],
        sourceDocumentIDs: [Int64] = [],
        basis: AnswerBasis? = nil,
        createdAt: Date
    ) {
        self.id = id
        self.role = role
        self.content = content
        self.citations = citations
        self.sourceDocumentIDs = sourceDocumentIDs
        self.basis = basis
        self.createdAt = createdAt
    }

    /// Every document the message's text may carry content of: its citations' and its sources.
    public var documentIDs: Set<Int64> { Set(citations.map(\.documentID)).union(sourceDocumentIDs) }
}

/// A position in a user's list of conversations, for paging: the last conversation of a page.
///
/// Its text form, `MILLISECONDS_ID`, is what the API hands out as an opaque cursor.
public struct ConversationCursor: Sendable, Hashable {
    /// When the conversation was last active (millisecond precision, as stored).
    public var updatedAt: Date
    /// The conversation's identifier, which breaks ties between equal times.
    public var id: String

    /// The cursor just after `conversation`.
    public init(after conversation: Conversation) {
        let milliseconds = (conversation.updatedAt.timeIntervalSince1970 * 1000).rounded()
        self.updatedAt = Date(timeIntervalSince1970: milliseconds / 1000)
        self.id = conversation.id
    }

    /// Parses the text form; nil when it is not one.
    public init?(_ text: String) {
        let parts = text.split(separator: "_", maxSplits: 1)
        guard parts.count == 2, let milliseconds = Int64(parts[0]), UUID(uuidString: String(parts[1])) != nil else {
            return nil
        }
        self.updatedAt = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        self.id = String(parts[1]).lowercased()
    }

    /// The text form.
    public var text: String {
        "\(Int64((updatedAt.timeIntervalSince1970 * 1000).rounded()))_\(id)"
    }
}
