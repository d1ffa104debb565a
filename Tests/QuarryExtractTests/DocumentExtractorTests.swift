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

    @Test func formatsWithoutAnExtractorSaySo() {
        do {
            _ = try extractor.extract(.data(Data("%PDF-1.7 ...".utf8)), contentType: nil)
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "no extractor for content type application/pdf")
        }
    }

    @Test func oversizedFilesAreRefused() throws {
        let small = DocumentExtractor(maximumTextBytes: 10)
        #expect(throws: ExtractionError.self) {
            try small.extract(.data(Data(String(repeating: "a", count: 11).utf8)), contentType: .plainText)
        }
    }
}
