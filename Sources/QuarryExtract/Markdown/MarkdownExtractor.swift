public import QuarryCore

/// Extracts the structure of Markdown: headings (ATX and setext), paragraphs, list items, pipe
/// tables, block quotes and fenced code, with inline markup removed.
///
/// Table rows become `Column: value; Column: value` so that a row can be quoted and cited on its
/// own. The title is the front matter's `title:` or else the first level-1 heading.
public struct MarkdownExtractor: Sendable {
    /// Creates the extractor.
    public init() {}

    /// Extracts the structure of `markdown`.
    public func extract(_ markdown: String) -> ExtractedDocument {
        var lines = markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        var title = FrontMatter.strip(&lines)
        var parser = BlockParser(lines: lines)
        let blocks = parser.parse()
        if title == nil, let first = blocks.first(where: { $0.kind == .heading(level: 1) }) {
            title = first.text
        }
        return ExtractedDocument(title: title, blocks: blocks)
    }
}

/// YAML front matter between `---` lines at the very top of a file.
private enum FrontMatter {
    /// Removes the front matter from `lines` and returns its `title`, if any.
    static func strip(_ lines: inout [String]) -> String? {
        guard lines.first?.trimmingASCIIWhitespace() == "---",
            let end = lines.dropFirst().firstIndex(where: { ["---", "..."].contains($0.trimmingASCIIWhitespace()) })
        else { return nil }
        var title: String?
        for line in lines[1..<end] where line.lowercased().hasPrefix("title:") {
            let value = line.dropFirst("title:".count).trimmingASCIIWhitespace()
            title = value.trimmingCharacters(in: "\"'")
        }
        lines.removeSubrange(0...end)
        return title?.isEmpty == false ? title : nil
    }
}

private struct BlockParser {
    let lines: [String]
    var index = 0
    var blocks: [TextBlock] = []
    var paragraph: [String] = []

    init(lines: [String]) {
        self.lines = lines
    }

    mutating func parse() -> [TextBlock] {
        while index < lines.count {
            let raw = lines[index]
            let line = raw.trimmingASCIIWhitespace()
            if line.isEmpty {
                flushParagraph()
                index += 1
            } else if let fence = fenceMarker(line) {
                flushParagraph()
                parseFencedCode(fence: fence)
            } else if let heading = atxHeading(line) {
                flushParagraph()
                if !heading.text.isEmpty {
                    blocks.append(TextBlock(.heading(level: heading.level), heading.text))
                }
                index += 1
            } else if isThematicBreak(line) && paragraph.isEmpty {
                index += 1
            } else if let level = setextLevel(line), !paragraph.isEmpty {
                let text = InlineMarkdown.plainText(paragraph.joined(separator: " "))
                paragraph.removeAll()
                blocks.append(TextBlock(.heading(level: level), text))
                index += 1
            } else if line.hasPrefix("|") || (line.contains("|") && isTableDelimiter(nextLine)) {
                flushParagraph()
                parseTable()
            } else if let item = ListMarker.strip(line) {
                flushParagraph()
                parseListItem(first: item, indent: leadingSpaces(raw))
            } else if line.hasPrefix(">") {
                flushParagraph()
                parseQuote()
            } else if line.hasPrefix("<!--") {
                flushParagraph()
                skipComment()
            } else {
                paragraph.append(line)
                index += 1
            }
        }
        flushParagraph()
        return blocks
    }

    private var nextLine: String? {
        index + 1 < lines.count ? lines[index + 1].trimmingASCIIWhitespace() : nil
    }

    private mutating func flushParagraph() {
        guard !paragraph.isEmpty else { return }
        let text = InlineMarkdown.plainText(paragraph.joined(separator: " "))
        if !text.isEmpty {
            blocks.append(TextBlock(.paragraph, text))
        }
        paragraph.removeAll()
    }

    private func fenceMarker(_ line: String) -> String? {
        for marker in ["```", "~~~"] where line.hasPrefix(marker) {
            return marker
        }
        return nil
    }

    private mutating func parseFencedCode(fence: String) {
        index += 1
        var code: [String] = []
        while index < lines.count, !lines[index].trimmingASCIIWhitespace().hasPrefix(fence) {
            code.append(lines[index])
            index += 1
        }
        index += 1  // the closing fence, if any
        let text = code.joined(separator: "\n").trimmingASCIIWhitespace()
        if !text.isEmpty {
            blocks.append(TextBlock(.code, text))
        }
    }

    private func atxHeading(_ line: String) -> (level: Int, text: String)? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let rest = line.dropFirst(hashes)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var text = rest.trimmingASCIIWhitespace()
        while text.hasSuffix("#") { text.removeLast() }
        return (hashes, InlineMarkdown.plainText(text.trimmingASCIIWhitespace()))
    }

    private func isThematicBreak(_ line: String) -> Bool {
        let compact = line.filter { $0 != " " }
        guard compact.count >= 3, let first = compact.first, "-*_".contains(first) else { return false }
        return compact.allSatisfy { $0 == first }
    }

    private func setextLevel(_ line: String) -> Int? {
        if line.allSatisfy({ $0 == "=" }) { return 1 }
        if line.allSatisfy({ $0 == "-" }) { return 2 }
        return nil
    }

    private func isTableDelimiter(_ line: String?) -> Bool {
        guard let line, line.contains("-") else { return false }
        return line.allSatisfy { "|-: \t".contains($0) }
    }

    private mutating func parseTable() {
        var rows: [[String]] = []
        while index < lines.count {
            let line = lines[index].trimmingASCIIWhitespace()
            guard !line.isEmpty, line.contains("|") else { break }
            if !isTableDelimiter(line) {
                rows.append(cells(of: line))
            }
            index += 1
        }
        guard let header = rows.first else { return }
        if rows.count == 1 {
            blocks.append(TextBlock(.tableRow, header.filter { !$0.isEmpty }.joined(separator: "; ")))
            return
        }
        for row in rows.dropFirst() {
            var parts: [String] = []
            for (column, value) in row.enumerated() where !value.isEmpty {
                let name = column < header.count ? header[column] : ""
                parts.append(name.isEmpty ? value : "\(name): \(value)")
            }
            if !parts.isEmpty {
                blocks.append(TextBlock(.tableRow, parts.joined(separator: "; ")))
            }
        }
    }

    private func cells(of line: String) -> [String] {
        var trimmed = Substring(line)
        if trimmed.hasPrefix("|") { trimmed = trimmed.dropFirst() }
        if trimmed.hasSuffix("|") && !trimmed.hasSuffix("\\|") { trimmed = trimmed.dropLast() }
        var cells: [String] = []
        var current = ""
        var escaped = false
        for character in trimmed {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        cells.append(current)
        return cells.map { InlineMarkdown.plainText($0.trimmingASCIIWhitespace()) }
    }

    private mutating func parseListItem(first: String, indent: Int) {
        var parts = [first]
        index += 1
        // Lazy continuation lines: indented deeper than the marker, not themselves list items or blocks.
        while index < lines.count {
            let raw = lines[index]
            let line = raw.trimmingASCIIWhitespace()
            guard !line.isEmpty, leadingSpaces(raw) > indent, ListMarker.strip(line) == nil,
                atxHeading(line) == nil, fenceMarker(line) == nil
            else { break }
            parts.append(line)
            index += 1
        }
        let text = InlineMarkdown.plainText(parts.joined(separator: " "))
        if !text.isEmpty {
            blocks.append(TextBlock(.listItem, text))
        }
    }

    private mutating func parseQuote() {
        var parts: [String] = []
        while index < lines.count {
            let line = lines[index].trimmingASCIIWhitespace()
            guard line.hasPrefix(">") else { break }
            let content = line.drop(while: { $0 == ">" || $0 == " " })
            if content.isEmpty {
                if !parts.isEmpty {
                    blocks.append(TextBlock(.paragraph, InlineMarkdown.plainText(parts.joined(separator: " "))))
                    parts.removeAll()
                }
            } else {
                parts.append(String(content))
            }
            index += 1
        }
        if !parts.isEmpty {
            blocks.append(TextBlock(.paragraph, InlineMarkdown.plainText(parts.joined(separator: " "))))
        }
    }

    private mutating func skipComment() {
        while index < lines.count {
            defer { index += 1 }
            if lines[index].contains("-->") { return }
        }
    }

    private func leadingSpaces(_ line: String) -> Int {
        var count = 0
        for character in line {
            if character == " " {
                count += 1
            } else if character == "\t" {
                count += 4
            } else {
                break
            }
        }
        return count
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var result = Substring(self)
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return String(result)
    }
}
