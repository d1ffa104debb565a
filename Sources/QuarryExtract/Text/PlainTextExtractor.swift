public import QuarryCore

/// Extracts plain text: paragraphs are separated by blank lines; lines that start with a bullet are list items.
///
/// Hard-wrapped lines within a paragraph are joined with spaces. The title is the first line when
/// it is short and stands alone as a paragraph.
public struct PlainTextExtractor: Sendable {
    /// Creates the extractor.
    public init() {}

    /// Extracts the structure of `text`.
    public func extract(_ text: String) -> ExtractedDocument {
        var blocks: [TextBlock] = []
        var paragraph: [String] = []

        func flushParagraph() {
            if !paragraph.isEmpty {
                blocks.append(TextBlock(.paragraph, paragraph.joined(separator: " ")))
                paragraph.removeAll()
            }
        }

        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingASCIIWhitespace()
            if line.isEmpty {
                flushParagraph()
            } else if let item = ListMarker.strip(line) {
                flushParagraph()
                blocks.append(TextBlock(.listItem, item))
            } else {
                paragraph.append(line)
            }
        }
        flushParagraph()

        var title: String?
        if let first = blocks.first, first.kind == .paragraph, first.text.count <= 120,
            !first.text.hasSuffix("."), blocks.count > 1
        {
            title = first.text
            blocks[0] = TextBlock(.heading(level: 1), first.text)
        }
        return ExtractedDocument(title: title, blocks: blocks)
    }
}

/// Recognises list markers: `- `, `* `, `+ `, `• `, `1. ` and `1) `.
enum ListMarker {
    /// The text after the marker, or nil when the line is not a list item.
    static func strip(_ line: String) -> String? {
        for bullet in ["- ", "* ", "+ ", "• "] where line.hasPrefix(bullet) {
            let rest = line.dropFirst(bullet.count).trimmingASCIIWhitespace()
            return rest.isEmpty ? nil : rest
        }
        let digits = line.prefix(while: \.isASCIIDigitCharacter)
        guard !digits.isEmpty, digits.count <= 3 else { return nil }
        let rest = line.dropFirst(digits.count)
        guard rest.hasPrefix(". ") || rest.hasPrefix(") ") else { return nil }
        let item = rest.dropFirst(2).trimmingASCIIWhitespace()
        return item.isEmpty ? nil : item
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
