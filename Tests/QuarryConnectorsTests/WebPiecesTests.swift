import Foundation
import Testing

@testable import QuarryConnectors

struct RobotsTxtTests {
    let file = """
        # A comment
        User-agent: *
        Disallow: /private/
        Allow: /private/open.html
        Disallow: /*.pdf$
        Crawl-delay: 2

        User-agent: QuarryBot
        User-agent: OtherBot
        Disallow: /drafts
        Allow: /drafts/public

        Sitemap: https://docs.example/sitemap.xml
        """

    @Test func theCrawlersOwnGroupWinsOverTheWildcard() {
        let rules = RobotsTxt(parsing: file, userAgent: "QuarryBot/0.1")
        #expect(!rules.allows("/drafts/x.html"))
        #expect(rules.allows("/drafts/public/x.html"))
        #expect(rules.allows("/private/secret.html"), "the * group does not apply when a specific one does")
        #expect(rules.crawlDelay == nil)
        #expect(rules.sitemaps == ["https://docs.example/sitemap.xml"])
    }

    @Test func theWildcardGroupAppliesToOthersWithLongestMatch() {
        let rules = RobotsTxt(parsing: file, userAgent: "SomeBot/2")
        #expect(!rules.allows("/private/secret.html"))
        #expect(rules.allows("/private/open.html"))
        #expect(!rules.allows("/manual/guide.pdf"))
        #expect(rules.allows("/manual/guide.pdf?download=1"))
        #expect(rules.allows("/"))
        #expect(rules.crawlDelay == 2)
        #expect(rules.allows("/robots.txt"))
    }

    @Test func emptyAndMissingFilesAllowEverything() {
        #expect(RobotsTxt(parsing: "", userAgent: "QuarryBot").allows("/anything"))
        #expect(RobotsTxt(parsing: "User-agent: *\nDisallow:\n", userAgent: "QuarryBot").allows("/anything"))
        #expect(!RobotsTxt.disallowAll.allows("/anything"))
    }

    @Test(arguments: [
        ("/a*b", "/a/x/b/c", true), ("/a*b$", "/a/x/b/c", false), ("/a*b$", "/axb", true),
        ("/*.php", "/x/y.php?z", true),
        ("/fish", "/Fish.asp", false), ("/fish*", "/fishheads/yummy.html", true), ("/*", "/", true),
    ])
    func patternsMatchAsRFC9309Says(pattern: String, path: String, expected: Bool) {
        #expect(RobotsTxt.matches(pattern, path) == expected)
    }
}

struct CrawlURLTests {
    @Test func urlsAreNormalised() {
        #expect(CrawlURL("HTTP://Docs.Example:80/a/b.html#section")?.text == "http://docs.example/a/b.html")
        #expect(CrawlURL("https://docs.example:443")?.text == "https://docs.example/")
        #expect(CrawlURL("https://docs.example:8443/x?y=1")?.text == "https://docs.example:8443/x?y=1")
        #expect(CrawlURL("ftp://docs.example/") == nil)
        #expect(CrawlURL("not a url") == nil)
    }

    @Test func linksAreResolvedAgainstTheirPage() throws {
        let page = try #require(CrawlURL("https://docs.example/library/json.html"))
        #expect(CrawlURL.resolve("pickle.html#x", against: page)?.text == "https://docs.example/library/pickle.html")
        #expect(CrawlURL.resolve("../index.html", against: page)?.text == "https://docs.example/index.html")
        #expect(CrawlURL.resolve("/about.html", against: page)?.text == "https://docs.example/about.html")
        #expect(CrawlURL.resolve("https://other.example/", against: page)?.host == "other.example")
        #expect(CrawlURL.resolve("#top", against: page) == nil)
        #expect(CrawlURL.resolve("mailto:docs@example.com", against: page) == nil)
        #expect(CrawlURL.resolve("javascript:void(0)", against: page) == nil)
    }
}

struct SitemapParserTests {
    @Test func pagesAndNestedSitemapsAreRead() throws {
        let urlset = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc> https://docs.example/a.html </loc><lastmod>2026-01-01</lastmod></url>
              <url><loc>https://docs.example/b.html</loc></url>
            </urlset>
            """
        let index = """
            <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <sitemap><loc>https://docs.example/sitemap-1.xml</loc></sitemap>
            </sitemapindex>
            """
        #expect(
            SitemapParser.parse(Data(urlset.utf8))?.pages == [
                "https://docs.example/a.html", "https://docs.example/b.html",
            ]
        )
        #expect(SitemapParser.parse(Data(index.utf8))?.sitemaps == ["https://docs.example/sitemap-1.xml"])
        #expect(SitemapParser.parse(Data("<html><p>not xml".utf8)) == nil)
    }

    @Test func robotsMetaDirectivesAreFound() {
        let page = Data(#"<html><head><META NAME="robots" CONTENT="noindex, follow"></head></html>"#.utf8)
        let directives = RobotsDirectives(html: page)
        #expect(directives.noIndex)
        #expect(!directives.noFollow)
        #expect(!RobotsDirectives(html: Data("<html><head><meta name=description content=x></head>".utf8)).noIndex)
    }
}
