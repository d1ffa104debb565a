import Foundation
import QuarryCore
import QuarryExtract
import Testing

/// The PDF extractor on a real typeset document: Debian's Developer's Reference (pdfTeX, 114 pages),
/// installed from the `developers-reference` package by `scripts/setup.sh`.
struct PDFRealDocumentTests {
    let path = PDFFixtures.developersReference

    private func extract() throws -> ExtractedDocument {
        try PDFExtractor().extract(PDFFixtures.installed(path))
    }

    private func block(containing text: String, in document: ExtractedDocument) throws -> TextBlock {
        try #require(document.blocks.first { $0.text.contains(text) }, "no block contains \(text)")
    }

    @Test func knownTextIsOnItsPage() throws {
        let document = try extract()
        #expect(
            try block(containing: "It is common for developers to have periods of absence", in: document).page == 20
        )
        #expect(try block(containing: "Democracy doesn't work well if people don't take part", in: document).page == 19)
        #expect(try block(containing: "Retired developers with a \"removed\" account", in: document).page == 21)
    }

    @Test func titleComesFromTheMetadata() throws {
        #expect(try extract().title == "Debian Developer's Reference")
    }

    @Test func everyOutlineEntryBecomesAHeadingOnItsPage() throws {
        let document = try extract()
        let headings = document.blocks.filter {
            if case .heading = $0.kind { return true }
            return false
        }
        #expect(headings.count == 281)
        let retiring = try #require(headings.first { $0.text == "Retiring" })
        #expect(retiring.kind == .heading(level: 3))
        #expect(retiring.page == 20)
        let duties = try #require(headings.first { $0.text == "Debian Developer's Duties" })
        #expect(duties.kind == .heading(level: 1))
        #expect(duties.page == 17)
        // The typeset heading line ("3.2.5 Retiring", "CHAPTER THREE …") became the heading.
        #expect(!document.blocks.contains { $0.text == "3.2.5 Retiring" || $0.text.hasPrefix("CHAPTER") })
        let index = try #require(document.blocks.firstIndex(of: retiring))
        #expect(document.blocks[index + 1].text.hasPrefix("If you choose to leave the Debian project"))
    }

    @Test func runningHeadersFootersAndPageNumbersAreDropped() throws {
        let document = try extract()
        let running = document.blocks.filter {
            $0.text.contains("Reference, Release 12.18") || $0.text.hasPrefix("Chapter 3. Debian Developer")
                || $0.text == "3.2. Administrative Duties"
        }
        #expect(running.isEmpty, "\(running.prefix(3))")
        // Pages 11 on print their number 8 less than their index; the front matter prints roman numbers.
        let pageNumbers = document.blocks.filter { block in
            guard let page = block.page else { return false }
            return page >= 11 && block.text == String(page - 8) || ["ii", "iii", "iv", "v", "vi"].contains(block.text)
        }
        #expect(pageNumbers.isEmpty, "\(pageNumbers.prefix(3))")
        // The body text next to them stays.
        #expect(try block(containing: "Mail nm@debian.org for further instructions.", in: document).page == 20)
    }

    @Test func hyphenatedLineEndsAreJoined() throws {
        let document = try extract()
        let emeritus = try block(containing: "A retired developer's account is marked", in: document)
        #expect(emeritus.text.contains("\"removed\" otherwise."))
        #expect(emeritus.page == 20)
    }

    @Test func listItemsAreBlocksOfTheirOwn() throws {
        let document = try extract()
        let item = try block(containing: "Orphan all your packages, as described in", in: document)
        #expect(item.kind == .listItem)
        #expect(item.text == "Orphan all your packages, as described in Orphaning a package.")
    }

    @Test func passagesCiteThePageTheirTextIsOn() throws {
        let chunked = Chunker().chunk(try extract())
        #expect(chunked.passages.count > 200)
        try expectPassagesOnTheirPages(chunked, path: path, pages: 114)
    }
}
