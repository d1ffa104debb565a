public import Foundation
public import QuarryCore

/// Extracts the readable text of an HTML page with libxml2's HTML parser: its title, its headings
/// (which become the passages' heading paths), paragraphs, list items, code and table rows, and the
/// links it contains.
///
/// - **Character set**: a byte order mark, else the charset the transport declared, else the page's
///   `<meta>` declaration, else UTF-8 if the bytes are valid UTF-8, else windows-1252 (``HTMLCharset``).
///   Invalid bytes become U+FFFD, with a warning; they never cut the page short.
/// - **Main content**: the `<main>` element (or `role="main"`), else the page's only `<article>`,
///   else `<body>`. Inside it, scripts, styles, forms' controls, `<nav>`, `<aside>`, `<footer>`, a
///   page-level `<header>`, hidden elements, navigation roles and elements whose class or id marks
///   them as navigation or decoration (`sidebar`, `breadcrumb`, `headerlink`, …) are left out.
/// - **Title**: the `<title>`, shortened to the first `<h1>` when the title is that heading plus
///   the site's name (`json — JSON encoder and decoder — Python 3.11 documentation`).
/// - **Links**: every `<a href>` and `<area href>` of the whole page (navigation included: a crawler
///   needs them), except `rel="nofollow"` ones, resolved against `<base href>` when there is one,
///   and a `<meta http-equiv="refresh">` target.
///
/// Parsing is in memory; the caller bounds the size. A tag with more than 1,000 attributes is
/// refused before libxml2 sees it (its duplicate-attribute check takes time quadratic in their
/// number). Each call parses its own tree, so one extractor may be used from several threads at once.
public struct HTMLExtractor: Sendable {
    /// Creates the extractor.
    public init() {}

    /// Extracts the text and structure of an HTML page.
    ///
    /// - Parameters:
    ///   - data: the page's bytes.
    ///   - declaredCharset: the charset the server or store declared for it, if any.
    /// - Throws: ``ExtractionError/unreadable(_:)`` when libxml2 cannot build a tree at all.
    public func extract(_ data: Data, declaredCharset: String? = nil) throws(ExtractionError) -> ExtractedDocument {
        let bytes = [UInt8](data)
        try HTMLTagScan.refuseHostileTags(in: bytes)
        let decoded = HTMLCharset.decode(bytes, declared: declaredCharset)
        guard !decoded.text.allSatisfy(\.isHTMLWhitespace) else {
            return ExtractedDocument(title: nil, blocks: [], warnings: decoded.warnings)
        }
        guard let document = HTMLDocument(utf8: decoded.text) else {
            throw .unreadable("the HTML could not be parsed")
        }
        // The tree's nodes are pointers into the document: it must outlive every use of them.
        return try withExtendedLifetime(document) { () throws(ExtractionError) -> ExtractedDocument in
            guard let root = document.root else { throw .unreadable("the HTML could not be parsed") }
            let outline = PageOutline(root)
            var builder = HTMLBlockBuilder()
            builder.add(outline.content ?? root)
            let blocks = builder.blocks
            return ExtractedDocument(
                title: title(outline.title, blocks: blocks),
                blocks: blocks,
                links: outline.links,
                warnings: decoded.warnings
            )
        }
    }

    /// The link targets of a page, as ``extract(_:declaredCharset:)`` finds them, without reading its text.
    public func links(in data: Data, declaredCharset: String? = nil) -> [String] {
        let bytes = [UInt8](data)
        guard (try? HTMLTagScan.refuseHostileTags(in: bytes)) != nil else { return [] }
        let decoded = HTMLCharset.decode(bytes, declared: declaredCharset)
        guard let document = HTMLDocument(utf8: decoded.text) else { return [] }
        return withExtendedLifetime(document) { document.root.map { PageOutline($0).links } ?? [] }
    }

    private func title(_ declared: String?, blocks: [TextBlock]) -> String? {
        let firstHeading = blocks.first { $0.kind == .heading(level: 1) }?.text.replacingOccurrences(
            of: "\n",
            with: " "
        )
        guard let declared, !declared.isEmpty else { return firstHeading }
        if let firstHeading, firstHeading.count < declared.count,
            declared.localizedCaseInsensitiveContains(firstHeading)
        {
            return firstHeading
        }
        return declared
    }
}

/// What one pass over the whole tree finds: the title, the main content element, and the links.
private struct PageOutline {
    var title: String?
    var content: HTMLNode?
    var links: [String] = []

    init(_ root: HTMLNode) {
        var main: HTMLNode?
        var articles: [HTMLNode] = []
        var body: HTMLNode?
        var base: URL?
        var hrefs: [String] = []
        var stack: [HTMLNode] = [root]
        while let node = stack.popLast() {
            if let next = node.nextSibling, node.pointer != root.pointer { stack.append(next) }
            guard node.isElement else { continue }
            switch node.name {
            case "title" where title == nil:
                title = node.collapsedText
            case "main" where main == nil:
                main = node
            case "article":
                articles.append(node)
            case "body" where body == nil:
                body = node
            case "base" where base == nil:
                base = node.attribute("href").flatMap { URL(string: $0.trimmingCharacters(in: .whitespaces)) }
            case "a", "area":
                let rel = node.attribute("rel")?.lowercased().split(separator: " ") ?? []
                if let href = node.attribute("href"), !rel.contains("nofollow") { hrefs.append(href) }
            case "meta":
                if node.attribute("http-equiv")?.lowercased() == "refresh", let content = node.attribute("content"),
                    let target = Self.refreshTarget(content)
                {
                    hrefs.append(target)
                }
            default:
                break
            }
            if main == nil, node.hasAttributes, node.attribute("role")?.lowercased() == "main" { main = node }
            if let child = node.firstChild { stack.append(child) }
        }
        content = main ?? (articles.count == 1 ? articles[0] : nil) ?? body
        var seen = Set<String>()
        for href in hrefs {
            var link = href.trimmingASCIIWhitespace()
            guard !link.isEmpty, !link.hasPrefix("#") else { continue }
            if let base, let resolved = URL(string: link, relativeTo: base) { link = resolved.absoluteString }
            if seen.insert(link).inserted { links.append(link) }
        }
    }

    /// The URL of a refresh directive such as `0; url=next.html`.
    private static func refreshTarget(_ content: String) -> String? {
        guard let range = content.range(of: "url", options: .caseInsensitive) else { return nil }
        var rest = content[range.upperBound...].drop { $0 == " " }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "'" || $0 == "\"" }
        let target = rest.prefix { $0 != "'" && $0 != "\"" }.trimmingCharacters(in: .whitespaces)
        return target.isEmpty ? nil : target
    }
}
