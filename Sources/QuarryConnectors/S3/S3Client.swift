public import AsyncHTTPClient
public import Foundation
public import Logging
import NIOCore
import NIOHTTP1

/// A small S3 client: list, head and get objects (plus put, delete and create bucket for tests
/// and tools), signed with ``SigV4Signer``, over AsyncHTTPClient.
///
/// Every request has a deadline (``Configuration/requestTimeout``). Requests that fail for a
/// passing reason (connection errors, timeouts, 5xx, `SlowDown`, `RequestTimeout`) are retried
/// with exponential backoff and full jitter, as ``Configuration/retry`` says; the waits go through
/// the injected clock. Bodies are never read unbounded: listings and error documents are capped,
/// and objects are read up to the caller's limit.
///
/// Errors are ``S3Error``s (or `CancellationError`); they name the operation and the key and S3's
/// error code, never credentials or signatures.
public struct S3Client: Sendable, CustomReflectable {
    /// Where the bucket is and how to talk to it.
    public struct Configuration: Sendable, Hashable {
        /// How the bucket appears in URLs.
        public enum Addressing: String, Sendable, Hashable, Codable, CaseIterable {
            /// `https://endpoint/bucket/key`: works with every S3-compatible server (MinIO, Ceph, moto).
            case path
            /// `https://bucket.endpoint/key`: AWS's preferred style; the bucket name must be a valid
            /// host label (no dots with HTTPS, or the certificate will not match).
            case virtual
        }

        /// The service's base URL, `https://…` or `http://…`, without a path; empty means AWS in
        /// ``region`` (`https://s3.REGION.amazonaws.com`).
        public var endpoint: String
        /// The region the signature is scoped to (`us-east-1` for most S3-compatible servers).
        public var region: String
        /// The bucket.
        public var bucket: String
        /// Path-style or virtual-hosted URLs.
        public var addressing: Addressing
        /// Connect to this `host:port` instead of resolving the request's host (like curl's
        /// `--resolve`); the `Host` header and the signature still use the real host. For tests and
        /// split-horizon networks; with HTTPS the certificate must still match the real host.
        public var resolveTo: String?
        /// The deadline of one attempt, body included.
        public var requestTimeout: Duration
        /// Retries of failed attempts.
        public var retry: RetryPolicy
        /// The largest listing page accepted (S3's are about 300 KB for 1,000 keys).
        public var maximumListBytes: Int

        /// Creates a configuration.
        public init(
            endpoint: String = "",
            region: String = "us-east-1",
            bucket: String,
            addressing: Addressing = .path,
            resolveTo: String? = nil,
            requestTimeout: Duration = .seconds(60),
            retry: RetryPolicy = RetryPolicy(),
            maximumListBytes: Int = 16 << 20
        ) {
            self.endpoint = endpoint
            self.region = region
            self.bucket = bucket
            self.addressing = addressing
            self.resolveTo = resolveTo
            self.requestTimeout = requestTimeout
            self.retry = retry
            self.maximumListBytes = maximumListBytes
        }
    }

    /// The settings in use.
    public let configuration: Configuration
    private let signer: SigV4Signer
    private let httpClient: HTTPClient
    private let clock: any Clock<Duration>
    private let logger: Logger
    private let base: BaseURL

    /// An HTTP client for S3 shared by the process: no redirects (a redirect would carry the
    /// signature elsewhere and never verify), no decompression, a 10-second connect timeout and a
    /// 60-second read timeout (a body that stalls that long fails, even when streamed).
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: .seconds(60)),
            decompression: .disabled
        )
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - httpClient: the transport; the default is ``sharedHTTPClient``, which never needs shutting down.
    ///   - clock: what backoff waits on; tests pass a clock that does not sleep.
    /// - Throws: ``S3Error/configuration(_:)`` for an endpoint that is not an `http`/`https` URL
    ///   without a path, or an empty bucket.
    public init(
        configuration: Configuration,
        credentials: S3Credentials,
        httpClient: HTTPClient = S3Client.sharedHTTPClient,
        clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "quarry.s3", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws(S3Error) {
        guard !configuration.bucket.isEmpty else { throw .configuration("bucket: a bucket name is required") }
        self.configuration = configuration
        self.base = try BaseURL(configuration: configuration)
        self.signer = SigV4Signer(credentials: credentials, region: configuration.region, service: "s3")
        self.httpClient = httpClient
        self.clock = clock
        self.logger = logger
    }

    /// Shows the settings only: never the credentials, nor the transport's state (which holds
    /// requests in flight with their headers).
    public var customMirror: Mirror {
        Mirror(self, children: ["configuration": configuration], displayStyle: .struct)
    }

    // MARK: - Operations

    /// One page of `ListObjectsV2`.
    ///
    /// - Parameters:
    ///   - prefix: only keys starting with it.
    ///   - continuationToken: the previous page's ``S3ObjectPage/nextContinuationToken``.
    ///   - maxKeys: at most this many keys (S3 caps it at 1,000).
    public func listObjects(
        prefix: String = "",
        continuationToken: String? = nil,
        maxKeys: Int = 1000
    )
        async throws -> S3ObjectPage
    {
        var query: [(name: String, value: String)] = [("list-type", "2"), ("max-keys", String(maxKeys))]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let operation = "ListObjectsV2"
        let body = try await withRetries(operation: operation, key: nil) { [query] () async throws -> Data in
            let response = try await send(method: .GET, key: nil, query: query, operation: operation)
            return try await collect(response, upTo: configuration.maximumListBytes, operation: operation, key: nil)
        }
        do {
            return try S3ObjectPage.parse(body)
        } catch {
            throw S3Error.malformedResponse(error.description, operation: operation)
        }
    }

    /// `HeadObject`: the object's size, ETag, content type and user metadata.
    public func headObject(_ key: String) async throws -> S3ObjectHead {
        let operation = "HeadObject"
        return try await withRetries(operation: operation, key: key) { () async throws -> S3ObjectHead in
            let response = try await send(method: .HEAD, key: key, operation: operation)
            guard (200..<300).contains(response.status.code) else {
                throw await serviceError(response, operation: operation, key: key)
            }
            return try S3ObjectHead(headers: response.headers, operation: operation, key: key)
        }
    }

    /// `GetObject` into memory, refused (before reading the body when the size is known) when it is
    /// larger than `maximumBytes`.
    ///
    /// - Parameter ifMatch: an ETag the object must still have; otherwise S3 answers 412
    ///   `PreconditionFailed` (the object changed since it was listed).
    public func getObject(_ key: String, maximumBytes: Int64, ifMatch: String? = nil) async throws -> S3Object {
        let operation = "GetObject"
        return try await withRetries(operation: operation, key: key) { () async throws -> S3Object in
            var chunks = Data()
            let head = try await getObjectOnce(key, maximumBytes: maximumBytes, ifMatch: ifMatch) { chunk in
                chunks.append(chunk)
            }
            return S3Object(head: head, data: chunks)
        }
    }

    /// `GetObject` streamed to `sink` chunk by chunk, for objects too large to hold in memory.
    ///
    /// Only the request is retried, never a body that has started to arrive (the sink would see
    /// bytes twice). The sink is called in order; the total is capped at `maximumBytes`.
    public func getObject(
        _ key: String,
        maximumBytes: Int64,
        ifMatch: String? = nil,
        into sink: (Data) async throws -> Void
    ) async throws -> S3ObjectHead {
        let operation = "GetObject"
        let response = try await withRetries(operation: operation, key: key) {
            () async throws -> HTTPClientResponse in
            let response = try await send(method: .GET, key: key, headers: ifMatchHeader(ifMatch), operation: operation)
            guard (200..<300).contains(response.status.code) else {
                throw await serviceError(response, operation: operation, key: key)
            }
            return response
        }
        return try await stream(response, key: key, maximumBytes: maximumBytes, into: sink)
    }

    /// `PutObject` with user metadata (`x-amz-meta-NAME`); for tests and tools.
    public func putObject(
        _ key: String,
        data: Data,
        contentType: String? = nil,
        metadata: [String: String] = [:]
    )
        async throws
    {
        var headers: [(name: String, value: String)] = []
        if let contentType { headers.append(("content-type", contentType)) }
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            headers.append(("x-amz-meta-" + name.lowercased(), value))
        }
        let operation = "PutObject"
        try await withRetries(operation: operation, key: key) { [headers] () async throws -> Void in
            let response = try await send(method: .PUT, key: key, headers: headers, body: data, operation: operation)
            guard (200..<300).contains(response.status.code) else {
                throw await serviceError(response, operation: operation, key: key)
            }
            _ = try? await response.body.collect(upTo: 64 << 10)
        }
    }

    /// `DeleteObject`; for tests and tools.
    public func deleteObject(_ key: String) async throws {
        let operation = "DeleteObject"
        try await withRetries(operation: operation, key: key) { () async throws -> Void in
            let response = try await send(method: .DELETE, key: key, operation: operation)
            guard (200..<300).contains(response.status.code) else {
                throw await serviceError(response, operation: operation, key: key)
            }
            _ = try? await response.body.collect(upTo: 64 << 10)
        }
    }

    /// `CreateBucket` in the configured region; for tests and tools.
    public func createBucket() async throws {
        let operation = "CreateBucket"
        var body = Data()
        if configuration.region != "us-east-1" {
            body = Data(
                ("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                    + "<LocationConstraint>\(configuration.region)</LocationConstraint></CreateBucketConfiguration>")
                    .utf8
            )
        }
        try await withRetries(operation: operation, key: nil) { [body] () async throws -> Void in
            let response = try await send(method: .PUT, key: nil, body: body, operation: operation)
            guard (200..<300).contains(response.status.code) else {
                throw await serviceError(response, operation: operation, key: nil)
            }
            _ = try? await response.body.collect(upTo: 64 << 10)
        }
    }

    // MARK: - Requests

    private func ifMatchHeader(_ etag: String?) -> [(name: String, value: String)] {
        guard let etag else { return [] }
        return [("if-match", "\"\(etag)\"")]
    }

    private func getObjectOnce(
        _ key: String,
        maximumBytes: Int64,
        ifMatch: String?,
        into sink: (Data) async throws -> Void
    ) async throws -> S3ObjectHead {
        let operation = "GetObject"
        let response = try await send(method: .GET, key: key, headers: ifMatchHeader(ifMatch), operation: operation)
        guard (200..<300).contains(response.status.code) else {
            throw await serviceError(response, operation: operation, key: key)
        }
        return try await stream(response, key: key, maximumBytes: maximumBytes, into: sink)
    }

    private func stream(
        _ response: HTTPClientResponse,
        key: String,
        maximumBytes: Int64,
        into sink: (Data) async throws -> Void
    ) async throws -> S3ObjectHead {
        let operation = "GetObject"
        let head = try S3ObjectHead(headers: response.headers, operation: operation, key: key)
        if head.size > maximumBytes {
            throw S3Error.tooLarge(size: head.size, limit: maximumBytes, key: key)
        }
        var received: Int64 = 0
        do {
            for try await buffer in response.body {
                received += Int64(buffer.readableBytes)
                if received > maximumBytes {
                    throw S3Error.tooLarge(size: nil, limit: maximumBytes, key: key)
                }
                try await sink(Data(buffer.readableBytesView))
            }
        } catch let error as S3Error {
            throw error
        } catch let error as CancellationError {
            throw error
        } catch {
            throw Self.transportError(error, operation: operation, key: key)
        }
        guard received == head.size else {
            throw S3Error.transport(
                "the connection ended after \(received) of \(head.size) bytes",
                operation: operation,
                key: key
            )
        }
        return head
    }

    private func collect(
        _ response: HTTPClientResponse,
        upTo limit: Int,
        operation: String,
        key: String?
    )
        async throws -> Data
    {
        guard (200..<300).contains(response.status.code) else {
            throw await serviceError(response, operation: operation, key: key)
        }
        do {
            let buffer = try await response.body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw S3Error.malformedResponse(
                "the response is larger than \(limit) bytes",
                operation: operation,
                key: key
            )
        } catch let error as CancellationError {
            throw error
        } catch {
            throw Self.transportError(error, operation: operation, key: key)
        }
    }

    /// Reads S3's `<Error>` document (at most 64 KiB of it) into an ``S3Error``.
    private func serviceError(_ response: HTTPClientResponse, operation: String, key: String?) async -> S3Error {
        let data = (try? await response.body.collect(upTo: 64 << 10)).map { Data($0.readableBytesView) } ?? Data()
        let document = data.isEmpty ? S3ErrorDocument() : S3ErrorDocument.parse(data)
        var code = document.code
        if code == nil, response.status.code == 404 { code = key == nil ? "NoSuchBucket" : "NoSuchKey" }
        if code == nil, response.status.code == 412 { code = "PreconditionFailed" }
        return S3Error.service(
            status: Int(response.status.code),
            code: code,
            message: document.message,
            operation: operation,
            key: key
        )
    }

    /// Signs and sends one attempt; transport failures become ``S3Error/transport(_:operation:key:)``.
    private func send(
        method: HTTPMethod,
        key: String?,
        query: [(name: String, value: String)] = [],
        headers extraHeaders: [(name: String, value: String)] = [],
        body: Data? = nil,
        operation: String
    ) async throws -> HTTPClientResponse {
        let target = base.target(bucket: configuration.bucket, key: key, addressing: configuration.addressing)
        let payload: SigV4Payload = body.map { SigV4Payload.hashing($0) } ?? .empty
        let signable = SigV4Request(
            method: method.rawValue,
            path: target.path,
            query: query,
            headers: [("host", target.hostHeader)] + extraHeaders,
            payload: payload
        )
        let signed = signer.signedHeaders(for: signable, date: Date())
        var url =
            base.scheme + "://" + (configuration.resolveTo ?? target.hostHeader) + SigV4Signer.encodePath(target.path)
        if !query.isEmpty { url += "?" + SigV4Signer.canonicalQuery(query) }
        var request = HTTPClientRequest(url: url)
        request.method = method
        for header in signed {
            request.headers.add(name: header.name, value: header.value)
        }
        if let body {
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        // A backstop: the attempt's own deadline (``withDeadline``) normally fires first.
        let timeout = configuration.requestTimeout + .seconds(1)
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        do {
            return try await httpClient.execute(request, timeout: .nanoseconds(nanoseconds), logger: logger)
        } catch let error as CancellationError {
            throw error
        } catch {
            throw Self.transportError(error, operation: operation, key: key)
        }
    }

    /// Runs `attempt` until it succeeds, fails for good, or the attempts run out; each attempt
    /// must finish within ``Configuration/requestTimeout`` (measured on the real clock: the
    /// injected one only paces the waits between attempts).
    private func withRetries<T: Sendable>(
        operation: String,
        key: String?,
        _ attempt: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        var number = 1
        var generator = SystemRandomNumberGenerator()
        while true {
            do {
                return try await withDeadline(operation: operation, key: key, attempt)
            } catch let error as S3Error
                where error.isRetryable && configuration.retry.allowsRetry(afterAttempt: number)
            {
                let delay = configuration.retry.delay(afterAttempt: number, using: &generator)
                logger.info(
                    "S3 request failed; retrying",
                    metadata: [
                        "s3.operation": "\(operation)", "s3.attempt": "\(number)", "s3.status": "\(error.status ?? 0)",
                        "s3.error_code": "\(error.errorCode ?? "-")",
                    ]
                )
                try await clock.sleep(for: delay)
                number += 1
            }
        }
    }

    /// Runs `body`, cancelling it (which cancels its HTTP request) when the request timeout passes.
    ///
    /// AsyncHTTPClient's own deadline stops at the response head and may not stop a request still
    /// waiting for a connection, so the whole attempt, body included, is raced against a timer here.
    private func withDeadline<T: Sendable>(
        operation: String,
        key: String?,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let timeout = configuration.requestTimeout
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw S3Error.transport("the request timed out", operation: operation, key: key)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }

    /// Describes a transport failure without anything from the request (URLs carry no secrets, but
    /// keep it short anyway).
    static func transportError(_ error: any Error, operation: String, key: String?) -> S3Error {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return .transport("the request timed out", operation: operation, key: key)
            case .connectTimeout:
                return .transport("connecting timed out", operation: operation, key: key)
            case .remoteConnectionClosed:
                return .transport("the server closed the connection", operation: operation, key: key)
            default:
                return .transport("HTTP error: \(error)", operation: operation, key: key)
            }
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") {
            return .transport("the connection was refused", operation: operation, key: key)
        }
        return .transport("connection failed: \(text.prefix(200))", operation: operation, key: key)
    }
}

/// The endpoint, split into what the URL and the `Host` header need.
private struct BaseURL: Sendable, Hashable {
    let scheme: String
    /// The host (bracketed when IPv6) and the port when it is not the scheme's default.
    let host: String
    let portSuffix: String

    init(configuration: S3Client.Configuration) throws(S3Error) {
        let endpoint =
            configuration.endpoint.isEmpty
            ? "https://s3.\(configuration.region).amazonaws.com" : configuration.endpoint
        guard let components = URLComponents(string: endpoint), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            throw .configuration("endpoint: expected a URL such as https://s3.eu-west-1.amazonaws.com")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil,
            components.user == nil, components.password == nil
        else {
            throw .configuration("endpoint: give only the scheme, host and port, without a path, query or user")
        }
        self.scheme = scheme
        self.host = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        if let port = components.port, port != (scheme == "https" ? 443 : 80) {
            portSuffix = ":\(port)"
        } else {
            portSuffix = ""
        }
    }

    /// The `Host` header and the unencoded path of a request about `key` (nil: the bucket).
    func target(
        bucket: String,
        key: String?,
        addressing: S3Client.Configuration.Addressing
    )
        -> (hostHeader: String, path: String)
    {
        switch addressing {
        case .path:
            return (host + portSuffix, "/" + bucket + (key.map { "/" + $0 } ?? ""))
        case .virtual:
            return (bucket + "." + host + portSuffix, "/" + (key ?? ""))
        }
    }
}

/// What `HeadObject` (or the head of `GetObject`) says about an object.
public struct S3ObjectHead: Sendable, Hashable {
    /// The ETag without quotes.
    public var etag: String
    /// Size in bytes (`Content-Length`).
    public var size: Int64
    /// `Content-Type`, when given.
    public var contentType: String?
    /// User metadata: `x-amz-meta-NAME` headers by lower-cased `NAME`.
    public var metadata: [String: String]

    /// Creates a head.
    public init(etag: String, size: Int64, contentType: String?, metadata: [String: String]) {
        self.etag = etag
        self.size = size
        self.contentType = contentType
        self.metadata = metadata
    }

    init(headers: HTTPHeaders, operation: String, key: String) throws(S3Error) {
        guard let length = headers.first(name: "content-length").flatMap({ Int64($0) }), length >= 0 else {
            throw .malformedResponse("no valid Content-Length", operation: operation, key: key)
        }
        etag = S3ObjectSummary.unquoted(headers.first(name: "etag") ?? "")
        size = length
        contentType = headers.first(name: "content-type")
        var metadata: [String: String] = [:]
        for header in headers where header.name.lowercased().hasPrefix("x-amz-meta-") {
            let name = String(header.name.lowercased().dropFirst("x-amz-meta-".count))
            metadata[name] = metadata[name].map { $0 + "," + header.value } ?? header.value
        }
        self.metadata = metadata
    }
}

/// An object read whole.
public struct S3Object: Sendable {
    /// Its head.
    public var head: S3ObjectHead
    /// Its bytes.
    public var data: Data
}
