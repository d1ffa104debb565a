import QuarryCore

/// Finds and removes running headers and footers: the lines at the top or bottom edge of a page
/// that repeat from page to page (running titles, page numbers, "Page 3 of 12").
///
/// The rule, applied to documents with at least two pages of text:
///
/// 1. On each page, the *top band* is the topmost line and any line beside it (vertically
///    overlapping it by half its height, such as a page number at the other margin); the *bottom
///    band* likewise at the bottom. A band is a candidate only if it stands apart from the rest of
///    the page: a gap of at least half its line height separates it from the nearest other line.
/// 2. A candidate band is dropped when any of these holds:
///    - its text, with every run of digits counted as the same, appears as a candidate in the same
///      zone (top or bottom) on at least half of the pages with text (and on at least two);
///    - it holds a number that follows the page number, that is, whose difference to the page's
///      index is one that candidates in the same zone share on at least three pages and a fifth of
///      the pages (so "12  Chapter 3. Duties" goes, and the running title beside the number with it);
///    - its whole text is a page number: `7`, `- 7 -`, `Page 7`, `Page 7 of 9`, `7 / 9`, `vii`.
/// 3. On pages where a band was dropped, the next line in from that edge is examined the same way,
///    once more, for two-line headers.
///
/// Single pages are left alone: nothing on one page shows what repeats.
enum RunningHeaderFilter {
    enum Zone: Hashable {
        case top
        case bottom
    }

    /// Removes running headers and footers from `pages`, returning how many lines went.
    @discardableResult
    static func removeHeadersAndFooters(from pages: inout [PDFPage]) -> Int {
        let pagesWithText = pages.filter(\.hasText).count
        guard pagesWithText >= 2 else { return 0 }
        var removed = 0
        var active = Set(pages.indices.filter { pages[$0].hasText })
        for _ in 0..<2 {
            var next = Set<Int>()
            for zone in [Zone.top, .bottom] {
                let candidates = active.sorted().compactMap { band(of: pages[$0], pageIndex: $0, zone: zone) }
                let repetition = Repetition(candidates)
                for band in candidates where repetition.shouldDrop(band, pagesWithText: pagesWithText) {
                    pages[band.pageIndex].lines = pages[band.pageIndex].lines.enumerated()
                        .filter { !band.lineIndices.contains($0.offset) }.map(\.element)
                    removed += band.lineIndices.count
                    next.insert(band.pageIndex)
                }
            }
            active = next.filter { pages[$0].hasText }
            if active.isEmpty { break }
        }
        return removed
    }

    struct Band {
        var pageIndex: Int
        var pageNumber: Int
        var zone: Zone
        var lineIndices: Set<Int>
        /// The band's text, left to right.
        var text: String
        /// The text with digits folded, lowercased and with spaces collapsed.
        var signature: String
        /// The numbers in the band (arabic or roman), as candidates for the page number.
        var numbers: [Int]
    }

    /// The page's top or bottom band, if it stands apart from the rest of the page.
    static func band(of page: PDFPage, pageIndex: Int, zone: Zone) -> Band? {
        let lines = page.lines
        guard
            let edge = lines.indices.min(by: {
                zone == .top ? lines[$0].top < lines[$1].top : lines[$0].bottom > lines[$1].bottom
            })
        else { return nil }
        let edgeLine = lines[edge]
        let members = lines.indices.filter { index in
            let line = lines[index]
            let overlap = min(line.bottom, edgeLine.bottom) - max(line.top, edgeLine.top)
            return overlap >= 0.5 * min(line.height, edgeLine.height)
        }
        let memberSet = Set(members)
        let bandTop = members.map { lines[$0].top }.min() ?? edgeLine.top
        let bandBottom = members.map { lines[$0].bottom }.max() ?? edgeLine.bottom
        let bandHeight = members.map { lines[$0].height }.max() ?? edgeLine.height
        let others = lines.indices.filter { !memberSet.contains($0) }
        if !others.isEmpty {
            let gap =
                zone == .top
                ? (others.map { lines[$0].top }.min() ?? .infinity) - bandBottom
                : bandTop - (others.map { lines[$0].bottom }.max() ?? -.infinity)
            guard gap >= 0.5 * bandHeight else { return nil }
        }
        let text = members.sorted { lines[$0].left < lines[$1].left }.map { lines[$0].text }.joined(separator: " ")
        return Band(
            pageIndex: pageIndex,
            pageNumber: page.number,
            zone: zone,
            lineIndices: memberSet,
            text: text,
            signature: signature(of: text),
            numbers: numbers(in: text)
        )
    }

    /// How often the candidates of one zone repeat their text and their page-number offsets.
    struct Repetition {
        private var pagesBySignature: [String: Set<Int>] = [:]
        private var pagesByOffset: [Int: Set<Int>] = [:]

        init(_ candidates: [Band]) {
            for band in candidates {
                pagesBySignature[band.signature, default: []].insert(band.pageIndex)
                for number in band.numbers {
                    pagesByOffset[number - band.pageNumber, default: []].insert(band.pageIndex)
                }
            }
        }

        func shouldDrop(_ band: Band, pagesWithText: Int) -> Bool {
            if isPageNumber(band.text) { return true }
            let repeats = pagesBySignature[band.signature]?.count ?? 0
            if repeats >= max(2, (pagesWithText + 1) / 2) { return true }
            let threshold = max(3, (pagesWithText + 4) / 5)
            return band.numbers.contains { (pagesByOffset[$0 - band.pageNumber]?.count ?? 0) >= threshold }
        }
    }

    /// `Page 7 of 9` → `page # of #`.
    static func signature(of text: String) -> String {
        var result = ""
        var lastWasDigit = false
        var lastWasSpace = true
        for character in text.lowercased() {
            if character.isNumber {
                if !lastWasDigit { result.append("#") }
                lastWasDigit = true
                lastWasSpace = false
            } else if character.isWhitespace {
                if !lastWasSpace { result.append(" ") }
                lastWasSpace = true
                lastWasDigit = false
            } else {
                result.append(character)
                lastWasDigit = false
                lastWasSpace = false
            }
        }
        return result.trimmingASCIIWhitespace()
    }

    /// Whether the whole text is a page number in one of the usual forms.
    static func isPageNumber(_ text: String) -> Bool {
        let words = text.lowercased().split(whereSeparator: { $0.isWhitespace || "-–—|/".contains($0) })
            .map(String.init)
        guard !words.isEmpty, words.count <= 4 else { return false }
        var rest = words[...]
        if rest.first == "page" || rest.first == "p." || rest.first == "seite" || rest.first == "pág." {
            rest = rest.dropFirst()
        }
        guard let first = rest.first, number(from: first) != nil else { return false }
        rest = rest.dropFirst()
        if rest.first == "of" || rest.first == "von" || rest.first == "de" { rest = rest.dropFirst() }
        if let last = rest.first {
            guard rest.count == 1, Int(last) != nil else { return false }
        }
        return true
    }

    /// The arabic and roman numbers standing as words in `text`.
    static func numbers(in text: String) -> [Int] {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).compactMap { number(from: String($0)) }
    }

    private static func number(from word: String) -> Int? {
        if let value = Int(word), value >= 0, value < 100_000, word.count <= 5 { return value }
        return romanValue(word)
    }

    /// The value of a roman numeral (all lowercase or all capitals) up to 300, or nil: front matter
    /// is numbered with small ones, and larger ones are mostly words ("mix", "dim").
    static func romanValue(_ word: String) -> Int? {
        let values: [Character: Int] = ["i": 1, "v": 5, "x": 10, "l": 50, "c": 100]
        let lower = word.lowercased()
        guard word == lower || word == word.uppercased() else { return nil }
        guard !lower.isEmpty, lower.count <= 12, lower.allSatisfy({ values[$0] != nil }) else { return nil }
        let digits = lower.compactMap { values[$0] }
        var total = 0
        for (index, value) in digits.enumerated() {
            if index + 1 < digits.count, value < digits[index + 1] { total -= value } else { total += value }
        }
        // Only canonical numerals: "il" or "vv" are words, not numbers.
        guard total > 0, total <= 300, roman(total) == lower else { return nil }
        return total
    }

    private static func roman(_ value: Int) -> String {
        let table: [(Int, String)] = [
            (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
        ]
        var rest = value
        var result = ""
        for (amount, numeral) in table {
            while rest >= amount {
                result += numeral
                rest -= amount
            }
        }
        return result
    }
}
