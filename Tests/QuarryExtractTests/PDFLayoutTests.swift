import Testing

@testable import QuarryExtract

/// The layout rules of the PDF extractor on made-up lines, one rule at a time.
struct PDFLayoutTests {
    /// A line of text at `top`, 10 points high, with 5-point characters.
    private func line(_ text: String, top: Double, left: Double = 72, right: Double? = nil) -> PDFTextLine {
        let firstWord = Double(text.prefix { !$0.isWhitespace }.count) * 5
        return PDFTextLine(
            text: text,
            left: left,
            top: top,
            right: right ?? min(540, left + Double(text.count) * 5),
            bottom: top + 10,
            firstWordWidth: firstWord
        )
    }

    private func paragraphs(_ lines: [PDFTextLine], dehyphenator: Dehyphenator = Dehyphenator()) -> [String] {
        PDFParagraphBuilder(dehyphenator: dehyphenator).blocks(for: lines.map { .line($0) }, pageWidth: 612)
            .map(\.text)
    }

    @Test func gapsWiderThanTheLinePitchSeparateParagraphs() {
        let lines = [
            line("The first paragraph runs over", top: 100, right: 540),
            line("two lines.", top: 112),
            line("The second paragraph starts after a gap", top: 130, right: 540),
            line("and ends here.", top: 142),
        ]
        #expect(
            paragraphs(lines) == [
                "The first paragraph runs over two lines.",
                "The second paragraph starts after a gap and ends here.",
            ]
        )
    }

    @Test func anIndentedLineAfterAShortOneStartsAParagraph() {
        let lines = [
            line("A paragraph without space after it", top: 100, right: 540),
            line("ends early.", top: 112),
            line("Indented, the next paragraph begins", top: 124, left: 90, right: 540),
            line("and goes on.", top: 136),
        ]
        #expect(paragraphs(lines).count == 2)
    }

    @Test func aSentenceEndingShortLineBeforeACapitalStartsAParagraph() {
        let lines = [
            line("Lines without spacing or indent", top: 100, right: 540),
            line("end here.", top: 112),
            line("Then a new paragraph starts", top: 124, right: 540),
        ]
        #expect(paragraphs(lines) == ["Lines without spacing or indent end here.", "Then a new paragraph starts"])
    }

    @Test func shortLinesWithoutSentenceEndsKeepTheirBreaks() {
        let lines = [
            line("Prose before the example fills the column to its right edge,", top: 58, right: 540),
            line("a column wider than the lines of code below it.", top: 70, right: 540),
            line("set data linespoints", top: 100),
            line("plot 'file' using 1:2", top: 112),
        ]
        #expect(paragraphs(lines).last == "set data linespoints\nplot 'file' using 1:2")
    }

    @Test func bulletsStartListItems() {
        let lines = [
            line("• Orphan all your packages, as described", top: 100, left: 88, right: 540),
            line("in Orphaning a package.", top: 112, left: 97),
            line("• Remove yourself from uploaders.", top: 130, left: 88),
        ]
        let blocks = PDFParagraphBuilder(dehyphenator: Dehyphenator())
            .blocks(for: lines.map { .line($0) }, pageWidth: 612)
        #expect(blocks.map(\.kind) == [.listItem, .listItem])
        #expect(
            blocks.map(\.text) == [
                "Orphan all your packages, as described in Orphaning a package.", "Remove yourself from uploaders.",
            ]
        )
    }

    @Test func hyphenationIsUndoneUnlessTheDocumentWritesTheCompound() {
        var dehyphenator = Dehyphenator()
        for word in ["team-maintained", "otherwise", "team", "maintained", "self", "contained"] {
            dehyphenator.learn(word)
        }
        #expect(dehyphenator.removesHyphen(prefix: "organi", suffix: "zation"))  // no evidence: hyphenation
        #expect(dehyphenator.removesHyphen(prefix: "other", suffix: "wise"))  // the document writes "otherwise"
        #expect(!dehyphenator.removesHyphen(prefix: "team", suffix: "maintained"))  // it writes "team-maintained"
        #expect(!dehyphenator.removesHyphen(prefix: "self", suffix: "contained"))  // two words it uses
        let lines = [
            line("the finance organi-", top: 100, right: 540),
            line("zation and the co- or team-", top: 112, right: 540),
            line("maintained packages", top: 124),
        ]
        #expect(
            paragraphs(lines, dehyphenator: dehyphenator) == [
                "the finance organization and the co- or team-maintained packages"
            ]
        )
    }

    @Test func fragmentsAroundLineEndHyphensAreNotLearnedAsWords() {
        let page = PDFPage(
            number: 1,
            width: 612,
            height: 792,
            lines: [line("administrative deci-", top: 100), line("sions were made", top: 112)]
        )
        let dehyphenator = Dehyphenator(pages: [page])
        #expect(dehyphenator.words.contains("administrative"))
        #expect(!dehyphenator.words.contains("deci") && !dehyphenator.words.contains("sions"))
        #expect(dehyphenator.removesHyphen(prefix: "deci", suffix: "sions"))
    }

    @Test func pageNumbersInTheirUsualForms() {
        for text in ["7", "- 7 -", "Page 7", "Page 7 of 12", "7 / 12", "vii", "xiv", "– 3 –"] {
            #expect(RunningHeaderFilter.isPageNumber(text), "\(text)")
        }
        for text in ["7 days", "Chapter 7", "Page seven", "Mix", "mix", "I think", "2023-03-06 review"] {
            #expect(!RunningHeaderFilter.isPageNumber(text), "\(text)")
        }
        #expect(RunningHeaderFilter.romanValue("xiv") == 14)
        #expect(RunningHeaderFilter.romanValue("iiii") == nil)
        #expect(RunningHeaderFilter.signature(of: "Page 12  of 40") == "page # of #")
    }

    /// Pages with a running title at the top, a chapter title beside the page number at the bottom,
    /// and body text between.
    private func bookPages(count: Int) -> [PDFPage] {
        (1...count).map { number in
            // A new chapter every two pages: no footer text repeats on half of the pages.
            let chapter =
                "Chapter \((number + 1) / 2). " + ["Duties", "Resources", "Uploads", "Testing"][(number - 1) / 2 % 4]
            return PDFPage(
                number: number,
                width: 612,
                height: 792,
                lines: [
                    line("The Reference, Release 12.18", top: 34, left: 326),
                    line("Body text of page \(number) starts at the top", top: 80, right: 540),
                    line("and continues here.", top: 92),
                    line(String(number + 8), top: 740, left: 72),
                    line(chapter, top: 740, left: 400),
                ]
            )
        }
    }

    @Test func runningTitlesAndNumberedFootersAreRemoved() {
        var pages = bookPages(count: 8)
        let removed = RunningHeaderFilter.removeHeadersAndFooters(from: &pages)
        #expect(removed == 24)
        #expect(pages.allSatisfy { $0.lines.map(\.text).first?.hasPrefix("Body text of page") == true })
        #expect(pages.allSatisfy { $0.lines.count == 2 })
    }

    @Test func aSinglePageKeepsItsEdges() {
        var pages = Array(bookPages(count: 1))
        #expect(RunningHeaderFilter.removeHeadersAndFooters(from: &pages) == 0)
    }

    @Test func lineSpacedBodyTextAtTheEdgeIsNotAHeader() {
        // The first line of the body sits at the same height on every page, but it is not set apart.
        var pages = (1...6).map { number in
            PDFPage(
                number: number,
                width: 612,
                height: 792,
                lines: [
                    line("Every page starts with body text \(number)", top: 72, right: 540),
                    line("that continues on the next line", top: 84, right: 540),
                    line("and ends.", top: 96),
                ]
            )
        }
        #expect(RunningHeaderFilter.removeHeadersAndFooters(from: &pages) == 0)
    }

    @Test func metadataTitlesThatAreFileNamesOrPlaceholdersAreIgnored() {
        #expect(PDFTitle.meaningful("Debian Developer's Reference") == "Debian Developer's Reference")
        #expect(PDFTitle.meaningful("  Annual   Report 2024 ") == "Annual Report 2024")
        for title in [
            nil, "", "   ", "Untitled", "untitled-3", "Microsoft Word - report.docx", "scan0001.pdf",
            "C:\\Users\\ann\\memo", "Slide 1", "PowerPoint Presentation", "12345",
        ] {
            #expect(PDFTitle.meaningful(title) == nil, "\(title ?? "nil")")
        }
    }
}
