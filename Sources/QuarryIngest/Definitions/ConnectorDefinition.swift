import Foundation
import NIOPosix
import QuarryConnectors
public import QuarryCore
public import QuarryExtract

/// A connector's settings: its type, where it reads, who may read what carries no policy, how
/// often it syncs and how documents are cut into passages.
///
/// The same keys are used in YAML files (`quarry connectors add --file`), in the admin API's JSON
/// and in the store; see `connectors/examples/` for one commented file per type.
public struct ConnectorDefinition: Sendable, Hashable {
    /// The connector types this version of Quarry knows.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case filesystem, s3, web
    }

    /// Settings of a folder on local disk.
    public struct FileSystemSettings: Sendable, Hashable {
        /// The folder to index (absolute).
        public var root: String
        /// Files larger than this fail with their size (CSV files excepted).
        public var maximumFileBytes: Int64 = 32 << 20
        /// CSV files larger than this fail with their size; large ones are streamed.
        public var maximumCSVBytes: Int64 = 4 << 30
    }

    /// Settings of an S3-compatible bucket.
    public struct S3Settings: Sendable, Hashable {
        /// How bucket names are put in URLs.
        public enum Addressing: String, Sendable, Hashable {
            /// `https://endpoint/bucket/key` (MinIO, Ceph, moto, most self-hosted stores).
            case path
            /// `https://bucket.endpoint/key` (AWS).
            case virtual
        }

        /// The service's base URL, e.g. `https://s3.eu-west-2.amazonaws.com`.
        public var endpoint: String
        /// The region used in signatures.
        public var region: String
        /// The bucket.
        public var bucket: String
        /// Only keys starting with this are indexed.
        public var prefix: String = ""
        /// Path-style or virtual-hosted URLs.
        public var addressing: Addressing = .path
        /// The access key id; without one, the environment or the credentials file is used.
        public var accessKeyID: Secret?
        /// The secret access key.
        public var secretAccessKey: Secret?
        /// A session token for temporary credentials.
        public var sessionToken: Secret?
        /// A profile of the shared credentials file (`~/.aws/credentials`).
        public var profile: String?
        /// Objects larger than this fail with their size.
        public var maximumObjectBytes: Int64 = 32 << 20
        /// CSV objects larger than this fail with their size; large ones are streamed.
        public var maximumCSVBytes: Int64 = 4 << 30
        /// Whether each object's metadata is read (one HEAD per object) for `x-amz-meta-quarry-readers`.
        public var readsObjectMetadata = true
        /// The deadline of one request, body included.
        public var requestTimeoutSeconds = 60

        /// Creates settings; everything but the bucket has a default.
        public init(endpoint: String = "", region: String = "us-east-1", bucket: String) {
            self.endpoint = endpoint
            self.region = region
            self.bucket = bucket
        }
    }

    /// Settings of a web site crawl.
    public struct WebSettings: Sendable, Hashable {
        /// Where the crawl starts.
        public var seeds: [String]
        /// Hosts the crawl may visit; by default the seeds' hosts.
        public var allowedHosts: [String]
        /// Path prefixes the crawl may visit; by default everything on the allowed hosts.
        public var allowedPathPrefixes: [String] = ["/"]
        /// How many links away from a seed the crawl goes.
        public var maximumDepth: Int = 5
        /// The most pages one sync indexes.
        public var maximumPages: Int = 10_000
        /// Requests in flight at once.
        public var concurrency: Int = 4
        /// The pause between two requests to one host, unless robots.txt asks for more.
        public var requestDelayMilliseconds: Int = 100
        /// The `User-Agent` sent, also matched against robots.txt.
        public var userAgent: String = "QuarryBot/0.1"
        /// Whether sitemap.xml files (and those robots.txt names) are read for more seeds.
        public var useSitemaps: Bool = true
        /// Pages larger than this fail with their size.
        public var maximumPageBytes: Int64 = 16 << 20

        /// Creates settings; everything but the seeds and hosts has a default.
        public init(
            seeds: [String],
            allowedHosts: [String],
            allowedPathPrefixes: [String] = ["/"],
            maximumDepth: Int = 5,
            maximumPages: Int = 10_000,
            concurrency: Int = 4,
            requestDelayMilliseconds: Int = 100,
            userAgent: String = "QuarryBot/0.1",
            useSitemaps: Bool = true,
            maximumPageBytes: Int64 = 16 << 20
        ) {
            self.seeds = seeds
            self.allowedHosts = allowedHosts
            self.allowedPathPrefixes = allowedPathPrefixes
            self.maximumDepth = maximumDepth
            self.maximumPages = maximumPages
            self.concurrency = concurrency
            self.requestDelayMilliseconds = requestDelayMilliseconds
            self.userAgent = userAgent
            self.useSitemaps = useSitemaps
            self.maximumPageBytes = maximumPageBytes
        }
    }

    /// The type and its settings.
    public enum Settings: Sendable, Hashable {
        case filesystem(FileSystemSettings)
        case s3(S3Settings)
        case web(WebSettings)
    }

    /// The unique name.
    public var name: String
    /// Where and how documents are read.
    public var settings: Settings
    /// Readers of documents that carry no policy of their own; empty means admins only.
    public var defaultReaders: [String]
    /// How often it syncs on its own; nil for manual syncs only.
    public var schedule: SyncSchedule?
    /// How documents are cut into passages.
    public var chunking: ChunkingConfiguration

    /// The type of source.
    public var type: Kind {
        switch settings {
        case .filesystem: .filesystem
        case .s3: .s3
        case .web: .web
        }
    }

    /// Creates a definition.
    public init(
        name: String,
        settings: Settings,
        defaultReaders: [String] = [],
        schedule: SyncSchedule? = nil,
        chunking: ChunkingConfiguration = .init()
    ) {
        self.name = name
        self.settings = settings
        self.defaultReaders = defaultReaders
        self.schedule = schedule
        self.chunking = chunking
    }

    /// A filesystem connector reading `root`.
    public static func filesystem(name: String, root: String, defaultReaders: [String] = []) -> ConnectorDefinition {
        ConnectorDefinition(
            name: name,
            settings: .filesystem(FileSystemSettings(root: URL(fileURLWithPath: root).standardizedFileURL.path)),
            defaultReaders: defaultReaders
        )
    }

    /// The folder of a filesystem connector.
    public var root: String? {
        if case .filesystem(let settings) = settings { return settings.root }
        return nil
    }

    /// The connector this definition describes.
    ///
    /// - Throws: ``ConnectorDefinitionError`` when a secret's environment variable is not set.
    public func makeConnector() throws -> any Connector {
        let policy = try AccessPolicy(parsing: defaultReaders)
        switch settings {
        case .filesystem(let settings):
            return FileSystemConnector(
                name: name,
                configuration: .init(
                    root: settings.root,
                    defaultPolicy: policy,
                    maximumFileBytes: settings.maximumFileBytes,
                    maximumCSVBytes: settings.maximumCSVBytes
                )
            )
        case .web(let settings):
            let extractor = DocumentExtractor()
            return WebConnector(
                name: name,
                configuration: .init(
                    seeds: settings.seeds,
                    allowedHosts: settings.allowedHosts,
                    allowedPathPrefixes: settings.allowedPathPrefixes,
                    maximumDepth: settings.maximumDepth,
                    maximumPages: settings.maximumPages,
                    concurrency: settings.concurrency,
                    requestDelay: .milliseconds(settings.requestDelayMilliseconds),
                    userAgent: settings.userAgent,
                    useSitemaps: settings.useSitemaps,
                    maximumPageBytes: settings.maximumPageBytes,
                    defaultPolicy: policy
                ),
                extractLinks: { body, contentType, charset in
                    // libxml2 on a page of up to max_page_bytes: off the cooperative pool.
                    let links = try? await NIOThreadPool.singleton.runIfActive {
                        extractor.links(in: body, contentType: contentType, charset: charset)
                    }
                    return links ?? []
                }
            )
        case .s3(let settings):
            var configuration = S3Connector.Configuration(
                endpoint: settings.endpoint,
                region: settings.region,
                bucket: settings.bucket,
                prefix: settings.prefix,
                addressing: settings.addressing == .virtual ? .virtual : .path,
                credentials: .init(
                    accessKeyID: settings.accessKeyID?.configurationText,
                    secretAccessKey: settings.secretAccessKey?.configurationText,
                    sessionToken: settings.sessionToken?.configurationText,
                    profile: settings.profile
                ),
                defaultPolicy: policy,
                readsObjectMetadata: settings.readsObjectMetadata,
                maximumObjectBytes: settings.maximumObjectBytes,
                requestTimeout: .seconds(settings.requestTimeoutSeconds)
            )
            configuration.maximumCSVBytes = settings.maximumCSVBytes
            return try S3Connector(name: name, configuration: configuration)
        }
    }
}
