import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads `<loc>` entries of a sitemap (`<urlset>`) or a sitemap index (`<sitemapindex>`).
final class SitemapParser: NSObject, XMLParserDelegate {
    /// What a sitemap file lists.
    struct Contents {
        var pages: [String] = []
        var sitemaps: [String] = []
    }

    private var contents = Contents()
    private var inLocation = false
    private var inSitemapEntry = false
    private var text = ""
    private var root: String?
    private let limit: Int

    private init(limit: Int) {
        self.limit = limit
    }

    /// Parses sitemap XML; nil when it is not XML. At most `limit` entries are kept.
    static func parse(_ data: Data, limit: Int = 50_000) -> Contents? {
        let delegate = SitemapParser(limit: limit)
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        // Only a <urlset> or <sitemapindex> document is a sitemap (an HTML error page is not).
        guard parser.parse(), ["urlset", "sitemapindex"].contains(delegate.root ?? "") else { return nil }
        return delegate.contents
    }

    func parser(
        _ parser: XMLParser,
        didStartElement element: String,
        namespaceURI: String?,
        qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        let name = element.split(separator: ":").last.map(String.init) ?? element
        if root == nil { root = name }
        switch name {
        case "sitemap": inSitemapEntry = true
        case "loc":
            inLocation = true
            text = ""
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inLocation { text += string }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        switch element.split(separator: ":").last.map(String.init) ?? element {
        case "loc":
            inLocation = false
            let location = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !location.isEmpty, contents.pages.count + contents.sitemaps.count < limit else { return }
            if inSitemapEntry { contents.sitemaps.append(location) } else { contents.pages.append(location) }
        case "sitemap": inSitemapEntry = false
        default: break
        }
    }
}
