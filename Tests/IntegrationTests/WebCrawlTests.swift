import Foundation
import Logging
import QuarryCore
import QuarryIngest
import QuarryStore
import QuarryTesting
import Testing

/// The web connector against a real HTTP server on loopback.
struct WebCrawlTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    private func page(_ title: String, _ text: String, links: [String] = [], head: String = "") -> String {
        let anchors = links.map { "<li><a href=\"\($0)\">\($0)</a></li>" }.joined()
        return """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>\(title)</title>\(head)</head>
            <body><nav><a href="index.html">Home</a></nav><main><h1>\(title)</h1><p>\(text)</p><ul>\(anchors)</ul></main></body></html>
            """
    }

    private func writeSite(_ directory: TemporaryDirectory) throws {
        try directory.write(
            "site/index.html",
            page(
                "Intranet home",
                "Welcome to the intranet.",
                links: ["a.html", "b.html", "c.html", "d.html", "hidden.html", "private/secret.html"]
            )
        )
        try directory.write(
            "site/a.html",
            page("Parking", "Visitors park in bay 12 behind the Leeds office.", links: ["index.html", "b.html"])
        )
        try directory.write("site/b.html", page("Canteen", "The canteen serves lunch from noon until two."))
        try directory.write("site/c.html", page("Printing", "Print jobs are released at the printer with your badge."))
        try directory.write("site/d.html", page("Old news", "The summer party moved to the Royal Armouries."))
        try directory.write(
            "site/hidden.html",
            page(
                "Draft",
                "This draft must not be indexed.",
                links: ["e.html"],
                head: "<meta name=\"robots\" content=\"noindex\">"
            )
        )
        try directory.write("site/e.html", page("Lockers", "Lockers on floor two open with your badge."))
        try directory.write("site/private/secret.html", page("Secret", "Robots may not fetch this page."))
    }

    private func connector(port: Int, maximumPages: Int = 100) -> ConnectorDefinition {
        ConnectorDefinition(
            name: "intranet",
            settings: .web(
                .init(
                    seeds: ["http://127.0.0.1:\(port)/index.html"],
                    allowedHosts: ["127.0.0.1"],
                    maximumDepth: 3,
                    maximumPages: maximumPages,
                    concurrency: 3,
                    requestDelayMilliseconds: 0,
                    useSitemaps: false
                )
            ),
            defaultReaders: ["everyone"]
        )
    }

    @Test func aCrawlIndexesFollowsObeysRobotsAndThenFetchesOnlyWhatChanged() async throws {
        let directory = try TemporaryDirectory()
        try writeSite(directory)
        let store = try Store(directory: directory.file("data"))
        let engine = SyncEngine(store: store, logger: logger)
        try await StaticSiteServer.serving(directory.file("site"), robots: "User-agent: *\nDisallow: /private/\n") {
            site,
            port in
            try await store.saveConnector(connector(port: port))
            let first = try await engine.sync(connectorName: "intranet")
            #expect(first.counts.summaryLine == "added=6 updated=0 unchanged=0 deleted=0 failed=0")
            let indexed = Set(
                try await store.documents(connectorName: "intranet").map {
                    URL(string: $0.externalID)!.lastPathComponent
                }
            )
            #expect(indexed == ["index.html", "a.html", "b.html", "c.html", "d.html", "e.html"])
            #expect(!(await site.requests).contains { $0.path.hasPrefix("/private/") }, "robots.txt is obeyed")

            // Nothing changed: every page answers 304 and nothing is downloaded or re-indexed.
            await site.forgetRequests()
            let second = try await engine.sync(connectorName: "intranet")
            #expect(second.counts.summaryLine == "added=0 updated=0 unchanged=6 deleted=0 failed=0")
            let pageRequests = await site.requests.filter { $0.path.hasSuffix(".html") && $0.path != "/hidden.html" }
            #expect(pageRequests.count == 6)
            #expect(pageRequests.allSatisfy { $0.status == 304 }, "\(pageRequests)")

            // One page changes, one disappears, one fails for now.
            try await Task.sleep(for: .milliseconds(1100))  // a new modification second, so a new ETag
            try directory.write("site/b.html", page("Canteen", "The canteen now serves lunch from half past eleven."))
            try directory.remove("site/d.html")
            await site.override("/c.html", status: 503)
            let third = try await engine.sync(connectorName: "intranet")
            #expect(third.counts.summaryLine == "added=0 updated=1 unchanged=3 deleted=1 failed=1")
            #expect(third.failures.first?.externalID == "http://127.0.0.1:\(port)/c.html")
            let remaining = Set(
                try await store.documents(connectorName: "intranet").map {
                    URL(string: $0.externalID)!.lastPathComponent
                }
            )
            #expect(remaining == ["index.html", "a.html", "b.html", "c.html", "e.html"], "the failing page is kept")

            let everyone = AccessScope(userName: "carol", groups: [], isAdmin: false)
            let hits = try await store.searchPassages(matching: "\"eleven\"", scope: everyone, limit: 5)
            #expect(hits.map(\.documentURI) == ["http://127.0.0.1:\(port)/b.html"])
            #expect(try await store.searchPassages(matching: "\"noon\"", scope: everyone, limit: 5).isEmpty)
            #expect(try await store.searchPassages(matching: "\"draft\"", scope: everyone, limit: 5).isEmpty, "noindex")
        }
    }

    @Test func aCrawlThatHitsItsPageLimitDeletesNothing() async throws {
        let directory = try TemporaryDirectory()
        try writeSite(directory)
        let store = try Store(directory: directory.file("data"))
        let engine = SyncEngine(store: store, logger: logger)
        try await StaticSiteServer.serving(directory.file("site")) { _, port in
            try await store.saveConnector(connector(port: port))
            _ = try await engine.sync(connectorName: "intranet")
            try await store.saveConnector(connector(port: port, maximumPages: 2))
            let limited = try await engine.sync(connectorName: "intranet")
            #expect(limited.counts.deleted == 0)
            #expect(try await store.documents(connectorName: "intranet").count == 7)
        }
    }

    @Test func thePythonManualIsCrawledAndAnswersQuestions() async throws {
        let manual = "/usr/share/doc/python3.11/html"
        try #require(
            FileManager.default.fileExists(atPath: manual + "/library/json.html"),
            "python3.11-doc is installed by scripts/setup.sh"
        )
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.file("data"))
        try await StaticSiteServer.serving(manual) { site, port in
            try await store.saveConnector(
                ConnectorDefinition(
                    name: "python",
                    settings: .web(
                        .init(
                            seeds: ["http://127.0.0.1:\(port)/library/index.html"],
                            allowedHosts: ["127.0.0.1"],
                            allowedPathPrefixes: ["/library/"],
                            maximumDepth: 1,
                            maximumPages: 400,
                            concurrency: 4,
                            requestDelayMilliseconds: 0,
                            useSitemaps: true
                        )
                    ),
                    defaultReaders: ["everyone"]
                )
            )
            let run = try await SyncEngine(store: store, logger: logger).sync(connectorName: "python")
            #expect(run.counts.added > 200, "\(run.counts.summaryLine)")
            #expect(run.counts.failed == 0, "\(run.failures.prefix(3))")
            let json = try #require(
                try await store.documents(connectorName: "python").first {
                    $0.externalID.hasSuffix("/library/json.html")
                }
            )
            #expect(json.title.contains("JSON"))
            #expect(
                !(await site.requests).contains {
                    !$0.path.hasPrefix("/library/") && $0.path != "/robots.txt" && $0.path != "/sitemap.xml"
                }
            )
        }
    }
}
