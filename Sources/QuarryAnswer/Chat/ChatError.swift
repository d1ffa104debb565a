/// A chat request that cannot be served as asked.
public struct ChatError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case emptyMessage
        case messageTooLong(Int)
        case conversationNotFound
    }

    private let code: Code

    /// The message is empty or only white space.
    public static let emptyMessage = ChatError(code: .emptyMessage)

    /// The message is longer than the configured limit.
    public static func messageTooLong(limit: Int) -> ChatError { ChatError(code: .messageTooLong(limit)) }

    /// No conversation with this identifier belongs to the asker.
    public static let conversationNotFound = ChatError(code: .conversationNotFound)

    /// Whether the caller sent something invalid (as opposed to asking for something missing).
    public var isInvalidRequest: Bool { code != .conversationNotFound }

    public var description: String {
        switch code {
        case .emptyMessage: "the message is empty"
        case .messageTooLong(let limit): "the message is longer than \(limit) characters"
        case .conversationNotFound: "no such conversation"
        }
    }
}
