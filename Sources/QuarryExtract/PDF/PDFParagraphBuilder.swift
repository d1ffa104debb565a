import QuarryCore

/// Something on a page in reading order: a line of text, or a heading taken from the outline.
enum PDFPageItem: Sendable, Hashable {
    case line(PDFTextLine)
    case heading(String, level: Int)
}

/// A block built from a page's lines, with how many lines it joined.
struct PDFBlock: Sendable, Hashable {
    var kind: PDFBlockKind
    var text: String
    var lineCount: Int
}

enum PDFBlockKind: Sendable, Hashable {
    case heading(level: Int)
    case paragraph
    case listItem
}

/// Groups one page's lines into paragraphs and list items, and joins the lines of each.
///
/// A new block starts at a heading, at a bullet (`•`, `◦`, `▪`, …), where the text moves back up
/// (a new column), after a vertical gap more than 1.3 times the page's usual line pitch (scaled up
/// for lines in a larger font, so a heading's own lines stay together), and after a line that
/// ended early (the next line's first word would have fitted on it) when the next line is indented
/// or the early line ended a sentence and the next starts with a capital or digit.
///
/// Inside a block, a line that reached the column's right edge is joined to the next with a space;
/// one that ended early keeps its line break (addresses, code, verse); a line ending with a hyphen
/// after a letter is joined without a space, and the hyphen is kept or removed by ``Dehyphenator``.
struct PDFParagraphBuilder: Sendable {
    var dehyphenator: Dehyphenator

    func blocks(for items: [PDFPageItem], pageWidth: Double) -> [PDFBlock] {
        let lines = items.compactMap { item -> PDFTextLine? in
            if case .line(let line) = item { return line }
            return nil
        }
        let metrics = PageMetrics(lines: lines, pageWidth: pageWidth)
        var blocks: [PDFBlock] = []
        var current: [PDFTextLine] = []
        var currentIsListItem = false

        func flush() {
            defer { current.removeAll() }
            guard !current.isEmpty else { return }
            var text = join(current, metrics: metrics)
            if currentIsListItem { text = Self.strippingBullet(text) }
            guard !text.isEmpty else { return }
            blocks.append(
                PDFBlock(kind: currentIsListItem ? .listItem : .paragraph, text: text, lineCount: current.count)
            )
        }

        for item in items {
            switch item {
            case .heading(let title, let level):
                flush()
                blocks.append(PDFBlock(kind: .heading(level: level), text: title, lineCount: 0))
            case .line(let line):
                if let previous = current.last,
                    !startsNewBlock(line, after: previous, in: current, isListItem: currentIsListItem, metrics: metrics)
                {
                    current.append(line)
                } else {
                    flush()
                    current = [line]
                    currentIsListItem = Self.startsWithBullet(line.text)
                }
            }
        }
        flush()
        return blocks
    }

    private func startsNewBlock(
        _ line: PDFTextLine,
        after previous: PDFTextLine,
        in block: [PDFTextLine],
        isListItem: Bool,
        metrics: PageMetrics
    ) -> Bool {
        if Self.startsWithBullet(line.text) { return true }
        let pitch = line.top - previous.top
        let smaller = min(line.height, previous.height)
        let larger = max(line.height, previous.height)
        if pitch < -0.5 * previous.height { return true }  // back up the page: another column or region
        if abs(pitch) < 0.5 * smaller { return false }  // beside it on the same line
        let expected = metrics.pitch * max(1, larger / metrics.lineHeight)
        if pitch > 1.3 * expected { return true }
        if isListItem, let first = block.first, line.left < first.left + 1 { return true }  // back to the margin
        guard endsEarly(previous, before: line, metrics: metrics) else { return false }
        let blockLeft = block.map(\.left).min() ?? previous.left
        if !isListItem, line.left > blockLeft + 0.8 * line.height { return true }  // an indented first line
        if let last = previous.text.last, ".!?:".contains(last),
            let first = line.text.first, first.isUppercase || first.isNumber
        {
            return true
        }
        return false
    }

    /// Whether `line` stopped short of the column's edge although `next`'s first word would have fitted.
    private func endsEarly(_ line: PDFTextLine, before next: PDFTextLine, metrics: PageMetrics) -> Bool {
        let room = metrics.rightEdge(for: line) - line.right
        return room > next.firstWordWidth + 0.5 * max(next.height, 1)
    }

    /// Joins a block's lines: soft-wrapped lines with a space, early breaks with a newline, and
    /// hyphenated breaks with or without their hyphen.
    private func join(_ lines: [PDFTextLine], metrics: PageMetrics) -> String {
        var text = lines[0].text
        for (previous, line) in zip(lines, lines.dropFirst()) {
            if Dehyphenator.endsWithBreakHyphen(text), let first = line.text.first {
                if first.isLowercase,
                    dehyphenator.removesHyphen(prefix: Self.lastWord(of: text), suffix: Self.firstWord(of: line.text))
                {
                    text.removeLast()
                } else if text.last == "\u{00AD}" {
                    text.removeLast()
                    text.append("-")
                }
                text += line.text
            } else if abs(line.top - previous.top) < 0.5 * min(line.height, previous.height) {
                text += " " + line.text
            } else if endsEarly(previous, before: line, metrics: metrics) {
                text += "\n" + line.text
            } else {
                text += " " + line.text
            }
        }
        return text
    }

    /// The letters just before the final hyphen of `text`.
    private static func lastWord(of text: String) -> String {
        String(text.dropLast().reversed().prefix(while: \.isLetter).reversed())
    }

    /// The letters at the start of `text`.
    private static func firstWord(of text: String) -> String {
        String(text.prefix(while: \.isLetter))
    }

    static let bullets: Set<Character> = ["•", "◦", "▪", "‣", "●", "○", "■", "□", "∙", "⁃", "·", "►", "▸", "–"]

    static func startsWithBullet(_ text: String) -> Bool {
        guard let first = text.first, bullets.contains(first) else { return false }
        let rest = text.dropFirst()
        return rest.first?.isWhitespace ?? false
    }

    static func strippingBullet(_ text: String) -> String {
        guard startsWithBullet(text) else { return text }
        return text.dropFirst().trimmingASCIIWhitespace()
    }
}

/// A page's typical line pitch and height, and where its text columns end on the right.
struct PageMetrics: Sendable {
    /// The usual distance from one line's top to the next line's top.
    var pitch: Double
    /// The usual line height.
    var lineHeight: Double
    private var lines: [PDFTextLine]
    private var pageWidth: Double

    init(lines: [PDFTextLine], pageWidth: Double) {
        self.lines = lines
        self.pageWidth = pageWidth
        let heights = lines.map(\.height).filter { $0 > 0 }
        lineHeight = Self.median(heights) ?? 10
        var pitches: [Double] = []
        for (previous, line) in zip(lines, lines.dropFirst()) {
            let pitch = line.top - previous.top
            let larger = max(line.height, previous.height)
            let smaller = min(line.height, previous.height)
            guard pitch > 0.5 * smaller, pitch < 3 * larger, smaller > 0, larger / smaller <= 1.3 else { continue }
            pitches.append(pitch)
        }
        pitch = Self.median(pitches) ?? 1.2 * lineHeight
    }

    /// The right edge of the column `line` is in: the second widest right end among lines that
    /// start near where it starts (so that one line running into the margin does not count).
    func rightEdge(for line: PDFTextLine) -> Double {
        let reach = pageWidth > 0 ? 0.25 * pageWidth : .infinity
        let rights = lines.filter { abs($0.left - line.left) <= reach }.map(\.right).sorted(by: >)
        return max(rights.count > 1 ? rights[1] : line.right, line.right)
    }

    private static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}
