import Foundation
import QuarryCore
import QuarryExtract
import Testing

struct HTMLExtractorTests {
    let extractor = HTMLExtractor()

    private func extract(_ html: String, charset: String? = nil) throws -> ExtractedDocument {
        try extractor.extract(Data(html.utf8), declaredCharset: charset)
    }

    private func texts(_ document: ExtractedDocument) -> [String] {
        document.blocks.map(\.text)
    }

    @Test func headingsParagraphsListsAndCodeKeepTheirStructure() throws {
        let document = try extract(
            """
            <!DOCTYPE html><html><head><title>Expenses</title></head><body>
            <h1>Expenses</h1>
            <p>Claims are   made
               within <b>30 days</b> of   spending.</p>
            <h2>Receipts</h2>
            <ul><li>Keep the <a href="receipt.html">original</a> receipt.</li>
                <li>Photograph it<ul><li>in colour</li></ul> before filing.</li></ul>
            <pre>
            claim --amount 12.50
              --currency GBP
            </pre>
            <p>First line<br>second line</p>
            </body></html>
            """
        )
        #expect(document.title == "Expenses")
        #expect(
            document.blocks == [
                TextBlock(.heading(level: 1), "Expenses"),
                TextBlock(.paragraph, "Claims are made within 30 days of spending."),
                TextBlock(.heading(level: 2), "Receipts"),
                TextBlock(.listItem, "Keep the original receipt."),
                TextBlock(.listItem, "Photograph it"),
                TextBlock(.listItem, "in colour"),
                TextBlock(.listItem, "before filing."),
                TextBlock(.code, "claim --amount 12.50\n  --currency GBP"),
                TextBlock(.paragraph, "First line\nsecond line"),
            ]
        )
        #expect(document.links == ["receipt.html"])
    }

    @Test func boilerplateIsLeftOutButItsLinksAreKept() throws {
        let document = try extract(
            """
            <html><head><title>Parking — Intranet</title><style>p { color: red }</style>
            <script>var secret = "do not index";</script></head>
            <body>
            <header><a href="/">Intranet</a><form><input value="Search"><button>Go</button></form></header>
            <nav><a href="/a.html">A</a> <a href="/b.html" rel="nofollow">B</a></nav>
            <div class="sidebar"><a href="/side.html">Side link</a> Sidebar text</div>
            <div role="navigation">Breadcrumbs here</div>
            <main>
              <article><header><h1>Parking</h1></header>
              <p>Visitors park in bay 12.</p>
              <p hidden>Hidden note.</p><p style="display: none">Also hidden.</p>
              <span aria-hidden="true">★</span>
              <noscript>Enable JavaScript.</noscript>
              <footer>Posted by Facilities</footer></article>
            </main>
            <aside>Related: canteen</aside>
            <footer><a href="/privacy.html">Privacy</a> © Northwind</footer>
            </body></html>
            """
        )
        #expect(texts(document) == ["Parking", "Visitors park in bay 12."])
        #expect(document.title == "Parking")
        #expect(document.links == ["/", "/a.html", "/side.html", "/privacy.html"])
    }

    @Test func withoutAMainElementTheBodyIsReadAndAPageHeaderSkipped() throws {
        let document = try extract(
            """
            <html><body><header><h1>Site name</h1></header>
            <div id="content"><h2>Canteen</h2><div>Lunch is served from noon.</div></div>
            <div class="footer">Copyright</div></body></html>
            """
        )
        #expect(texts(document) == ["Canteen", "Lunch is served from noon."])
        #expect(document.title == nil)
    }

    @Test func dataTablesBecomeRowsNamedByTheirHeader() throws {
        let document = try extract(
            """
            <table><caption>Project budgets</caption>
            <thead><tr><th>Project</th><th>Budget</th><th>Owner</th></tr></thead>
            <tbody><tr><td><p>Apollo</p></td><td>£1.2m</td><td>Dana</td></tr>
            <tr><td>Hermes</td><td></td><td>Eli</td></tr>
            <tr><td colspan="2">Total</td><td>2</td></tr></tbody></table>
            <table><tr><th>Level</th><th>Band</th></tr><tr><td>L4</td><td>62k–78k</td></tr></table>
            """
        )
        #expect(
            document.blocks == [
                TextBlock(.tableRow, "Project budgets"),
                TextBlock(.tableRow, "Project: Apollo; Budget: £1.2m; Owner: Dana"),
                TextBlock(.tableRow, "Project: Hermes; Owner: Eli"),
                TextBlock(.tableRow, "Project: Total; Owner: 2"),
                TextBlock(.tableRow, "Level: L4; Band: 62k–78k"),
            ]
        )
    }

    @Test func layoutTablesAreReadAsOrdinaryBlocks() throws {
        let document = try extract(
            """
            <table><tr><td><h2>Welcome</h2><p>Hello there.</p></td><td><table><tr><td>x</td><td>y</td></tr></table></td></tr></table>
            <table role="presentation"><tr><td>Left</td><td>Right</td></tr></table>
            """
        )
        #expect(
            document.blocks == [
                TextBlock(.heading(level: 2), "Welcome"),
                TextBlock(.paragraph, "Hello there."),
                TextBlock(.tableRow, "x; y"),
                TextBlock(.paragraph, "Left"),
                TextBlock(.paragraph, "Right"),
            ]
        )
    }

    // MARK: - Character sets

    private func latin1Page(meta: String) -> Data {
        Data("<html><head>\(meta)<title>Caf".utf8) + Data([0xE9]) + Data("</title></head><body><p>5 ".utf8)
            + Data([0x80]) + Data(" for a caf".utf8) + Data([0xE9]) + Data(".</p></body></html>".utf8)
    }

    @Test func aMetaCharsetDecidesTheEncoding() throws {
        for meta in [
            "<meta charset=\"windows-1252\">",
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">",
            "<meta charset=latin1>",
        ] {
            let document = try extractor.extract(latin1Page(meta: meta))
            #expect(document.title == "Café", "\(meta)")
            #expect(texts(document) == ["5 € for a café."], "\(meta)")
            #expect(document.warnings.isEmpty)
        }
    }

    @Test func withoutADeclarationTheCharsetIsSniffed() throws {
        let legacy = try extractor.extract(latin1Page(meta: ""))
        #expect(texts(legacy) == ["5 € for a café."])
        let utf8 = try extract("<p>Größe: 5 €, 東京</p>")
        #expect(texts(utf8) == ["Größe: 5 €, 東京"])
    }

    @Test func theTransportCharsetWinsOverTheMetaAndTheBOMOverBoth() throws {
        let page = latin1Page(meta: "<meta charset=\"utf-8\">")
        #expect(texts(try extractor.extract(page, declaredCharset: "windows-1252")) == ["5 € for a café."])
        let bom = Data([0xEF, 0xBB, 0xBF]) + Data("<meta charset=\"windows-1252\"><p>café</p>".utf8)
        #expect(texts(try extractor.extract(bom, declaredCharset: "iso-8859-1")) == ["café"])
    }

    @Test func otherCharsetsAreDecodedThroughIconv() throws {
        // "東京の天気" in Shift_JIS and in EUC-JP, and "Привет" in KOI8-R.
        let shiftJIS: [UInt8] = [0x93, 0x8C, 0x8B, 0x9E, 0x82, 0xCC, 0x93, 0x56, 0x8B, 0x43]
        let eucJP: [UInt8] = [0xC5, 0xEC, 0xB5, 0xFE, 0xA4, 0xCE, 0xC5, 0xB7, 0xB5, 0xA4]
        let koi8: [UInt8] = [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4]
        for (charset, bytes, expected) in [
            ("shift_jis", shiftJIS, "東京の天気"), ("euc-jp", eucJP, "東京の天気"), ("koi8-r", koi8, "Привет"),
        ] {
            let page = Data("<meta charset=\"\(charset)\"><p>".utf8) + Data(bytes) + Data("</p>".utf8)
            #expect(texts(try extractor.extract(page)) == [expected], "\(charset)")
        }
        let utf16 = Data([0xFF, 0xFE]) + "<p>Zoë</p>".data(using: .utf16LittleEndian)!
        #expect(texts(try extractor.extract(utf16)) == ["Zoë"])
    }

    @Test func invalidBytesAreReplacedWithAWarningAndDoNotCutThePageShort() throws {
        let page =
            Data("<meta charset=utf-8><p>before ".utf8) + Data([0xFF, 0xFE, 0xC3]) + Data(" after</p><p>next</p>".utf8)
        let document = try extractor.extract(page)
        #expect(texts(document) == ["before \u{FFFD}\u{FFFD}\u{FFFD} after", "next"])
        #expect(document.warnings == ["3 byte sequence(s) are not valid utf-8 and were replaced"])
        let unknown = try extract("<meta charset=\"x-klingon\"><p>plain</p>")
        #expect(texts(unknown) == ["plain"])
        #expect(unknown.warnings == ["the page declares an unknown character set \"x-klingon\""])
    }

    // MARK: - Links and hostile input

    @Test func linksAreResolvedAgainstABaseAndIncludeRefreshTargets() throws {
        let document = try extract(
            """
            <head><base href="https://intranet.example/docs/"><meta http-equiv="refresh" content="5; URL='moved.html'"></head>
            <body><p><a href="a.html">a</a> <a href="#top">top</a> <a href=" b.html ">b</a> <a href="a.html">again</a>
            <map><area href="/map.html"></map></p></body>
            """
        )
        #expect(
            document.links == [
                "https://intranet.example/docs/moved.html", "https://intranet.example/docs/a.html",
                "https://intranet.example/docs/b.html", "https://intranet.example/map.html",
            ]
        )
    }

    @Test func brokenAndHostileMarkupIsRecovered() throws {
        let unclosed = try extract("<p>one<p>two <b>bold <i>both</p><div>three")
        #expect(texts(unclosed) == ["one", "two bold both", "three"])
        // Deeper than libxml2's usual limit of 256 elements: read whole, no crash, nothing lost after it.
        let deep = String(repeating: "<div>", count: 50_000) + "deep text" + String(repeating: "</div>", count: 50_000)
        #expect(
            texts(try extract("<p>Shallow text.</p>" + deep + "<p>After.</p>")) == [
                "Shallow text.", "deep text", "After.",
            ]
        )
        // A tag with thousands of attributes (quadratic work for libxml2) is refused at once.
        let attributes = (0..<5_000).map { " a\($0)=\"x\"" }.joined()
        #expect(throws: ExtractionError.unreadable("a tag has more than 1000 attributes (hostile or broken HTML)")) {
            try extract("<p\(attributes)>text</p>")
        }
        let script = "<script>" + String(repeating: "if (a<b ", count: 3_000) + "</script><p>Fine.</p>"
        #expect(texts(try extract(script)) == ["Fine."], "script text is not markup")
        let wide =
            "<table><tr><th>A</th><th>B</th></tr>"
            + String(repeating: "<tr><td colspan=\"100\">x</td></tr>", count: 20_000) + "</table>"
        #expect(try extract(wide).blocks.count == 20_000)
        let nuls = Data("<p>a".utf8) + Data([0, 0]) + Data("b</p>".utf8)
        _ = try extractor.extract(nuls)
        #expect(try extract("").blocks.isEmpty)
        #expect(try extract("<script>only()</script>").blocks.isEmpty)
    }
}
