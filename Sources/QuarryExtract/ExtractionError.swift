/// A document's content could not be turned into text.
public struct ExtractionError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case unsupported(String)
        case binary
        case empty
        case unreadable(String)
    }

    private let code: Code

    /// No extractor handles this content type yet.
    public static func unsupported(_ contentType: String) -> ExtractionError {
        ExtractionError(code: .unsupported(contentType))
    }

    /// The content looks like binary data, not text.
    public static let binary = ExtractionError(code: .binary)
    /// The document holds no text.
    public static let empty = ExtractionError(code: .empty)

    /// The content could not be read, for the given reason.
    public static func unreadable(_ reason: String) -> ExtractionError {
        ExtractionError(code: .unreadable(reason))
    }

    public var description: String {
        switch code {
        case .unsupported(let type): "no extractor for content type \(type)"
        case .binary: "the file looks like binary data, not text"
        case .empty: "no text could be extracted"
        case .unreadable(let reason): "the content could not be read: \(reason)"
        }
    }
}
