public import AsyncHTTPClient
public import Foundation
public import Logging
public import QuarryCore

/// Reads documents from an S3 bucket (AWS or any S3-compatible server), below a prefix.
///
/// Every object under ``Configuration/prefix`` whose format Quarry can read is a document: its
/// external id is the key, its URI `s3://bucket/key`, its version the ETag. Keys ending in `/`
/// ("folder" markers) and policy sidecars are not documents.
///
/// **Access policies**, narrowest source first, never falling back to a wider one on error:
/// 1. a sidecar object `KEY.acl.json` (`{"readers": ["group:hr", "user:bob"]}`, as
///    ``AccessPolicyFile`` reads it), or
/// 2. the object's metadata `x-amz-meta-quarry-readers: group:hr,user:bob` (read with one
///    `HeadObject` per object, see ``Configuration/readsObjectMetadata``), else
/// 3. ``Configuration/defaultPolicy``.
///
/// An object with both a sidecar and metadata readers, an invalid reader, or a sidecar that is
/// not a valid policy is listed as ``SourceListing/failure(externalID:reason:)``, so the sync
/// withdraws any indexed copy. A sidecar whose object does not exist is reported the same way.
/// When a policy cannot be read for a passing reason (timeouts, 5xx after retries), the object is
/// ``SourceListing/unavailable(path:reason:)``: its indexed copy stays as it was.
///
/// A listing that cannot be completed (endpoint unreachable, 5xx after retries, malformed XML,
/// missing bucket, wrong credentials) throws, so the sync deletes nothing.
public struct S3Connector: Connector, CustomReflectable {
    /// How an S3 connector is set up. Keys as stored in a connector definition are in brackets.
    public struct Configuration: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
        /// [`endpoint`] The service's URL (`https://s3.eu-west-1.amazonaws.com`,
        /// `http://minio.internal:9000`); empty means AWS in ``region``.
        public var endpoint: String
        /// [`region`] The signing region; `us-east-1` suits most S3-compatible servers.
        public var region: String
        /// [`bucket`] The bucket to read.
        public var bucket: String
        /// [`prefix`] Only keys starting with this (`handbook/`); empty for the whole bucket.
        public var prefix: String
        /// [`addressing`] `path` (`endpoint/bucket/key`, the default, works everywhere) or
        /// `virtual` (`bucket.endpoint/key`).
        public var addressing: S3Client.Configuration.Addressing
        /// [`access_key_id`, `secret_access_key`, `session_token`, `profile`] Where the credentials
        /// come from; each secret may be `env:VAR`. Unset: `AWS_*` variables, then `~/.aws/credentials`.
        public var credentials: S3Credentials.Source
        /// [`default_readers`] The policy of objects that carry none. The default is admins only.
        public var defaultPolicy: AccessPolicy
        /// [`metadata_acl`] Whether to send one `HeadObject` per object per sync to read
        /// `x-amz-meta-quarry-readers` (and the `Content-Type` of keys without a known extension).
        /// Off: policies come from sidecars and the default only, and listing costs one request
        /// per 1,000 objects. **Then metadata readers are ignored**: an object restricted only by
        /// its metadata gets ``defaultPolicy``, so turn this off only for buckets that use sidecars
        /// (or with the admins-only default).
        public var readsObjectMetadata: Bool
        /// [`max_object_bytes`] Objects larger than this fail with a reason instead of being read
        /// (CSV objects excepted).
        public var maximumObjectBytes: Int64
        /// [`max_csv_bytes`] CSV objects larger than this fail with a reason; those over
        /// ``streamingThreshold`` are streamed rather than read whole.
        public var maximumCSVBytes: Int64 = 4 << 30
        /// CSV objects larger than this are handed over a piece at a time, as they arrive.
        public var streamingThreshold: Int64 = 8 << 20
        /// Keys per `ListObjectsV2` page (at most 1,000).
        public var pageSize: Int
        /// `HeadObject` and sidecar requests in flight at once during a listing.
        public var concurrentRequests: Int
        /// [`timeout_seconds`] The deadline of one request.
        public var requestTimeout: Duration
        /// Retries of requests that failed for a passing reason.
        public var retry: RetryPolicy
        /// Connect to this `host:port` instead of resolving the endpoint (tests, split-horizon DNS).
        public var resolveTo: String?

        /// Creates a configuration.
        public init(
            endpoint: String = "",
            region: String = "us-east-1",
            bucket: String,
            prefix: String = "",
            addressing: S3Client.Configuration.Addressing = .path,
            credentials: S3Credentials.Source = .init(),
            defaultPolicy: AccessPolicy = .adminsOnly,
            readsObjectMetadata: Bool = true,
            maximumObjectBytes: Int64 = 32 << 20,
            pageSize: Int = 1000,
            concurrentRequests: Int = 8,
            requestTimeout: Duration = .seconds(60),
            retry: RetryPolicy = RetryPolicy(),
            resolveTo: String? = nil
        ) {
            self.endpoint = endpoint
            self.region = region
            self.bucket = bucket
            self.prefix = prefix
            self.addressing = addressing
            self.credentials = credentials
            self.defaultPolicy = defaultPolicy
            self.readsObjectMetadata = readsObjectMetadata
            self.maximumObjectBytes = maximumObjectBytes
            self.pageSize = pageSize
            self.concurrentRequests = concurrentRequests
            self.requestTimeout = requestTimeout
            self.retry = retry
            self.resolveTo = resolveTo
        }

        /// The client settings these amount to.
        public var client: S3Client.Configuration {
            S3Client.Configuration(
                endpoint: endpoint,
                region: region,
                bucket: bucket,
                addressing: addressing,
                resolveTo: resolveTo,
                requestTimeout: requestTimeout,
                retry: retry
            )
        }

        public var description: String {
            "S3Connector.Configuration(endpoint: \(endpoint.isEmpty ? "AWS" : endpoint), region: \(region), "
                + "bucket: \(bucket), prefix: \(prefix), addressing: \(addressing.rawValue), credentials: \(credentials))"
        }

        public var customMirror: Mirror {
            Mirror(self, children: ["redacted": description], displayStyle: .struct)
        }
    }

    public let name: String
    /// The connector's settings.
    public let configuration: Configuration
    private let client: S3Client
    private let logger: Logger

    /// The largest sidecar policy read.
    static let maximumSidecarBytes: Int64 = 64 << 10
    /// The metadata that holds readers: `x-amz-meta-quarry-readers`.
    public static let readersMetadataName = "quarry-readers"

    /// Creates a connector, finding its credentials.
    ///
    /// - Parameters:
    ///   - httpClient: the transport; the default is ``S3Client/sharedHTTPClient``.
    ///   - clock: what retry waits sleep on.
    ///   - environment: where `env:VAR` and `AWS_*` are looked up.
    /// - Throws: ``ConnectorError/invalidConfiguration(_:)`` when the endpoint, bucket or
    ///   credentials are unusable (the message names what, never a secret).
    public init(
        name: String,
        configuration: Configuration,
        httpClient: HTTPClient = S3Client.sharedHTTPClient,
        clock: any Clock<Duration> = ContinuousClock(),
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "quarry.s3", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws {
        self.name = name
        self.configuration = configuration
        self.logger = logger
        do {
            let credentials = try S3Credentials.resolve(configuration.credentials, environment: environment)
            client = try S3Client(
                configuration: configuration.client,
                credentials: credentials,
                httpClient: httpClient,
                clock: clock,
                logger: logger
            )
        } catch {
            throw ConnectorError.invalidConfiguration(error.description)
        }
    }

    /// Shows the name and the (redacted) settings only.
    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "configuration": configuration], displayStyle: .struct)
    }

    public func listing() -> AsyncThrowingStream<SourceListing, any Error> {
        let lister = Lister(client: client, configuration: configuration, logger: logger)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await lister.run { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Reads the object as listed: `If-Match` its ETag, so a changed or deleted object is left
    /// for the next sync (a transient ``ConnectorError/changedDuringSync(_:)``) rather than read
    /// under the policy of its previous version.
    ///
    /// A CSV object larger than ``Configuration/streamingThreshold`` is streamed as it arrives.
    public func content(of item: SourceItem) async throws -> SourceContent {
        let key = item.externalID
        let etag = item.version.hasPrefix(Lister.noETagPrefix) ? nil : item.version
        if item.contentType == .csv, let size = item.size, size > configuration.streamingThreshold {
            let client = client
            let limit = configuration.maximumCSVBytes
            return .stream(
                ContentStream(size: size) { sink in
                    do {
                        _ = try await client.getObject(key, maximumBytes: limit, ifMatch: etag, into: sink)
                    } catch let error as S3Error {
                        throw Self.connectorError(error, key: key)
                    }
                }
            )
        }
        do {
            // A CSV listed small is read whole only up to the larger of the two limits for whole
            // reads, even if it grew since the listing (objects listed without an ETag).
            let limit =
                item.contentType == .csv
                ? min(
                    configuration.maximumCSVBytes,
                    max(configuration.streamingThreshold, configuration.maximumObjectBytes)
                )
                : configuration.maximumObjectBytes
            let object = try await client.getObject(key, maximumBytes: limit, ifMatch: etag)
            return .data(object.data)
        } catch let error as S3Error {
            throw Self.connectorError(error, key: key)
        }
    }

    /// What a failed `GetObject` means for the sync.
    static func connectorError(_ error: S3Error, key: String) -> ConnectorError {
        if error.isNotFound || error.status == 412 {
            return .changedDuringSync(key)
        }
        if error.isRetryable {
            // Still failing after the retries (5xx, throttling, timeouts): keep the indexed copy.
            return .temporarilyUnavailable(key, reason: Self.reason(error))
        }
        return .unreadableFile(key, reason: Self.reason(error))
    }

    /// An error's description without the operation and key the surrounding message already gives.
    static func reason(_ error: S3Error) -> String {
        let text = error.description
        if let range = text.range(of: " failed: ") ?? text.range(of: " refused: ") {
            return String(text[range.upperBound...])
        }
        return text
    }
}

/// One listing run: pages through the prefix, then resolves each object's policy.
private struct Lister: Sendable {
    let client: S3Client
    let configuration: S3Connector.Configuration
    let logger: Logger

    /// Versions of objects whose server gave no ETag start with this.
    static let noETagPrefix = "size:"

    struct Candidate: Sendable {
        let summary: S3ObjectSummary
        let hasSidecar: Bool
    }

    func run(_ yield: @Sendable (SourceListing) -> Void) async throws {
        var summaries: [S3ObjectSummary] = []
        var token: String?
        repeat {
            try Task.checkCancellation()
            let page = try await client.listObjects(
                prefix: configuration.prefix,
                continuationToken: token,
                maxKeys: max(1, min(configuration.pageSize, 1000))
            )
            summaries += page.objects
            token = page.nextContinuationToken
        } while token != nil

        // Keys are compared as bytes: two spellings of "é" are two objects.
        let keys = Set(summaries.map { Array($0.key.utf8) })
        let suffix = Array(AccessPolicyFile.sidecarSuffix.utf8)
        var candidates: [Candidate] = []
        for summary in summaries {
            let key = Array(summary.key.utf8)
            if key.last == UInt8(ascii: "/") { continue }  // a "folder" marker
            if key.count > suffix.count, key.suffix(suffix.count).elementsEqual(suffix) {
                let target = Array(key.dropLast(suffix.count))
                if !keys.contains(target) || target.last == UInt8(ascii: "/") {
                    yield(
                        .failure(
                            externalID: summary.key,
                            reason: "the access policy \(summary.key) names no object; was its object renamed?"
                        )
                    )
                }
                continue
            }
            candidates.append(Candidate(summary: summary, hasSidecar: keys.contains(key + suffix)))
        }
        logger.info(
            "S3 listing read",
            metadata: ["s3.objects": "\(summaries.count)", "s3.candidates": "\(candidates.count)"]
        )

        let width = max(1, configuration.concurrentRequests)
        var start = 0
        while start < candidates.count {
            try Task.checkCancellation()
            let batch = Array(candidates[start..<min(start + width, candidates.count)])
            let results = await withTaskGroup(of: (Int, SourceListing?).self) { group in
                for (offset, candidate) in batch.enumerated() {
                    group.addTask { (offset, await resolve(candidate)) }
                }
                var results = [SourceListing?](repeating: nil, count: batch.count)
                for await (offset, entry) in group { results[offset] = entry }
                return results
            }
            try Task.checkCancellation()
            for case let entry? in results { yield(entry) }
            start += width
        }
    }

    /// The listing entry of one object, or nil when it is not a document (unknown format, gone).
    func resolve(_ candidate: Candidate) async -> SourceListing? {
        let key = candidate.summary.key
        var etag = candidate.summary.etag
        var size = candidate.summary.size
        var head: S3ObjectHead?
        if configuration.readsObjectMetadata {
            do {
                let found = try await client.headObject(key)
                head = found
                if !found.etag.isEmpty {
                    etag = found.etag
                    size = found.size
                }
            } catch let error as S3Error where error.isNotFound {
                return nil  // deleted since it was listed: the sync removes it
            } catch let error as S3Error where error.isRetryable {
                return .unavailable(path: key, reason: "cannot read its metadata now: \(S3Connector.reason(error))")
            } catch {
                return .failure(externalID: key, reason: "cannot read its metadata: \(describe(error))")
            }
        }
        guard let contentType = Self.contentType(key: key, declared: head?.contentType) else { return nil }

        let policy: AccessPolicy
        let metadataReaders = head?.metadata[S3Connector.readersMetadataName]
        if candidate.hasSidecar {
            let sidecar = key + AccessPolicyFile.sidecarSuffix
            if metadataReaders != nil {
                return .failure(
                    externalID: key,
                    reason: "it has both an access policy \(sidecar) and x-amz-meta-quarry-readers metadata; "
                        + "keep one of them"
                )
            }
            switch await readSidecar(sidecar, of: key) {
            case .success(let found): policy = found
            case .failure(let entry): return entry.listing
            }
        } else if let metadataReaders {
            let readers = metadataReaders.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            do {
                policy = try AccessPolicy(parsing: readers)
            } catch {
                return .failure(
                    externalID: key,
                    reason:
                        "the access policy in its x-amz-meta-quarry-readers metadata is invalid: \(error.description)"
                )
            }
        } else {
            policy = configuration.defaultPolicy
        }
        let version = etag.isEmpty ? "\(Self.noETagPrefix)\(size):\(candidate.summary.lastModified ?? "")" : etag
        return .item(
            SourceItem(
                externalID: key,
                uri: "s3://\(configuration.bucket)\(SigV4Signer.encodePath("/" + key))",
                version: version,
                contentType: contentType,
                size: size,
                policy: policy
            )
        )
    }

    struct ListingEntry: Error {
        let listing: SourceListing
    }

    private func readSidecar(_ sidecar: String, of key: String) async -> Result<AccessPolicy, ListingEntry> {
        let data: Data
        do {
            data = try await client.getObject(sidecar, maximumBytes: S3Connector.maximumSidecarBytes).data
        } catch let error as S3Error where error.isNotFound || error.isRetryable {
            let reason = "its access policy \(sidecar) cannot be read now: \(S3Connector.reason(error))"
            return .failure(ListingEntry(listing: .unavailable(path: key, reason: reason)))
        } catch {
            let reason = "the access policy \(sidecar) cannot be read: \(describe(error))"
            return .failure(ListingEntry(listing: .failure(externalID: key, reason: reason)))
        }
        do {
            return .success(try AccessPolicyFile.parse(data))
        } catch {
            let reason = "the access policy \(sidecar) is invalid: \(error.message)"
            return .failure(ListingEntry(listing: .failure(externalID: key, reason: reason)))
        }
    }

    private func describe(_ error: any Error) -> String {
        if let error = error as? S3Error { return S3Connector.reason(error) }
        return String(describing: error)
    }

    /// The format from the key's extension, else from the declared `Content-Type`.
    static func contentType(key: String, declared: String?) -> ContentType? {
        let name = key.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? key
        if let dot = name.lastIndex(of: "."), dot != name.startIndex,
            let type = ContentType(fileExtension: String(name[name.index(after: dot)...]))
        {
            return type
        }
        guard let declared else { return nil }
        let bare = declared.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        return bare.flatMap { ContentType(rawValue: $0) }
    }
}
