import CPopplerGLib
import QuarryCore

/// One page's text as poppler reads it: lines in reading order, each with its box.
struct PDFPage: Sendable {
    /// The 1-based page number.
    var number: Int
    /// The page size in points.
    var width: Double
    var height: Double
    /// The lines in poppler's reading order.
    var lines: [PDFTextLine]

    /// Whether the page has any text.
    var hasText: Bool { !lines.isEmpty }
}

/// A line of text on a page, with its bounding box in points from the page's top-left corner.
struct PDFTextLine: Sendable, Hashable {
    var text: String
    var left: Double
    var top: Double
    var right: Double
    var bottom: Double
    /// The width of the line's first word, to tell whether it would have fitted on the line before.
    var firstWordWidth: Double

    var height: Double { bottom - top }
    var width: Double { right - left }

    init(text: String, left: Double, top: Double, right: Double, bottom: Double, firstWordWidth: Double? = nil) {
        self.text = text
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
        self.firstWordWidth = firstWordWidth ?? 0
    }
}

/// An entry of the PDF's outline (bookmarks) that points at a page.
struct PDFOutlineEntry: Sendable, Hashable {
    var title: String
    /// 1 for a top-level entry.
    var level: Int
    /// The 1-based page it points at.
    var page: Int
    /// The vertical position it points at, in PDF units from the page's bottom, when it names one.
    var top: Double?
}

/// Splits `poppler_page_get_text` output into lines and measures them with `poppler_page_get_text_layout`.
enum PDFLineReader {
    /// The lines of `text`; `layout` has one rectangle per Unicode scalar of `text` (newlines included).
    ///
    /// When the layout does not match the text (it should always), the lines get made-up boxes one
    /// under another, full width, so that they are joined into paragraphs as plain text.
    static func lines(of text: String, layout: UnsafeBufferPointer<PopplerRectangle>) -> [PDFTextLine] {
        let scalars = Array(text.unicodeScalars)
        let hasLayout = layout.count == scalars.count
        var lines: [PDFTextLine] = []
        var current = String.UnicodeScalarView()
        var box = Box()
        var firstWordEnd: Double?
        var sawNonSpace = false
        var wordEnded = false

        func finishLine() {
            defer {
                current = String.UnicodeScalarView()
                box = Box()
                firstWordEnd = nil
                sawNonSpace = false
                wordEnded = false
            }
            let line = String(current).trimmingASCIIWhitespace()
            guard !line.isEmpty else { return }
            if hasLayout, box.isSet {
                lines.append(
                    PDFTextLine(
                        text: line,
                        left: box.left,
                        top: box.top,
                        right: box.right,
                        bottom: box.bottom,
                        firstWordWidth: (firstWordEnd ?? box.right) - box.left
                    )
                )
            } else {
                let top = Double(lines.count) * 12
                lines.append(
                    PDFTextLine(text: line, left: 0, top: top, right: 1000, bottom: top + 10, firstWordWidth: 1000)
                )
            }
        }

        for (index, scalar) in scalars.enumerated() {
            if scalar == "\n" || scalar == "\r" || scalar == "\u{0C}" {
                finishLine()
                continue
            }
            let isSpace = scalar.properties.isWhitespace
            if !isSpace, scalar.properties.generalCategory == .control { continue }
            let expansion = ligatures[scalar]
            if let expansion { current.append(contentsOf: expansion.unicodeScalars) } else { current.append(scalar) }
            guard hasLayout, !isSpace else {
                if sawNonSpace { wordEnded = true }
                continue
            }
            let rectangle = layout[index]
            box.add(rectangle)
            if !wordEnded { firstWordEnd = max(firstWordEnd ?? rectangle.x2, rectangle.x2) }
            sawNonSpace = true
        }
        finishLine()
        return lines
    }

    /// Typographic ligatures some PDFs keep as single characters, spelled out so that words match.
    private static let ligatures: [Unicode.Scalar: String] = [
        "\u{FB00}": "ff", "\u{FB01}": "fi", "\u{FB02}": "fl", "\u{FB03}": "ffi", "\u{FB04}": "ffl",
        "\u{FB05}": "st", "\u{FB06}": "st",
    ]

    private struct Box {
        var left = Double.infinity
        var top = Double.infinity
        var right = -Double.infinity
        var bottom = -Double.infinity
        var isSet: Bool { left.isFinite }

        mutating func add(_ rectangle: PopplerRectangle) {
            guard rectangle.x1.isFinite, rectangle.y1.isFinite, rectangle.x2.isFinite, rectangle.y2.isFinite else {
                return
            }
            left = min(left, rectangle.x1, rectangle.x2)
            right = max(right, rectangle.x1, rectangle.x2)
            top = min(top, rectangle.y1, rectangle.y2)
            bottom = max(bottom, rectangle.y1, rectangle.y2)
        }
    }
}
