public import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
public import QuarryCore

/// An ``Embedder`` that asks any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, vLLM,
/// llama.cpp server, Ollama, a Bedrock gateway) for its vectors.
///
/// Texts go in batches of ``RemoteEmbedderConfiguration/batchSize`` as
/// `{"model": …, "input": [...], "encoding_format": "float"}`; the answer's `data[i].index` puts
/// each vector back in order. Every answer is checked: status 200, at most
/// ``RemoteEmbedderConfiguration/maximumResponseBytes``, one vector per text, each of
/// ``RemoteEmbedderConfiguration/dimension`` finite numbers. Vectors are L2-normalised here, since
/// not every server does. Errors name the endpoint and the status, never the texts or the key.
public struct RemoteEmbedder: Embedder {
    public let model: String
    public let dimension: Int
    private let configuration: RemoteEmbedderConfiguration
    private let client: HTTPClient
    private let logger: Logger

    /// Creates an embedder for the endpoint in `configuration`.
    ///
    /// - Throws: ``EmbeddingError/invalidConfiguration(_:)`` for a URL that is not http(s), an
    ///   empty model, or sizes below 1.
    public init(configuration: RemoteEmbedderConfiguration, client: HTTPClient = .shared, logger: Logger) throws {
        guard let url = URL(string: configuration.endpoint), ["http", "https"].contains(url.scheme ?? ""),
            url.host != nil
        else {
            throw EmbeddingError.invalidConfiguration(
                "embedding.remote.url \(configuration.url.redactingURLSecrets) is not an http(s) URL"
            )
        }
        guard !configuration.model.isEmpty, configuration.dimension > 0, configuration.batchSize > 0,
            configuration.maximumResponseBytes > 0
        else {
            throw EmbeddingError.invalidConfiguration(
                "the remote embedder needs a model name, and a dimension and batch size of at least 1"
            )
        }
        self.configuration = configuration
        self.model = configuration.model
        self.dimension = configuration.dimension
        self.client = client
        self.logger = logger
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            try Task.checkCancellation()
            let batch = Array(texts[start..<min(texts.count, start + configuration.batchSize)])
            vectors += try await request(batch)
            start += batch.count
        }
        return vectors
    }

    private struct Body: Encodable {
        var model: String
        var input: [String]
        var encoding_format = "float"
    }

    private struct Answer: Decodable {
        struct Item: Decodable {
            var index: Int
            var embedding: [Float]
        }
        var data: [Item]
    }

    private struct Problem: Decodable {
        struct Detail: Decodable {
            var type: String?
            var code: String?
        }
        var error: Detail?
    }

    private func request(_ texts: [String]) async throws -> [[Float]] {
        // The URL as messages and logs may show it (no user name, password or query).
        let endpoint = configuration.endpoint.redactingURLSecrets
        var request = HTTPClientRequest(url: configuration.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        if let key = configuration.apiKey, !key.isEmpty {
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
        }
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(Body(model: model, input: texts))))
        logger.debug(
            "embedding request",
            metadata: ["embedding.endpoint": "\(endpoint)", "embedding.texts": "\(texts.count)"]
        )

        let data: Data
        let status: HTTPResponseStatus
        do {
            let timeout = configuration.timeout
            let (seconds, attoseconds) = timeout.components
            let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
            let limit = configuration.maximumResponseBytes
            (status, data) = try await withThrowingTaskGroup(of: (HTTPResponseStatus, Data).self) { group in
                group.addTask { [client, request] in
                    let response = try await client.execute(request, timeout: .nanoseconds(nanoseconds))
                    if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > limit {
                        throw EmbeddingError.remote(
                            "\(endpoint) answered \(length) bytes, more than the \(limit) bytes allowed"
                        )
                    }
                    let body = try await response.body.collect(upTo: limit)
                    return (response.status, Data(body.readableBytesView))
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw EmbeddingError.remote("\(endpoint) did not answer within \(timeout)")
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch let error as EmbeddingError {
            throw error
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw EmbeddingError.remote(
                "\(endpoint) answered more than the \(configuration.maximumResponseBytes) bytes allowed"
            )
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw EmbeddingError.remote("\(endpoint) did not answer within \(configuration.timeout)")
        } catch {
            throw EmbeddingError.remote("cannot reach \(endpoint): \(Self.shortDescription(of: error))")
        }
        guard status == .ok else {
            let problem = (try? JSONDecoder().decode(Problem.self, from: data))?.error
            let detail = [problem?.type, problem?.code].compactMap { $0 }.joined(separator: ", ")
            throw EmbeddingError.remote(
                "\(endpoint) answered \(status.code) \(status.reasonPhrase)\(detail.isEmpty ? "" : " (\(detail))")"
            )
        }
        return try vectors(from: data, count: texts.count, endpoint: endpoint)
    }

    private func vectors(from data: Data, count: Int, endpoint: String) throws -> [[Float]] {
        guard let answer = try? JSONDecoder().decode(Answer.self, from: data) else {
            throw EmbeddingError.remote("\(endpoint) answered something that is not an embeddings response")
        }
        guard answer.data.count == count, Set(answer.data.map(\.index)) == Set(0..<count) else {
            throw EmbeddingError.remote("\(endpoint) answered \(answer.data.count) vectors for \(count) texts")
        }
        var vectors = [[Float]](repeating: [], count: count)
        for item in answer.data {
            guard item.embedding.count == dimension else {
                throw EmbeddingError.remote(
                    "\(endpoint) answered a vector of \(item.embedding.count) values; \(model) is configured with \(dimension)"
                )
            }
            guard item.embedding.allSatisfy(\.isFinite) else {
                throw EmbeddingError.remote("\(endpoint) answered a vector with values that are not finite numbers")
            }
            let norm = item.embedding.reduce(0) { $0 + $1 * $1 }.squareRoot()
            vectors[item.index] = norm > 0 ? item.embedding.map { $0 / norm } : item.embedding
        }
        return vectors
    }

    /// The error's type and, for AsyncHTTPClient's errors, their short description.
    private static func shortDescription(of error: any Error) -> String {
        if let error = error as? HTTPClientError { return error.shortDescription }
        return String(describing: type(of: error))
    }
}
