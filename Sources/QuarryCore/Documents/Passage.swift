/// A span of a document's text, the unit that is indexed, retrieved and cited.
public struct Passage: Sendable, Hashable, Codable {
    /// Position of the passage within its document, from 0.
    public var ordinal: Int
    /// The passage's text: exactly the document text within ``range``.
    public var text: String
    /// The headings the passage sits under, outermost first.
    public var headingPath: [String]
    /// Where the passage lies in the document's extracted text.
    public var range: TextRange
    /// The 1-based page the passage starts on, for paged formats.
    public var page: Int?

    /// Creates a passage.
    public init(ordinal: Int, text: String, headingPath: [String], range: TextRange, page: Int? = nil) {
        self.ordinal = ordinal
        self.text = text
        self.headingPath = headingPath
        self.range = range
        self.page = page
    }

    /// The heading path joined for display: `Compensation › Salary bands`.
    public var heading: String? {
        headingPath.isEmpty ? nil : headingPath.joined(separator: " › ")
    }
}

/// A half-open range of character offsets, counted in Unicode scalars, in a document's extracted text.
public struct TextRange: Sendable, Hashable, Codable {
    /// Offset of the first character.
    public var start: Int
    /// Offset just past the last character.
    public var end: Int

    /// Creates a range; `end` must not be before `start`.
    public init(start: Int, end: Int) {
        precondition(start <= end, "a text range cannot end before it starts")
        self.start = start
        self.end = end
    }

    /// The number of characters covered.
    public var length: Int { end - start }
}
