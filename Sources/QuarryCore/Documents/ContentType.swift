/// The formats Quarry can extract text from.
public enum ContentType: String, Sendable, Hashable, Codable, CaseIterable {
    case plainText = "text/plain"
    case markdown = "text/markdown"
    case html = "text/html"
    case pdf = "application/pdf"
    case csv = "text/csv"

    /// The content type conventionally meant by a file extension (without the dot, any case).
    public init?(fileExtension: String) {
        switch fileExtension.lowercased() {
        case "txt", "text", "log": self = .plainText
        case "md", "markdown", "mdown", "mkd": self = .markdown
        case "html", "htm", "xhtml": self = .html
        case "pdf": self = .pdf
        case "csv", "tsv": self = .csv
        default: return nil
        }
    }
}
