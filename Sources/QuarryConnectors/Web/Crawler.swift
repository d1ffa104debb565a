import Foundation
import QuarryCore

/// One crawl: a frontier of URLs worked by a few concurrent workers, with robots.txt, politeness,
/// depth and page limits. Yields a listing entry for every page that is a document.
actor Crawler {
    private struct Job: Sendable {
        let url: CrawlURL
        let depth: Int
        let redirects: Int
    }

    private let configuration: WebConnector.Configuration
    private let previous: PreviousSync
    private let extractLinks: WebConnector.LinkExtractor
    private let bodies: BodyCache
    private let fetcher: PageFetcher

    private var queue: [Job] = []
    private var queued = Set<String>()
    private var inFlight = 0
    private var waiting: [CheckedContinuation<Job?, Never>] = []
    private var pages = 0
    private var stopped = false
    private var robots: [String: RobotsTxt] = [:]
    private var robotsLoading: [String: Task<RobotsTxt, Never>] = [:]
    private var nextRequest: [String: ContinuousClock.Instant] = [:]
    private var yield: (@Sendable (SourceListing) -> Void)?

    init(
        configuration: WebConnector.Configuration,
        previous: PreviousSync,
        extractLinks: @escaping WebConnector.LinkExtractor,
        bodies: BodyCache
    ) {
        self.configuration = configuration
        self.previous = previous
        self.extractLinks = extractLinks
        self.bodies = bodies
        self.fetcher = PageFetcher(configuration: configuration)
    }

    /// Crawls until the frontier is empty, the page limit is reached or the task is cancelled.
    func run(_ yield: @escaping @Sendable (SourceListing) -> Void) async throws {
        self.yield = yield
        defer { fetcher.shutdown() }
        for seed in configuration.seeds {
            guard let url = CrawlURL(seed) else { continue }
            enqueue(url, depth: 0, redirects: 0)
        }
        if configuration.useSitemaps {
            await readSitemaps()
        }
        await withDiscardingTaskGroup { group in
            for _ in 0..<configuration.concurrency {
                group.addTask {
                    while let job = await self.nextJob() {
                        await self.handle(job)
                        await self.finish()
                    }
                }
            }
        }
        try Task.checkCancellation()
    }

    // MARK: - Frontier

    private func isAllowed(_ url: CrawlURL) -> Bool {
        configuration.allowedHosts.contains(url.host)
            && configuration.allowedPathPrefixes.contains { url.path.hasPrefix($0) }
    }

    private func enqueue(_ url: CrawlURL, depth: Int, redirects: Int) {
        guard !stopped, isAllowed(url), queued.insert(url.text).inserted else { return }
        let job = Job(url: url, depth: depth, redirects: redirects)
        if let waiter = waiting.popLast() {
            inFlight += 1
            waiter.resume(returning: job)
        } else {
            queue.append(job)
        }
    }

    private func nextJob() async -> Job? {
        if Task.isCancelled || stopped { return nil }
        if !queue.isEmpty {
            inFlight += 1
            return queue.removeFirst()
        }
        if inFlight == 0 { return nil }
        return await withCheckedContinuation { waiting.append($0) }
    }

    private func finish() {
        inFlight -= 1
        if inFlight == 0, queue.isEmpty || stopped || Task.isCancelled {
            for waiter in waiting { waiter.resume(returning: nil) }
            waiting.removeAll()
        }
    }

    // MARK: - One page

    private func handle(_ job: Job) async {
        let rules = await robotsTxt(for: job.url)
        guard rules.allows(job.url.pathAndQuery) else { return }
        await waitForTurn(job.url, crawlDelay: rules.crawlDelay)
        guard !stopped, !Task.isCancelled else { return }
        let known = previous.document(job.url.text)
        let result: PageFetcher.Result
        do {
            result = try await fetcher.fetch(job.url, previousVersion: known?.version)
        } catch {
            return  // cancelled
        }
        switch result {
        case .document(let body, let contentType, let charset, let version):
            let directives = contentType == .html ? RobotsDirectives(html: body) : RobotsDirectives()
            if !directives.noFollow, job.depth < configuration.maximumDepth {
                for href in await extractLinks(body, contentType, charset) {
                    if let link = CrawlURL.resolve(href, against: job.url) {
                        enqueue(link, depth: job.depth + 1, redirects: 0)
                    }
                }
            }
            guard !directives.noIndex else { return }
            await bodies.put(job.url.text, body)
            offer(job.url, version: version, contentType: contentType, charset: charset, size: Int64(body.count))
        case .notModified:
            guard let known else { return }
            if job.depth < configuration.maximumDepth {
                for href in known.links {
                    if let link = CrawlURL.resolve(href, against: job.url) {
                        enqueue(link, depth: job.depth + 1, redirects: 0)
                    }
                }
            }
            offer(job.url, version: known.version, contentType: nil, charset: nil, size: nil)
        case .redirect(let location):
            guard job.redirects < 5, let target = CrawlURL.resolve(location, against: job.url) else { return }
            enqueue(target, depth: job.depth, redirects: job.redirects + 1)
        case .gone, .skipped:
            return
        case .refused(let reason):
            yield?(.failure(externalID: job.url.text, reason: reason))
        case .failed(let reason):
            yield?(.unavailable(path: job.url.text, reason: reason))
        }
    }

    private func offer(
        _ url: CrawlURL,
        version: String,
        contentType: ContentType?,
        charset: String?,
        size: Int64?
    ) {
        guard !stopped else { return }
        yield?(
            .item(
                SourceItem(
                    externalID: url.text,
                    uri: url.text,
                    version: version,
                    contentType: contentType ?? ContentType(fileExtension: (url.path as NSString).pathExtension)
                        ?? .html,
                    charset: charset,
                    size: size,
                    policy: configuration.defaultPolicy
                )
            )
        )
        pages += 1
        if pages >= configuration.maximumPages {
            stopped = true
            queue.removeAll()
            yield?(.incomplete(reason: "the crawl reached max_pages (\(configuration.maximumPages))"))
        }
    }

    // MARK: - Politeness

    /// Waits until this host may be asked again: the configured delay, or robots.txt's Crawl-delay if longer.
    private func waitForTurn(_ url: CrawlURL, crawlDelay: Double?) async {
        var delay = configuration.requestDelay
        if let crawlDelay { delay = max(delay, .milliseconds(Int(min(crawlDelay, 60) * 1000))) }
        let now = ContinuousClock.now
        let slot = max(now, nextRequest[url.origin] ?? now)
        nextRequest[url.origin] = slot + delay
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }

    private func robotsTxt(for url: CrawlURL) async -> RobotsTxt {
        if let rules = robots[url.origin] { return rules }
        if let loading = robotsLoading[url.origin] { return await loading.value }
        let fetcher = fetcher
        let userAgent = configuration.userAgent
        let origin = url.origin
        let yield = yield
        let task = Task<RobotsTxt, Never> {
            guard let robotsURL = CrawlURL(origin + "/robots.txt") else { return .allowAll }
            switch try? await fetcher.fetch(robotsURL, previousVersion: nil) {
            case .document(let body, _, _, _):
                return RobotsTxt(parsing: String(decoding: body, as: UTF8.self), userAgent: userAgent)
            case .gone, .skipped, .refused, .redirect, .notModified:
                return .allowAll
            case .failed(let reason), .some(.failed(let reason)):
                // RFC 9309: an unreachable robots.txt means "disallow all"; keep the site as it was.
                yield?(.unavailable(path: origin + "/", reason: "robots.txt could not be read (\(reason))"))
                return .disallowAll
            case nil:
                return .disallowAll
            }
        }
        robotsLoading[url.origin] = task
        let rules = await task.value
        robots[url.origin] = rules
        return rules
    }

    // MARK: - Sitemaps

    private func readSitemaps() async {
        var origins: [String] = []
        for seed in configuration.seeds {
            if let url = CrawlURL(seed), !origins.contains(url.origin) { origins.append(url.origin) }
        }
        var sitemapURLs: [String] = []
        for origin in origins {
            guard let root = CrawlURL(origin + "/") else { continue }
            let rules = await robotsTxt(for: root)
            sitemapURLs += rules.sitemaps.isEmpty ? [origin + "/sitemap.xml"] : rules.sitemaps
        }
        var seen = Set<String>()
        var fetched = 0
        while let next = sitemapURLs.first, fetched < 50 {
            sitemapURLs.removeFirst()
            guard seen.insert(next).inserted, let url = CrawlURL(next) else { continue }
            fetched += 1
            guard case .document(let body, _, _, _) = try? await fetcher.fetch(url, previousVersion: nil),
                let contents = SitemapParser.parse(body)
            else { continue }
            sitemapURLs += contents.sitemaps
            for page in contents.pages {
                if let pageURL = CrawlURL(page) { enqueue(pageURL, depth: 0, redirects: 0) }
            }
        }
    }
}

/// `<meta name="robots" content="noindex, nofollow">` in a page's head.
struct RobotsDirectives {
    var noIndex = false
    var noFollow = false

    init() {}

    /// Looks for robots meta tags in the first 64 KB of an HTML page.
    init(html: Data) {
        let head = String(decoding: html.prefix(65_536), as: UTF8.self).lowercased()
        var searchStart = head.startIndex
        while let tagStart = head.range(of: "<meta", range: searchStart..<head.endIndex) {
            guard let tagEnd = head.range(of: ">", range: tagStart.upperBound..<head.endIndex) else { break }
            let tag = head[tagStart.upperBound..<tagEnd.lowerBound]
            if tag.contains("name=\"robots\"") || tag.contains("name='robots'") || tag.contains("name=robots") {
                if tag.contains("noindex") || tag.contains("none") { noIndex = true }
                if tag.contains("nofollow") || tag.contains("none") { noFollow = true }
            }
            searchStart = tagEnd.upperBound
        }
    }
}
