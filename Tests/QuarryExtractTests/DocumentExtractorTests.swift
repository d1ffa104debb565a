import Foundation
import QuarryCore
import QuarryExtract
import Testing

struct DocumentExtractorTests {
    let extractor = DocumentExtractor()

    @Test func markdownWithBOMIsDecoded() throws {
        let data = Data([0xEF, 0xBB, 0xBF]) + Data("# Title\n\nBody text.".utf8)
        let document = try extractor.extract(.data(data), contentType: .markdown)
        #expect(document.title == "Title")
        #expect(document.blocks.last?.text == "Body text.")
    }

    @Test func legacyWindows1252TextIsDecoded() throws {
        let data = Data("Caf".utf8) + Data([0xE9]) + Data(" costs 5 ".utf8) + Data([0x80]) + Data(".".utf8)
        let document = try extractor.extract(.data(data), contentType: .plainText)
        #expect(document.blocks.map(\.text) == ["Café costs 5 €."])
    }

    @Test func binaryContentIsRefusedWithAReason() {
        let data = Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x01])
        #expect(throws: ExtractionError.binary) { try extractor.extract(.data(data), contentType: .plainText) }
    }

    @Test func emptyDocumentsAreRefused() {
        #expect(throws: ExtractionError.empty) {
            try extractor.extract(.data(Data("  \n# Only a heading\n".utf8)), contentType: .markdown)
        }
    }

    @Test func aPDFSignatureWinsOverTheDeclaredTypeAndAFakePDFIsDamaged() {
        for declared in [ContentType.plainText, .markdown, nil] {
            do {
                _ = try extractor.extract(.data(Data("%PDF-1.7 not really a PDF".utf8)), contentType: declared)
                Issue.record("expected an error")
            } catch {
                #expect(error.description.hasPrefix("the content could not be read: the PDF is damaged"))
            }
        }
    }

    @Test func undeclaredContentIsSniffedFromItsFirstBytes() {
        let html = Data("\u{FEFF}<!-- generated -->\n<!DOCTYPE html><title>T</title><p>x</p>".utf8)
        #expect(DocumentExtractor.contentType(of: html, declared: nil) == .html)
        #expect(DocumentExtractor.contentType(of: Data("<HTML><BODY>x".utf8), declared: nil) == .html)
        #expect(DocumentExtractor.contentType(of: Data("junk\n%PDF-1.4".utf8), declared: nil) == .pdf)
        #expect(DocumentExtractor.contentType(of: Data("a,b\n1,2".utf8), declared: nil) == .plainText)
        #expect(DocumentExtractor.contentType(of: Data("a,b\n1,2".utf8), declared: .csv) == .csv)
        #expect(DocumentExtractor.contentType(of: Data("junk %PDF-1.4".utf8), declared: .markdown) == .markdown)
    }

    @Test func eachFormatGoesToItsExtractor() throws {
        let html = try extractor.extract(
            .data(Data("<html><head><title>Leave</title></head><body><p>Take it.</p></body></html>".utf8)),
            contentType: .html
        )
        #expect(html.title == "Leave")
        #expect(html.blocks == [TextBlock(.paragraph, "Take it.")])
        let csv = try extractor.extract(.data(Data("Project,Budget\nApollo,1.2m\n".utf8)), contentType: .csv)
        #expect(csv.blocks == [TextBlock(.tableRow, "Project: Apollo; Budget: 1.2m")])
    }

    @Test func oversizedFilesAreRefused() throws {
        let small = DocumentExtractor(maximumTextBytes: 10)
        #expect(throws: ExtractionError.self) {
            try small.extract(.data(Data(String(repeating: "a", count: 11).utf8)), contentType: .plainText)
        }
    }
}
