import Foundation
import QuarryCore
import QuarryExtract
import Testing

struct CSVExtractorTests {
    let extractor = CSVExtractor()

    private func rows(_ csv: String) throws -> [String] {
        try extractor.extract(Data(csv.utf8)).blocks.map(\.text)
    }

    @Test func rowsAreRenderedWithTheirColumnNames() throws {
        let document = try extractor.extract(
            Data("Project,Budget,Owner\nApollo,£1.2m,Dana\nHermes,,Eli\n".utf8)
        )
        #expect(
            document.blocks == [
                TextBlock(.tableRow, "Project: Apollo; Budget: £1.2m; Owner: Dana"),
                TextBlock(.tableRow, "Project: Hermes; Owner: Eli"),
            ]
        )
        #expect(document.title == nil)
        #expect(document.warnings.isEmpty)
    }

    @Test func quotesEmbeddedLineBreaksAndLineEndsFollowRFC4180() throws {
        let csv = "Name,Note,Amount\r\n\"Smith, Jo\",\"said \"\"hi\"\"\",3\r\n\"Lee\",\"two\r\nlines\",\"\"\r\nLast,x,1"
        #expect(
            try rows(csv) == [
                "Name: Smith, Jo; Note: said \"hi\"; Amount: 3", "Name: Lee; Note: two lines",
                "Name: Last; Note: x; Amount: 1",
            ]
        )
        #expect(try rows("a,b\rx,y\r\rz,w") == ["a: x; b: y", "a: z; b: w"], "lone CRs and blank lines")
    }

    @Test func theDelimiterIsSniffed() throws {
        #expect(
            try rows("Land;Hauptstadt;Einwohner\nDeutschland;Berlin;3,7 Mio\n") == [
                "Land: Deutschland; Hauptstadt: Berlin; Einwohner: 3,7 Mio"
            ]
        )
        #expect(
            try rows("id\tname, full\n1\tAda, Countess\n2\tAlan\n") == [
                "id: 1; name, full: Ada, Countess", "id: 2; name, full: Alan",
            ]
        )
        #expect(try rows("a|b\n1|2\n") == ["a: 1; b: 2"])
        #expect(try rows("Only column\nfirst\nsecond\n") == ["Only column: first", "Only column: second"])
    }

    @Test func byteOrderMarksAndLegacyEncodingsAreDecoded() throws {
        let bom = Data([0xEF, 0xBB, 0xBF]) + Data("Name,City\nZoë,Zürich\n".utf8)
        #expect(try extractor.extract(bom).blocks.map(\.text) == ["Name: Zoë; City: Zürich"])
        let utf16 = Data([0xFF, 0xFE]) + "Name\tCity\nZoë\t東京\n".data(using: .utf16LittleEndian)!
        #expect(try extractor.extract(utf16).blocks.map(\.text) == ["Name: Zoë; City: 東京"])
        let windows = Data("Item,Price\nCaf".utf8) + Data([0xE9]) + Data(",5 ".utf8) + Data([0x80]) + Data("\n".utf8)
        #expect(try extractor.extract(windows).blocks.map(\.text) == ["Item: Café; Price: 5 €"])
    }

    @Test func raggedRowsAreKeptAndReported() throws {
        let document = try extractor.extract(Data("a,b,c\n1,2\n1,2,3,4\n5,6,7,8,9\n,,\n".utf8))
        #expect(
            document.blocks.map(\.text) == [
                "a: 1; b: 2", "a: 1; b: 2; c: 3; Column 4: 4", "a: 5; b: 6; c: 7; Column 4: 8; Column 5: 9",
            ]
        )
        #expect(
            document.warnings == [
                "1 row(s) have fewer fields than the header's 3 (first on line 2); the missing values are empty",
                "2 row(s) have more fields than the header's 3, up to 5 (first on line 3); the extra fields are named Column 4 on",
            ]
        )
    }

    @Test func malformedQuotingIsReadLikeASpreadsheetAndReported() throws {
        let document = try extractor.extract(Data("a,b\n\"x\"y,2\nsay \"hi\",3\n".utf8))
        #expect(document.blocks.map(\.text) == ["a: xy; b: 2", "a: say \"hi\"; b: 3"])
        #expect(document.warnings == ["1 field(s) have text after their closing quote (first on line 2); it was kept"])
        let unclosed = try extractor.extract(Data("a,b\n1,\"never closed\n2,3\n".utf8))
        #expect(unclosed.blocks.map(\.text) == ["a: 1; b: never closed 2,3"])
        #expect(unclosed.warnings == ["the quoted field that starts on line 2 is never closed"])
    }

    @Test func badInputFailsWithAReason() {
        #expect(throws: ExtractionError.binary) {
            try extractor.extract(Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]))
        }
        #expect(throws: ExtractionError.empty) { try extractor.extract(Data("only,a,header\n".utf8)) }
        #expect(throws: ExtractionError.empty) { try extractor.extract(Data()) }
        let small = CSVExtractor(maximumRecordBytes: 64)
        do {
            _ = try small.extract(Data(("a,b\n1,\"" + String(repeating: "x", count: 100)).utf8))
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description
                    == "the content could not be read: the record that starts on line 2 is longer than 64 bytes (a quote that is never closed?)"
            )
        }
    }

    @Test func aFileIsStreamedInPiecesWithTheSameResult() throws {
        var csv = "Project,Budget,Note\n"
        for index in 0..<5000 {
            csv += "P\(index),\(index * 10),\"line one\nline two, ü\"\r\n"
        }
        let data = Data(csv.utf8)
        let whole = try extractor.extract(data).blocks
        var offset = 0
        var streamed: [TextBlock] = []
        let summary = try extractor.extract(
            reading: {
                guard offset < data.count else { return nil }
                defer { offset += 7 }
                return data[offset..<min(offset + 7, data.count)]  // pieces that split characters and CRLFs
            },
            onRow: { streamed.append($0) }
        )
        #expect(streamed == whole)
        #expect(summary.rows == 5000)
        #expect(summary.columns == ["Project", "Budget", "Note"])
        #expect(streamed[4999].text == "Project: P4999; Budget: 49990; Note: line one line two, ü")
    }
}
