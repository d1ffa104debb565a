public import QuarryCore

/// A document's full extracted text and the passages cut from it.
public struct ChunkedDocument: Sendable, Hashable {
    /// The document's text: its blocks joined by blank lines. Passage offsets index into it.
    public var text: String
    /// The passages, in document order.
    public var passages: [Passage]
}

/// Cuts an ``ExtractedDocument`` into ``Passage``s that follow its headings and sentences.
///
/// Each section (the blocks under one heading) is packed into passages of about
/// ``ChunkingConfiguration/targetSize`` characters; passages never cross a heading and end on a
/// sentence boundary where possible. A table row (a CSV row, an HTML table's row) is a passage of
/// its own, so that it is found and cited alone. When a section needs several passages, each
/// repeats the last sentences of the one before, up to ``ChunkingConfiguration/overlap``
/// characters. Headings are not part of passage text; they become the passage's heading path.
public struct Chunker: Sendable {
    /// The sizes used.
    public let configuration: ChunkingConfiguration

    /// Creates a chunker.
    public init(configuration: ChunkingConfiguration = .init()) {
        self.configuration = configuration
    }

    /// Cuts `document` into passages.
    public func chunk(_ document: ExtractedDocument) -> ChunkedDocument {
        var text: [Unicode.Scalar] = []
        var sections: [Section] = []
        var headingPath: [(level: Int, text: String)] = []
        var isFirstHeading = true

        for block in document.blocks {
            if !text.isEmpty { text.append(contentsOf: "\n\n".unicodeScalars) }
            let start = text.count
            text.append(contentsOf: block.text.unicodeScalars)

            if case .heading(let level) = block.kind {
                defer { isFirstHeading = false }
                if isFirstHeading, level == 1, block.text == document.title {
                    continue  // the title heading: the title is shown on its own
                }
                headingPath.removeAll { $0.level >= level }
                headingPath.append((level, block.text))
                continue
            }
            let path = headingPath.map(\.text)
            let isRow = block.kind == .tableRow
            if isRow || sections.last?.headingPath != path || sections.last?.isRow != false {
                sections.append(Section(headingPath: path, units: [], isRow: isRow))
            }
            for range in units(of: block.text) {
                sections[sections.count - 1].units.append(
                    Unit(start: start + range.start, end: start + range.end, page: block.page)
                )
            }
        }

        var passages: [Passage] = []
        for section in sections {
            for span in pack(section.units) {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: text[span.start..<span.end])
                passages.append(
                    Passage(
                        ordinal: passages.count,
                        text: String(view),
                        headingPath: section.headingPath,
                        range: TextRange(start: span.start, end: span.end),
                        page: span.page
                    )
                )
            }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text)
        return ChunkedDocument(text: String(view), passages: passages)
    }

    private struct Section {
        var headingPath: [String]
        var units: [Unit]
        /// A table row: a passage of its own, so that it is found and cited alone.
        var isRow = false
    }

    /// A sentence, or a piece of an over-long sentence, with offsets in the document text.
    private struct Unit {
        var start: Int
        var end: Int
        var page: Int?
        var length: Int { end - start }
    }

    /// The sentences of a block, with sentences longer than a passage cut between words.
    private func units(of blockText: String) -> [TextRange] {
        let scalars = Array(blockText.unicodeScalars)
        var result: [TextRange] = []
        for sentence in SentenceSplitter.sentenceRanges(in: blockText) {
            var start = sentence.start
            while sentence.end - start > configuration.targetSize {
                var cut = start + configuration.targetSize
                while cut > start + configuration.targetSize / 2, !scalars[cut].properties.isWhitespace { cut -= 1 }
                if cut <= start + configuration.targetSize / 2 { cut = start + configuration.targetSize }
                result.append(TextRange(start: start, end: cut))
                start = cut
                while start < sentence.end, scalars[start].properties.isWhitespace { start += 1 }
            }
            if start < sentence.end {
                result.append(TextRange(start: start, end: sentence.end))
            }
        }
        return result
    }

    /// Packs consecutive units into spans of about the target size, with sentence overlap.
    private func pack(_ units: [Unit]) -> [(start: Int, end: Int, page: Int?)] {
        var spans: [(start: Int, end: Int, page: Int?)] = []
        var first = 0
        while first < units.count {
            var last = first
            while last + 1 < units.count, units[last + 1].end - units[first].start <= configuration.targetSize {
                last += 1
            }
            spans.append((units[first].start, units[last].end, units[first].page))
            guard last + 1 < units.count else { break }
            // Start the next passage with as many trailing sentences as fit in the overlap,
            // but always move forward by at least one unit.
            var next = last + 1
            while next - 1 > first, units[last].end - units[next - 1].start <= configuration.overlap {
                next -= 1
            }
            first = next
        }
        return spans
    }
}
