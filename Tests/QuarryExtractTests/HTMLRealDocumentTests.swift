import Foundation
import QuarryCore
import QuarryExtract
import Testing

/// The HTML extractor on real pages: Python 3.11's manual (Sphinx), installed from Debian's
/// `python3.11-doc` package by `scripts/setup.sh`.
struct HTMLRealDocumentTests {
    static let manual = "/usr/share/doc/python3.11/html"

    private func extract(_ page: String) throws -> ExtractedDocument {
        let path = Self.manual + "/" + page
        try #require(FileManager.default.fileExists(atPath: path), "python3.11-doc is installed by scripts/setup.sh")
        return try HTMLExtractor().extract(Data(contentsOf: URL(fileURLWithPath: path)))
    }

    private func headings(_ document: ExtractedDocument) -> [TextBlock] {
        document.blocks.filter {
            if case .heading = $0.kind { return true }
            return false
        }
    }

    @Test func theJSONPageKeepsItsTitleHeadingsAndCodeButNotTheSidebar() throws {
        let document = try extract("library/json.html")
        #expect(document.title == "json — JSON encoder and decoder")
        let outline = headings(document)
        #expect(outline.first == TextBlock(.heading(level: 1), "json — JSON encoder and decoder"))
        #expect(outline.contains(TextBlock(.heading(level: 2), "Basic Usage")))
        #expect(outline.contains(TextBlock(.heading(level: 3), "Character Encodings")))
        #expect(outline.count == 12)
        let code = try #require(document.blocks.first { $0.kind == .code && $0.text.contains("json.dumps(['foo'") })
        #expect(code.text.hasPrefix(">>> import json\n>>> json.dumps(['foo', {'bar': ('baz', None, 1.0, 2)}])"))
        let paragraphs = document.blocks.filter { $0.kind == .paragraph }.map(\.text)
        #expect(paragraphs.contains { $0.hasPrefix("JSON (JavaScript Object Notation), specified by RFC 7159") })
        // The sidebar's "This Page" box, the navigation bars, the footer and the permalink signs are gone.
        for boilerplate in [
            "This Page", "Report a Bug", "Previous topic", "Copyright", "Python Software Foundation", "¶",
        ] {
            #expect(!document.blocks.contains { $0.text.contains(boilerplate) }, "\(boilerplate)")
        }
        // Navigation links are kept for crawlers.
        #expect(document.links.contains("../genindex.html"))
        #expect(document.links.contains("marshal.html#module-marshal"))
    }

    @Test func tablesOfTheStandardTypesPageAreRowsWithTheirColumnNames() throws {
        let document = try extract("library/stdtypes.html")
        let rows = document.blocks.filter { $0.kind == .tableRow }.map(\.text)
        #expect(rows.contains("Operation: x or y; Result: if x is false, then y, else x; Notes: (1)"))
        #expect(rows.count > 60)
    }

    @Test func everyPageOfTheLibraryReferenceIsExtracted() throws {
        let folder = Self.manual + "/library"
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".html") }
        #expect(pages.count > 300)
        var failures: [String] = []
        for page in pages {
            do {
                let document = try HTMLExtractor().extract(Data(contentsOf: URL(fileURLWithPath: folder + "/" + page)))
                if document.title == nil || document.blocks.isEmpty || !document.warnings.isEmpty {
                    failures.append(
                        "\(page): title \(document.title ?? "none"), \(document.blocks.count) blocks, \(document.warnings)"
                    )
                }
            } catch {
                failures.append("\(page): \(error)")
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }
}
