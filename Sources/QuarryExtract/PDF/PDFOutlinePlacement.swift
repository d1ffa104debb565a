/// Puts the outline's entries among a page's lines, as headings, where they point.
///
/// An entry that points at a position looks for its title among the first six lines at or below
/// that position (20 points of slack above it); one without a position looks through the whole page.
/// A line matches when, compared by letters and digits only, it is the title or ends with it
/// after a short number or label (`3.2.4 Going on vacation`, `Chapter 3 Duties`), alone or
/// together with the next line. The matched lines become the heading (so the heading's text is not
/// repeated as a paragraph), along with short all-capital labels just above it (`CHAPTER`, `THREE`).
/// An entry whose title is not found is inserted before the first line at or below its position,
/// or at the top of the page when it has none.
struct PDFOutlinePlacement: Sendable {
    private var entriesByPage: [Int: [PDFOutlineEntry]] = [:]

    init(entries: [PDFOutlineEntry]) {
        for entry in entries where !Self.cleanTitle(entry.title).isEmpty {
            entriesByPage[entry.page, default: []].append(entry)
        }
    }

    /// Whether any entry points at the page with this 1-based number.
    func hasEntries(for page: Int) -> Bool {
        entriesByPage[page] != nil
    }

    /// The page's lines in order, with the headings that point into the page inserted.
    func items(for page: PDFPage) -> [PDFPageItem] {
        let lines = page.lines
        guard let entries = entriesByPage[page.number] else { return lines.map { .line($0) } }
        var headingsBefore: [Int: [PDFPageItem]] = [:]
        var consumed = Set<Int>()
        for entry in entries {
            let title = Self.cleanTitle(entry.title)
            let key = Self.normalized(title)
            let target = entry.top.map { page.height - $0 }
            let candidates = lines.indices.filter { index in
                !consumed.contains(index) && target.map { lines[index].top >= $0 - 20 } ?? true
            }
            let window = target == nil ? candidates[...] : candidates.prefix(6)
            var insertion: Int
            if let match = Self.match(key, in: Array(window), lines: lines) {
                var taken = Array(match)
                for index in window where index < match.lowerBound && Self.isLabel(lines[index].text) {
                    taken.append(index)
                }
                consumed.formUnion(taken)
                insertion = taken.min() ?? match.lowerBound
            } else if let target {
                insertion = lines.indices.first { !consumed.contains($0) && lines[$0].top >= target - 2 } ?? lines.count
            } else {
                insertion = 0
            }
            headingsBefore[insertion, default: []].append(.heading(title, level: entry.level))
        }
        var items: [PDFPageItem] = []
        for index in lines.indices {
            items += headingsBefore[index] ?? []
            if !consumed.contains(index) { items.append(.line(lines[index])) }
        }
        items += headingsBefore[lines.count] ?? []
        return items
    }

    /// The lines (one, or two in a row) in `window` whose text is the title.
    private static func match(_ key: String, in window: [Int], lines: [PDFTextLine]) -> ClosedRange<Int>? {
        guard !key.isEmpty else { return nil }
        for (position, index) in window.enumerated() {
            let text = normalized(lines[index].text)
            if matches(text, key) { return index...index }
            if position + 1 < window.count, window[position + 1] == index + 1,
                matches(text + normalized(lines[index + 1].text), key)
            {
                return index...(index + 1)
            }
        }
        return nil
    }

    /// Whether a line's normalised text is the title, possibly after a number or label.
    private static func matches(_ text: String, _ key: String) -> Bool {
        guard text.hasSuffix(key) else { return false }
        let prefix = text.dropLast(key.count)
        guard prefix.count <= 12 else { return false }
        if prefix.filter(\.isLetter).count <= 2 { return true }
        return ["chapter", "part", "section", "appendix", "annex", "kapitel", "chapitre", "teil"].contains {
            prefix.hasPrefix($0)
        }
    }

    /// A line of at most two words without lowercase letters, like `CHAPTER` or `THREE` or `3`.
    private static func isLabel(_ text: String) -> Bool {
        text.split(whereSeparator: \.isWhitespace).count <= 2 && !text.contains(where: \.isLowercase)
    }

    /// Letters and digits only, lowercased: `Debian Developer’s Duties` → `debiandevelopersduties`.
    static func normalized(_ text: String) -> String {
        String(text.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// The title with its whitespace collapsed.
    static func cleanTitle(_ title: String) -> String {
        title.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
    }
}
