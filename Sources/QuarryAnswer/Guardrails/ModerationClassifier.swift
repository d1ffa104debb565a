public import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
import QuarryCore
public import QuarryGuardrails

/// A ``QuarryGuardrails/ContentClassifier`` that asks an OpenAI-compatible `/v1/moderations`
/// endpoint (OpenAI's moderation models, or a gateway in front of another) to score the content
/// filters' categories.
///
/// One request per text: `{"model": …, "input": text}`; the answer's `results[0].category_scores`
/// become the policy's categories by ``categoryMap`` (the highest of the model's categories that
/// map to one). `prompt_attack` has no counterpart, so the built-in scorer keeps it. When the
/// endpoint fails (status, timeout, a body that is not a moderation result, more than
/// ``ModerationConfiguration/maximumResponseBytes``), the failure is logged without the text or
/// the key and nothing is returned, so the built-in scorer decides every category: the filters
/// never switch off because a service is down.
public struct ModerationClassifier: ContentClassifier {
    /// The model's categories behind each of the policy's.
    public static let categoryMap: [ContentCategory: [String]] = [
        .hate: ["hate", "hate/threatening"],
        .insults: ["harassment", "harassment/threatening"],
        .sexual: ["sexual", "sexual/minors"],
        .violence: ["violence", "violence/graphic", "self-harm", "self-harm/intent", "self-harm/instructions"],
        .misconduct: ["illicit", "illicit/violent"],
    ]

    public var name: String { "moderation:\(configuration.model)" }
    private let configuration: ModerationConfiguration
    private let client: HTTPClient
    private let logger: Logger

    /// Creates a classifier for the endpoint in `configuration`.
    ///
    /// - Throws: ``LanguageModelError`` for a URL that is not http(s), an empty model, or limits below 1.
    public init(configuration: ModerationConfiguration, client: HTTPClient = .shared, logger: Logger) throws {
        guard let url = URL(string: configuration.endpoint), ["http", "https"].contains(url.scheme ?? ""),
            url.host != nil
        else {
            throw LanguageModelError.invalidConfiguration(
                "the moderation URL \(configuration.url.redactingURLSecrets) is not an http(s) URL"
            )
        }
        guard !configuration.model.isEmpty, configuration.timeout > .zero, configuration.timeout <= .seconds(86_400),
            configuration.maximumResponseBytes > 0
        else {
            throw LanguageModelError.invalidConfiguration(
                "the moderation endpoint needs a model name, and a timeout and response limit above 0"
            )
        }
        self.configuration = configuration
        self.client = client
        self.logger = logger
    }

    public func scores(_ text: String, categories: Set<ContentCategory>) async -> [ContentCategory: Double] {
        let wanted = categories.filter { Self.categoryMap[$0] != nil }
        guard !wanted.isEmpty, !text.isEmpty else { return [:] }
        do {
            let modelScores = try await request(text)
            var result: [ContentCategory: Double] = [:]
            for category in wanted {
                let values = Self.categoryMap[category]!.compactMap { modelScores[$0] }.filter(\.isFinite)
                if let best = values.max() { result[category] = min(1, max(0, best)) }
            }
            return result
        } catch is CancellationError {
            return [:]
        } catch {
            logger.error(
                "the moderation endpoint failed; the built-in content scorer decides",
                metadata: ["moderation.error": "\(error)"]
            )
            return [:]
        }
    }

    private struct Body: Encodable {
        var model: String
        var input: String
    }

    private struct Result: Decodable {
        struct Item: Decodable { var category_scores: [String: Double] }
        var results: [Item]
    }

    /// The model's category scores for `text`.
    private func request(_ text: String) async throws -> [String: Double] {
        let endpoint = configuration.endpoint.redactingURLSecrets
        var request = HTTPClientRequest(url: configuration.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let key = configuration.apiKey, !key.isEmpty {
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
        }
        request.body = .bytes(
            ByteBuffer(bytes: try JSONEncoder().encode(Body(model: configuration.model, input: text)))
        )
        let timeout = configuration.timeout
        let limit = configuration.maximumResponseBytes
        let (status, data): (HTTPResponseStatus, Data)
        do {
            (status, data) = try await withThrowingTaskGroup(of: (HTTPResponseStatus, Data).self) { group in
                group.addTask { [client, request] in
                    let response = try await client.execute(
                        request,
                        timeout: .seconds(Int64(timeout.components.seconds) + 1)
                    )
                    let body = try await response.body.collect(upTo: limit)
                    return (response.status, Data(body.readableBytesView))
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw LanguageModelError.failed("\(endpoint) did not answer within \(timeout)")
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch let error as LanguageModelError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch is NIOTooManyBytesError {
            throw LanguageModelError.failed("\(endpoint) answered more than the \(limit) bytes allowed")
        } catch {
            throw LanguageModelError.failed("cannot reach \(endpoint): \(type(of: error))")
        }
        guard status == .ok else {
            throw LanguageModelError.failed("\(endpoint) answered \(status.code) \(status.reasonPhrase)")
        }
        guard let result = try? JSONDecoder().decode(Result.self, from: data), let first = result.results.first else {
            throw LanguageModelError.failed("\(endpoint) answered something that is not a moderation result")
        }
        return first.category_scores
    }
}
