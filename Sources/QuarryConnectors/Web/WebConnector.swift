public import Foundation
public import QuarryCore

/// Crawls web sites from seed URLs and offers the pages as documents.
///
/// The crawl stays on the allowed hosts and path prefixes, goes at most ``Configuration/maximumDepth``
/// links from a seed and indexes at most ``Configuration/maximumPages`` pages; it reads sitemaps,
/// always obeys robots.txt (and `<meta name="robots">` `noindex`/`nofollow`), waits between requests
/// to one host and keeps ``Configuration/concurrency`` requests in flight. An incremental sync sends
/// `If-None-Match`/`If-Modified-Since`: an unchanged page costs a 304 and its links come from the
/// previous sync. A page that answers 404 or 410 is gone; one that fails (5xx, timeout) is kept as it was.
public struct WebConnector: IncrementalConnector {
    /// How a crawl is set up.
    public struct Configuration: Sendable, Hashable {
        public var seeds: [String]
        public var allowedHosts: [String]
        public var allowedPathPrefixes: [String]
        public var maximumDepth: Int
        public var maximumPages: Int
        public var concurrency: Int
        public var requestDelay: Duration
        public var userAgent: String
        public var useSitemaps: Bool
        public var maximumPageBytes: Int64
        /// Who may read the pages.
        public var defaultPolicy: AccessPolicy
        /// How long one request may take.
        public var requestTimeout: Duration = .seconds(30)

        /// Creates a configuration.
        public init(
            seeds: [String],
            allowedHosts: [String],
            allowedPathPrefixes: [String] = ["/"],
            maximumDepth: Int = 5,
            maximumPages: Int = 10_000,
            concurrency: Int = 4,
            requestDelay: Duration = .milliseconds(100),
            userAgent: String = "QuarryBot/0.1",
            useSitemaps: Bool = true,
            maximumPageBytes: Int64 = 16 << 20,
            defaultPolicy: AccessPolicy
        ) {
            self.seeds = seeds
            self.allowedHosts = allowedHosts.map { $0.lowercased() }
            self.allowedPathPrefixes = allowedPathPrefixes
            self.maximumDepth = maximumDepth
            self.maximumPages = maximumPages
            self.concurrency = max(1, concurrency)
            self.requestDelay = requestDelay
            self.userAgent = userAgent
            self.useSitemaps = useSitemaps
            self.maximumPageBytes = maximumPageBytes
            self.defaultPolicy = defaultPolicy
        }
    }

    /// Finds the link targets in a fetched page (HTML `href`s), as written. It parses the page: run
    /// the parser off the cooperative thread pool.
    public typealias LinkExtractor =
        @Sendable (_ body: Data, _ contentType: ContentType, _ charset: String?) async -> [String]

    public let name: String
    /// The crawl's settings.
    public let configuration: Configuration
    private let extractLinks: LinkExtractor
    private let bodies = BodyCache(capacityBytes: 64 << 20)

    /// Creates a connector; `extractLinks` reads a page's links (Quarry passes its HTML extractor).
    public init(name: String, configuration: Configuration, extractLinks: @escaping LinkExtractor) {
        self.name = name
        self.configuration = configuration
        self.extractLinks = extractLinks
    }

    public func listing() -> AsyncThrowingStream<SourceListing, any Error> {
        listing(previous: PreviousSync(documents: [:]))
    }

    public func listing(previous: PreviousSync) -> AsyncThrowingStream<SourceListing, any Error> {
        let crawler = Crawler(
            configuration: configuration,
            previous: previous,
            extractLinks: extractLinks,
            bodies: bodies
        )
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await crawler.run { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The page as fetched during the listing, or fetched again if it was not kept.
    public func content(of item: SourceItem) async throws -> SourceContent {
        if let body = await bodies.take(item.externalID) { return .data(body) }
        guard let url = CrawlURL(item.externalID) else {
            throw ConnectorError.unreadableFile(item.externalID, reason: "not an http(s) URL")
        }
        let fetcher = PageFetcher(configuration: configuration)
        defer { fetcher.shutdown() }
        let page = try await fetcher.fetch(url, previousVersion: nil)
        guard case .document(let body, _, _, let version) = page else {
            throw ConnectorError.changedDuringSync(item.externalID)
        }
        guard version == item.version else { throw ConnectorError.changedDuringSync(item.externalID) }
        return .data(body)
    }
}

/// Bodies fetched during a listing, kept until the sync asks for them (bounded by size; the oldest go first).
actor BodyCache {
    private let capacityBytes: Int
    private var bodies: [String: Data] = [:]
    private var order: [String] = []
    private var bytes = 0

    init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
    }

    func put(_ url: String, _ body: Data) {
        if let old = bodies[url] { bytes -= old.count }
        bodies[url] = body
        order.append(url)
        bytes += body.count
        while bytes > capacityBytes, !order.isEmpty {
            let oldest = order.removeFirst()
            if let removed = bodies.removeValue(forKey: oldest) { bytes -= removed.count }
        }
    }

    func take(_ url: String) -> Data? {
        guard let body = bodies.removeValue(forKey: url) else { return nil }
        bytes -= body.count
        order.removeAll { $0 == url }
        return body
    }
}
