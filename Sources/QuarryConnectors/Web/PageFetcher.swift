import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import QuarryCore

/// Fetches single pages for the crawler: conditional requests, no automatic redirects (the crawler
/// decides where it may go), a size cap, and retries with backoff on 429, 5xx and network errors.
struct PageFetcher: Sendable {
    /// What a request came to.
    enum Result: Sendable {
        /// A page to index: its bytes, format and version stamp.
        case document(body: Data, contentType: ContentType, charset: String?, version: String)
        /// `304 Not Modified`: the page is as it was.
        case notModified
        /// A redirect to this location (as written in `Location`).
        case redirect(String)
        /// The page does not exist (or may not be seen): 401, 403, 404, 410 and other 4xx.
        case gone(Int)
        /// Not a format Quarry indexes (images, archives...).
        case skipped(String)
        /// The page will not be indexed as it is (too large): it fails, and an indexed copy is withdrawn.
        case refused(String)
        /// It could not be fetched this time (5xx, timeout, connection refused): kept as it was.
        case failed(String)
    }

    private let client: HTTPClient
    private let configuration: WebConnector.Configuration
    private let attempts = 3

    init(configuration: WebConnector.Configuration) {
        self.configuration = configuration
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.redirectConfiguration = .disallow
        clientConfiguration.timeout = .init(connect: .seconds(10), read: .seconds(30))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
    }

    /// Releases the client's connections.
    func shutdown() {
        client.shutdown { _ in }
    }

    /// Fetches `url`; with `previousVersion` the request is conditional.
    func fetch(_ url: CrawlURL, previousVersion: String?) async throws -> Result {
        var lastProblem = ""
        for attempt in 0..<attempts {
            try Task.checkCancellation()
            if attempt > 0 {
                let backoff = 0.4 * pow(2, Double(attempt - 1)) * Double.random(in: 0.8...1.2)
                try await Task.sleep(for: .milliseconds(Int(backoff * 1000)))
            }
            var request = HTTPClientRequest(url: url.text)
            request.headers.add(name: "User-Agent", value: configuration.userAgent)
            request.headers.add(
                name: "Accept",
                value:
                    "text/html,application/xhtml+xml,text/plain,text/markdown,text/csv,application/pdf;q=0.9,*/*;q=0.1"
            )
            if let previousVersion {
                if previousVersion.hasPrefix("etag:") {
                    request.headers.add(name: "If-None-Match", value: String(previousVersion.dropFirst(5)))
                } else if previousVersion.hasPrefix("lm:") {
                    request.headers.add(name: "If-Modified-Since", value: String(previousVersion.dropFirst(3)))
                }
            }
            let response: HTTPClientResponse
            do {
                response = try await client.execute(
                    request,
                    timeout: .seconds(Int64(configuration.requestTimeout.components.seconds))
                )
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                lastProblem = "the request failed (\(Self.shortDescription(of: error)))"
                continue
            }
            let status = Int(response.status.code)
            switch status {
            case 200:
                return try await document(response, url: url)
            case 304:
                return previousVersion == nil ? .failed("304 without a conditional request") : .notModified
            case 301, 302, 303, 307, 308:
                guard let location = response.headers.first(name: "Location") else {
                    return .refused("a \(status) redirect without a Location")
                }
                return .redirect(location)
            case 429, 500...599:
                lastProblem = "the server answered \(status)"
                if let retry = response.headers.first(name: "Retry-After").flatMap(Double.init), retry <= 10 {
                    try await Task.sleep(for: .milliseconds(Int(retry * 1000)))
                }
                continue
            case 400...499:
                return .gone(status)
            default:
                return .skipped("the server answered \(status)")
            }
        }
        return .failed(lastProblem)
    }

    private func document(_ response: HTTPClientResponse, url: CrawlURL) async throws -> Result {
        let contentTypeHeader = response.headers.first(name: "Content-Type") ?? ""
        let mediaType =
            contentTypeHeader.split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let contentType = Self.contentType(mediaType: mediaType, path: url.path) else {
            return .skipped("not a format Quarry indexes (\(mediaType.isEmpty ? "no Content-Type" : mediaType))")
        }
        if let length = response.headers.first(name: "Content-Length").flatMap(Int64.init),
            length > configuration.maximumPageBytes
        {
            return .refused("the page is \(length) bytes, over the limit of \(configuration.maximumPageBytes)")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await response.body.collect(upTo: Int(configuration.maximumPageBytes))
        } catch is NIOTooManyBytesError {
            return .refused("the page is over the limit of \(configuration.maximumPageBytes) bytes")
        }
        let body = Data(buffer.readableBytesView)
        let version: String
        if let etag = response.headers.first(name: "ETag"), !etag.isEmpty {
            version = "etag:" + etag
        } else if let modified = response.headers.first(name: "Last-Modified"), !modified.isEmpty {
            version = "lm:" + modified
        } else {
            version = "sha256:" + SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
        }
        return .document(
            body: body,
            contentType: contentType,
            charset: Self.charset(contentTypeHeader),
            version: version
        )
    }

    /// The format of a response, from its media type, else the URL's extension for generic types.
    static func contentType(mediaType: String, path: String) -> ContentType? {
        switch mediaType {
        case "text/html", "application/xhtml+xml": return .html
        case "application/pdf": return .pdf
        case "text/csv": return .csv
        case "text/markdown", "text/x-markdown": return .markdown
        case "text/plain": return ContentType(fileExtension: (path as NSString).pathExtension) ?? .plainText
        case "", "application/octet-stream", "binary/octet-stream":
            return ContentType(fileExtension: (path as NSString).pathExtension)
        default: return nil
        }
    }

    /// The `charset` parameter of a `Content-Type` header, unquoted, if any.
    static func charset(_ header: String) -> String? {
        for parameter in header.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else {
                continue
            }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
            return value.isEmpty ? nil : String(value.prefix(40))
        }
        return nil
    }

    /// A bounded description of an error, for failure reasons.
    static func shortDescription(of error: any Error) -> String {
        String(String(describing: error).prefix(120))
    }
}
