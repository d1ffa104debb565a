import QuarryCore
import QuarryExtract
import Testing

struct ChunkerTests {
    /// Every passage's text must be exactly the document text within its range.
    private func expectConsistent(_ chunked: ChunkedDocument) {
        let scalars = Array(chunked.text.unicodeScalars)
        for passage in chunked.passages {
            #expect(passage.range.end <= scalars.count)
            let slice = String(String.UnicodeScalarView(scalars[passage.range.start..<passage.range.end]))
            #expect(slice == passage.text)
        }
    }

    @Test func passagesFollowHeadingsAndKnowTheirPath() {
        let document = ExtractedDocument(
            title: "Handbook",
            blocks: [
                TextBlock(.heading(level: 1), "Handbook"),
                TextBlock(.paragraph, "Welcome to Northwind."),
                TextBlock(.heading(level: 2), "Leave"),
                TextBlock(.paragraph, "You get 27 days."),
                TextBlock(.heading(level: 3), "Carry over"),
                TextBlock(.paragraph, "Up to 5 days carry over."),
                TextBlock(.heading(level: 2), "Expenses"),
                TextBlock(.paragraph, "Submit receipts within 30 days."),
            ]
        )
        let chunked = Chunker().chunk(document)
        #expect(chunked.passages.map(\.headingPath) == [[], ["Leave"], ["Leave", "Carry over"], ["Expenses"]])
        #expect(
            chunked.passages.map(\.text) == [
                "Welcome to Northwind.", "You get 27 days.", "Up to 5 days carry over.",
                "Submit receipts within 30 days.",
            ]
        )
        #expect(chunked.passages.map(\.ordinal) == [0, 1, 2, 3])
        expectConsistent(chunked)
    }

    @Test func longSectionsAreCutOnSentencesWithOverlap() {
        let sentences = (1...60).map { "Sentence number \($0) talks about the fleet controller in some detail." }
        let document = ExtractedDocument(title: nil, blocks: [TextBlock(.paragraph, sentences.joined(separator: " "))])
        let configuration = ChunkingConfiguration(targetSize: 400, overlap: 100)
        let chunked = Chunker(configuration: configuration).chunk(document)

        #expect(chunked.passages.count > 5)
        for passage in chunked.passages {
            #expect(passage.text.unicodeScalars.count <= 400)
            #expect(passage.text.hasPrefix("Sentence number"))
            #expect(passage.text.hasSuffix("detail."))
        }
        for (previous, next) in zip(chunked.passages, chunked.passages.dropFirst()) {
            #expect(next.range.start < previous.range.end, "consecutive passages overlap")
            #expect(previous.range.end - next.range.start <= 100)
            #expect(next.range.start > previous.range.start, "passages move forward")
        }
        // Together the passages cover the whole text.
        #expect(chunked.passages.first?.range.start == 0)
        #expect(chunked.passages.last?.range.end == chunked.text.unicodeScalars.count)
        expectConsistent(chunked)
    }

    @Test func aHugeWordlessBlockIsCutToSize() {
        let blob = String(repeating: "x", count: 100_000)
        let chunked = Chunker(configuration: ChunkingConfiguration(targetSize: 1000, overlap: 100))
            .chunk(ExtractedDocument(title: nil, blocks: [TextBlock(.paragraph, blob)]))
        #expect(chunked.passages.count == 100)
        #expect(chunked.passages.allSatisfy { $0.text.count == 1000 })
        expectConsistent(chunked)
    }

    @Test func offsetsCountUnicodeScalars() {
        let document = ExtractedDocument(
            title: nil,
            blocks: [
                TextBlock(.paragraph, "Zoë 🎉 wrote the first part."),
                TextBlock(.heading(level: 2), "Café"),
                TextBlock(.paragraph, "José wrote the second."),
            ]
        )
        let chunked = Chunker().chunk(document)
        #expect(chunked.passages.count == 2)
        #expect(chunked.passages[1].range.start == "Zoë 🎉 wrote the first part.\n\nCafé\n\n".unicodeScalars.count)
        expectConsistent(chunked)
    }

    @Test func emptyDocumentsHaveNoPassages() {
        #expect(Chunker().chunk(ExtractedDocument(title: nil, blocks: [])).passages.isEmpty)
    }

    @Test(arguments: [(50, 0), (1000, 600), (30_000, 10)])
    func invalidConfigurationsAreRefusedWithTheSetting(size: Int, overlap: Int) {
        #expect(throws: ChunkingConfigurationError.self) {
            try ChunkingConfiguration(targetSize: size, overlap: overlap).validate()
        }
    }
}
