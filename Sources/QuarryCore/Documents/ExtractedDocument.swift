/// A document's text with its structure, as an extractor produces it and the chunker consumes it.
public struct ExtractedDocument: Sendable, Hashable {
    /// The document's title, when the format declares one (a first heading, a `<title>`, PDF metadata).
    public var title: String?
    /// The text in reading order.
    public var blocks: [TextBlock]
    /// The absolute or relative link targets the document contains (HTML `href`s), in order, for crawlers.
    public var links: [String]
    /// Problems that did not stop extraction (a CSV row with too many fields, an undecodable byte), for the sync report.
    public var warnings: [String]

    /// Creates an extracted document.
    public init(title: String?, blocks: [TextBlock], links: [String] = [], warnings: [String] = []) {
        self.title = title
        self.blocks = blocks
        self.links = links
        self.warnings = warnings
    }
}

/// One structural unit of extracted text: a heading, a paragraph, a list item, a table row or a code block.
public struct TextBlock: Sendable, Hashable {
    /// What kind of block this is.
    public enum Kind: Sendable, Hashable {
        /// A heading; level 1 is the outermost.
        case heading(level: Int)
        case paragraph
        case listItem
        /// A table row, rendered as `Column: value; Column: value`.
        case tableRow
        case code
    }

    /// The block's kind.
    public var kind: Kind
    /// The block's plain text, without markup.
    public var text: String
    /// The 1-based page the block is on, for paged formats.
    public var page: Int?

    /// Creates a block.
    public init(_ kind: Kind, _ text: String, page: Int? = nil) {
        self.kind = kind
        self.text = text
        self.page = page
    }
}
