import Foundation
import QuarryCore
import QuarryExtract
import Synchronization
import Testing

/// The PDF extractor on committed fixtures made with LibreOffice, qpdf and img2pdf
/// (`Fixtures/pdf/make-fixtures.sh`), and on hostile input.
struct PDFExtractorTests {
    let extractor = PDFExtractor()

    private func handbook() throws -> ExtractedDocument {
        try extractor.extract(PDFFixtures.data("handbook.pdf"))
    }

    private func block(containing text: String, in document: ExtractedDocument) throws -> TextBlock {
        try #require(document.blocks.first { $0.text.contains(text) }, "no block contains \(text)")
    }

    @Test func knownTextIsOnItsPage() throws {
        let document = try handbook()
        #expect(try block(containing: "Meals abroad are reimbursed up to 60 euros per day.", in: document).page == 2)
        #expect(try block(containing: "+44 20 7946 0958", in: document).page == 3)
        #expect(try block(containing: "travel@northwind.example", in: document).page == 4)
        #expect(try block(containing: "fourteen days before departure", in: document).page == 1)
        #expect(document.blocks.allSatisfy { $0.page != nil })
    }

    @Test func titleComesFromTheMetadata() throws {
        #expect(try handbook().title == "Northwind Travel Policy")
    }

    @Test func outlineEntriesBecomeHeadingsWhereTheyPoint() throws {
        let document = try handbook()
        let headings = document.blocks.compactMap { block -> String? in
            guard case .heading(let level) = block.kind else { return nil }
            return "\(level) \(block.text) p\(block.page ?? 0)"
        }
        #expect(
            headings == [
                "1 Booking p1", "2 Flights p1", "2 Trains p1", "1 Expenses p2", "2 Meals p2", "2 Hotels p2",
                "1 Safety p3", "1 Contacts p4",
            ]
        )
        // Each heading stands right before its section's text, and its line is not repeated as a paragraph.
        let texts = document.blocks.map(\.text)
        let meals = try #require(texts.firstIndex(of: "Meals"))
        #expect(texts[meals + 1].hasPrefix("Meals abroad are reimbursed"))
        let booking = try #require(texts.firstIndex(of: "Booking"))
        #expect(texts[booking + 1].hasPrefix("All trips are booked through the travel desk"))
        #expect(document.blocks.filter { $0.text == "Booking" }.count == 1)
    }

    @Test func hardWrappedLinesJoinIntoParagraphs() throws {
        let document = try handbook()
        let flights = try block(containing: "Flights shorter than six hours", in: document)
        #expect(
            flights.text
                == "Flights shorter than six hours are booked in economy class. Longer flights may be booked in "
                + "premium economy with the approval of a director. Travellers keep the loyalty points they earn, "
                + "but points never influence the choice of an airline."
        )
        #expect(flights.kind == .paragraph)
        // The next paragraph, after a gap, is a block of its own.
        #expect(try block(containing: "Changes to a booked flight", in: document).text.hasPrefix("Changes"))
    }

    @Test func endOfLineHyphenationIsUndone() throws {
        let hotels = try block(containing: "Hotels are booked by the travel desk", in: handbook())
        // LibreOffice broke "deci-sions" and "Excep-tionally" at soft hyphens; "preferred-hotel" is a real compound.
        #expect(hotels.text.contains("document their administrative decisions, and publish"))
        #expect(hotels.text.contains("take effect. Exceptionally, the finance team"))
        #expect(hotels.text.contains("preferred-hotel list"))
        #expect(!hotels.text.contains("-\n") && !hotels.text.contains("deci-"))
    }

    @Test func runningHeadersAndFootersAreDropped() throws {
        let document = try handbook()
        #expect(!document.blocks.contains { $0.text.contains("Page 1 of 4") || $0.text.contains("of 4") })
        #expect(!document.blocks.contains { $0.text.contains("Internal · Travel Policy") })
        // The title line on page 1 is content, not a header: it is kept.
        #expect(document.blocks.first?.text == "Northwind Travel Policy")
    }

    @Test func titleFallsBackToTheFirstLine() throws {
        let untitled = try extractor.extract(PDFFixtures.data("memo-untitled.pdf"))
        #expect(untitled.title == "Quarterly Security Review")
        let fileNameTitle = try extractor.extract(PDFFixtures.data("memo-word-title.pdf"))
        #expect(fileNameTitle.title == "Quarterly Security Review")
        #expect(fileNameTitle.blocks.map(\.text).contains { $0.hasPrefix("The security team reviewed access") })
    }

    @Test func passwordProtectedPDFsAreRefused() throws {
        #expect(throws: ExtractionError.encryptedPDF) {
            try extractor.extract(PDFFixtures.data("handbook-encrypted.pdf"))
        }
        #expect(ExtractionError.encryptedPDF.description == "the content could not be read: the PDF is encrypted")
    }

    @Test func anOwnerPasswordAloneDoesNotStopExtraction() throws {
        let document = try extractor.extract(PDFFixtures.data("handbook-owner-password.pdf"))
        #expect(try block(containing: "Meals abroad", in: document).page == 2)
    }

    @Test func truncatedPDFsAreDamaged() throws {
        #expect(throws: ExtractionError.damagedPDF("PDF document is damaged")) {
            try extractor.extract(PDFFixtures.data("handbook-truncated.pdf"))
        }
    }

    @Test func aRealPDFCutInHalfIsDamaged() throws {
        let data = try PDFFixtures.installed(PDFFixtures.developersReference)
        #expect(throws: ExtractionError.damagedPDF("PDF document is damaged")) {
            try extractor.extract(data.prefix(data.count / 2))
        }
    }

    @Test func zeroBytesAreRefused() throws {
        #expect(throws: ExtractionError.emptyPDF) { try extractor.extract(Data()) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-empty-\(UUID()).pdf").path
        FileManager.default.createFile(atPath: path, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ExtractionError.emptyPDF) { try extractor.extract(fileAt: path) }
    }

    @Test func garbageAfterTheSignatureIsDamagedNotACrash() {
        var generator = SeededGenerator(seed: 0x5155_4152_5259)
        for length in [0, 1, 16, 1000, 100_000] {
            let garbage =
                Data("%PDF-1.7\n".utf8) + Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
            #expect(throws: ExtractionError.damagedPDF("PDF document is damaged")) { try extractor.extract(garbage) }
        }
    }

    @Test func corruptedBytesInsideARealPDFNeverCrash() throws {
        let original = try PDFFixtures.data("handbook.pdf")
        var generator = SeededGenerator(seed: 42)
        var outcomes: [String: Int] = [:]
        for _ in 0..<40 {
            var bytes = [UInt8](original)
            for _ in 0..<8 {  // overwrite eight runs of 32 bytes anywhere, xref and streams included
                let start = Int.random(in: 0..<(bytes.count - 32), using: &generator)
                for index in start..<(start + 32) { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
            }
            do {
                let document = try extractor.extract(Data(bytes))
                #expect(document.blocks.allSatisfy { (1...4).contains($0.page ?? 0) })
                outcomes["extracted", default: 0] += 1
            } catch {
                outcomes[error.description, default: 0] += 1
            }
        }
        // poppler repairs most copies (36 of 40 here) and refuses the others as damaged or empty;
        // either way every call returns.
        #expect(outcomes.values.reduce(0, +) == 40)
        #expect(outcomes["extracted", default: 0] > 0)
        let known = [
            "extracted", ExtractionError.empty.description,
            ExtractionError.damagedPDF("PDF document is damaged").description,
        ]
        #expect(outcomes.keys.allSatisfy { known.contains($0) }, "\(outcomes)")
    }

    @Test func aScannedPDFHasNoTextLayer() throws {
        #expect(throws: ExtractionError.pdfWithoutTextLayer) {
            try extractor.extract(PDFFixtures.data("scanned.pdf"))
        }
        #expect(
            ExtractionError.pdfWithoutTextLayer.description
                == "the content could not be read: the PDF has no text layer (scanned pages need OCR)"
        )
    }

    @Test func pagesWithoutTextInAPDFWithTextAreReportedAsWarnings() throws {
        let document = try extractor.extract(PDFFixtures.data("partly-scanned.pdf"))
        #expect(document.warnings == ["page 3 has no text layer (scanned pages need OCR)"])
        #expect(try block(containing: "Meals abroad", in: document).page == 2)
        #expect(document.blocks.allSatisfy { $0.page != 3 })
    }

    @Test func documentsOnSeveralThreadsAtOnceGiveTheSameResult() throws {
        let inputs = try ["handbook.pdf", "memo-untitled.pdf", "partly-scanned.pdf"].map(PDFFixtures.data)
        let expected = try inputs.map { try extractor.extract($0) }
        let results = Mutex([Int: ExtractedDocument]())
        DispatchQueue.concurrentPerform(iterations: 24) { iteration in
            let document = try? extractor.extract(inputs[iteration % inputs.count])
            results.withLock { $0[iteration] = document }
        }
        let documents = results.withLock { $0 }
        #expect(documents.count == 24)
        for (iteration, document) in documents {
            #expect(document == expected[iteration % inputs.count], "iteration \(iteration)")
        }
    }

    @Test func aFileOnDiskReadsLikeItsBytes() throws {
        let path = try PDFFixtures.path("handbook.pdf")
        #expect(try extractor.extract(fileAt: path) == (try handbook()))
        #expect(throws: ExtractionError.self) { try extractor.extract(fileAt: path + ".missing") }
    }

    @Test func passagesCiteThePageTheirTextIsOn() throws {
        let path = try PDFFixtures.path("handbook.pdf")
        let chunked = Chunker(configuration: ChunkingConfiguration(targetSize: 200, overlap: 40)).chunk(try handbook())
        #expect(chunked.passages.count > 10)
        try expectPassagesOnTheirPages(chunked, path: path, pages: 4)
    }
}

/// Checks that each passage's opening words are on the page it cites, as `pdftotext` reads that page.
func expectPassagesOnTheirPages(_ chunked: ChunkedDocument, path: String, pages: Int) throws {
    var pageTexts: [Int: String] = [:]
    for number in 1...pages {
        pageTexts[number] = comparable(try PDFFixtures.pdftotext(path, page: number))
    }
    var misplaced: [String] = []
    for passage in chunked.passages {
        let page = try #require(passage.page)
        // The passage's first block (blocks are joined by blank lines; a passage may run on into the next page).
        let firstBlock = passage.text.components(separatedBy: "\n\n")[0]
        let opening = comparable(firstBlock.split(whereSeparator: \.isWhitespace).prefix(6).joined(separator: " "))
        if !opening.isEmpty, pageTexts[page]?.contains(opening) != true {
            misplaced.append("p. \(page): \(opening)")
        }
    }
    #expect(misplaced.isEmpty, "passages whose opening is not on the page they cite: \(misplaced.prefix(5))")
}

/// Text reduced to lowercase letters and digits, so that line breaks, hyphenation and punctuation
/// do not matter when comparing two readings of a page.
func comparable(_ text: String) -> String {
    String(text.lowercased().filter { $0.isLetter || $0.isNumber })
}

/// A small deterministic generator (SplitMix64), so that the garbage is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
