public import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
public import QuarryCore

/// A ``QuarryCore/Generator`` that has a language model write the answer, through any
/// OpenAI-compatible `/v1/chat/completions` endpoint (OpenAI, vLLM, llama.cpp's server, Ollama,
/// LiteLLM or a Bedrock gateway).
///
/// The model sees an ``AnswerPrompt``: the passages retrieved for the asker (and nothing else),
/// numbered, with instructions that follow the policy's ``QuarryCore/AnswerScope``. Its reply
/// streams (`"stream": true`; a server that answers with one JSON object is read as well) through
/// an ``AnswerDraft``, which renumbers its citation markers and decides what the answer rests on.
/// Under the documents scope a question with no passages never reaches the model: the reply is
/// ``QuarryCore/Answer/notFound``, as from the extractive generator.
///
/// Errors (``LanguageModelError``) name the endpoint and the status, never the key, the question
/// or the passages; neither do the logs.
public struct LanguageModelGenerator: Generator {
    private let configuration: LanguageModelConfiguration
    private let client: HTTPClient
    private let logger: Logger

    /// Creates a generator for the endpoint in `configuration`.
    ///
    /// - Throws: ``LanguageModelError`` for a URL that is not http(s), an empty model, or limits below 1.
    public init(configuration: LanguageModelConfiguration, client: HTTPClient = .shared, logger: Logger) throws {
        guard let url = URL(string: configuration.endpoint), ["http", "https"].contains(url.scheme ?? ""),
            url.host != nil
        else {
            throw LanguageModelError.invalidConfiguration(
                "the language model URL \(configuration.url.redactingURLSecrets) is not an http(s) URL"
            )
        }
        guard !configuration.model.isEmpty else {
            throw LanguageModelError.invalidConfiguration("the language model needs a model name")
        }
        guard (1...1_000_000).contains(configuration.maximumTokens), configuration.maximumResponseBytes > 0,
            configuration.maximumPassageCharacters > 0, configuration.maximumContextCharacters > 0,
            configuration.timeout > .zero, configuration.timeout <= .seconds(86_400)
        else {
            throw LanguageModelError.invalidConfiguration(
                "the language model's limits are out of range: tokens 1 to 1,000,000, bytes and characters at"
                    + " least 1, a timeout above 0 and at most a day"
            )
        }
        guard (0...2).contains(configuration.temperature) else {
            throw LanguageModelError.invalidConfiguration(
                "the language model's temperature must be between 0 and 2, not \(configuration.temperature)"
            )
        }
        self.configuration = configuration
        self.client = client
        self.logger = logger
    }

    public func answer(
        _ question: String,
        from passages: [RetrievedPassage],
        scope: AccessScope,
        answerScope: AnswerScope
    ) async throws -> Answer {
        for try await output in answerStream(question, from: passages, scope: scope, answerScope: answerScope) {
            if case .answer(let answer) = output { return answer }
        }
        throw LanguageModelError.failed(
            "the answer from \(configuration.endpoint.redactingURLSecrets) ended without an answer"
        )
    }

    public func answerStream(
        _ question: String,
        from passages: [RetrievedPassage],
        scope: AccessScope,
        answerScope: AnswerScope
    ) -> AsyncThrowingStream<GeneratorOutput, any Error> {
        .producing { send in try await write(question, from: passages, answerScope: answerScope, send: send) }
    }

    private func write(
        _ question: String,
        from passages: [RetrievedPassage],
        answerScope: AnswerScope,
        send: @escaping @Sendable (GeneratorOutput) -> Void
    ) async throws {
        let prompt = AnswerPrompt(
            question: question,
            passages: passages,
            answerScope: answerScope,
            maximumPassageCharacters: configuration.maximumPassageCharacters,
            maximumContextCharacters: configuration.maximumContextCharacters
        )
        guard !prompt.quoted.isEmpty || answerScope == .generalKnowledge else {
            send(.text(Answer.notFound.text))
            send(.answer(.notFound))
            return
        }
        let started = ContinuousClock.now
        var draft = AnswerDraft(prompt: prompt, answerScope: answerScope)
        let pieces = try await complete(prompt)
        for try await piece in pieces {
            let shown = draft.append(piece)
            if !shown.isEmpty { send(.text(shown)) }
        }
        let (tail, answer) = draft.finish()
        if !tail.isEmpty { send(.text(tail)) }
        logger.info(
            "language model answered",
            metadata: [
                "llm.model": "\(configuration.model)", "llm.passages": "\(prompt.quoted.count)",
                "llm.basis": "\(answer.basis.rawValue)", "llm.citations": "\(answer.citations.count)",
                "llm.duration_ms": "\((ContinuousClock.now - started).milliseconds)",
            ]
        )
        send(.answer(answer))
    }

    private struct Body: Encodable {
        var model: String
        var messages: [AnswerPrompt.Message]
        var stream = true
        var max_tokens: Int
        var temperature: Double
    }

    private struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable { var content: String? }
            var delta: Delta?
            var message: Delta?
            var finish_reason: String?
        }
        var choices: [Choice]?
        var error: Problem.Detail?
    }

    private struct Problem: Decodable {
        /// An error's `type` and `code`; the code is a string (OpenAI) or a number (vLLM, llama.cpp).
        /// Its `message` is never read: servers put the prompt or the key in it.
        struct Detail: Decodable {
            var type: String?
            var code: String?

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                type = try? container.decodeIfPresent(String.self, forKey: .type)
                code =
                    (try? container.decodeIfPresent(String.self, forKey: .code))
                    ?? (try? container.decodeIfPresent(Int.self, forKey: .code)).flatMap { $0.map(String.init) }
            }

            private enum CodingKeys: String, CodingKey { case type, code }
        }
        var error: Detail?
    }

    /// The model's reply to `prompt`, piece by piece, within the deadline and the size limit.
    private func complete(_ prompt: AnswerPrompt) async throws -> AsyncThrowingStream<String, any Error> {
        // The URL as messages and logs may show it.
        let endpoint = configuration.endpoint.redactingURLSecrets
        var request = HTTPClientRequest(url: configuration.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "text/event-stream, application/json")
        if let key = configuration.apiKey, !key.isEmpty {
            request.headers.add(name: "Authorization", value: "Bearer \(key)")
        }
        let body = Body(
            model: configuration.model,
            messages: prompt.messages,
            max_tokens: configuration.maximumTokens,
            temperature: configuration.temperature
        )
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        logger.debug(
            "language model request",
            metadata: ["llm.endpoint": "\(endpoint)", "llm.model": "\(configuration.model)"]
        )
        let (stream, continuation) = AsyncThrowingStream<String, any Error>.makeStream()
        let timeout = configuration.timeout
        let limit = configuration.maximumResponseBytes
        let task = Task { [client, request] in
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        let response = try await client.execute(
                            request,
                            timeout: .seconds(Int64(timeout.components.seconds) + 1)
                        )
                        try await Self.read(response, endpoint: endpoint, limit: limit) { continuation.yield($0) }
                    }
                    group.addTask {
                        try await Task.sleep(for: timeout)
                        throw LanguageModelError.failed("\(endpoint) did not finish its answer within \(timeout)")
                    }
                    defer { group.cancelAll() }
                    try await group.next()
                }
                continuation.finish()
            } catch let error as LanguageModelError {
                continuation.finish(throwing: error)
            } catch is CancellationError {
                continuation.finish(throwing: CancellationError())
            } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
                continuation.finish(throwing: LanguageModelError.failed("\(endpoint) did not answer within \(timeout)"))
            } catch {
                continuation.finish(
                    throwing: LanguageModelError.failed("cannot reach \(endpoint): \(Self.shortDescription(of: error))")
                )
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Reads a completion response: checks its status, then yields the text of its events (or of
    /// its one JSON object).
    private static func read(
        _ response: HTTPClientResponse,
        endpoint: String,
        limit: Int,
        yield: (String) -> Void
    ) async throws {
        guard response.status == .ok else {
            let data = try? await response.body.collect(upTo: 64 << 10)
            let problem = data.flatMap { try? JSONDecoder().decode(Problem.self, from: Data($0.readableBytesView)) }?
                .error
            let detail = [problem?.type, problem?.code].compactMap { $0 }.joined(separator: ", ")
            throw LanguageModelError.failed(
                "\(endpoint) answered \(response.status.code) \(response.status.reasonPhrase)"
                    + (detail.isEmpty ? "" : " (\(detail))")
            )
        }
        let isEventStream =
            response.headers.first(name: "Content-Type")?.lowercased().contains("text/event-stream") ?? false
        var parser = ServerSentEventParser()
        var received = 0
        var json: [UInt8] = []
        var finished = false
        reading: for try await buffer in response.body {
            received += buffer.readableBytes
            guard received <= limit else {
                throw LanguageModelError.failed("\(endpoint) answered more than the \(limit) bytes allowed")
            }
            guard isEventStream else {
                json += buffer.readableBytesView
                continue
            }
            for event in parser.feed(buffer.readableBytesView) {
                // Some proxies keep the response open after the last event: stop reading at it.
                if event.trimmingASCIIWhitespace() == "[DONE]" {
                    finished = true
                    break reading
                }
                finished = try yieldText(of: event, endpoint: endpoint, yield: yield) || finished
            }
        }
        if isEventStream {
            if !finished, let event = parser.finish() {
                finished =
                    try event.trimmingASCIIWhitespace() == "[DONE]"
                    || yieldText(of: event, endpoint: endpoint, yield: yield)
            }
            // llama.cpp's Python server, failing after it began (a prompt longer than its context),
            // ends a 200 event stream with nothing: an error, not an empty answer.
            guard finished else {
                throw LanguageModelError.failed(
                    "\(endpoint) ended its answer without finishing it (no finish_reason, no [DONE]); see its log"
                )
            }
        } else {
            try yieldText(of: String(decoding: json, as: UTF8.self), endpoint: endpoint, yield: yield)
        }
    }

    /// Yields the text of one chunk (or of a whole completion); returns whether it says the answer is finished.
    @discardableResult
    private static func yieldText(of event: String, endpoint: String, yield: (String) -> Void) throws -> Bool {
        guard let chunk = try? JSONDecoder().decode(Chunk.self, from: Data(event.utf8)) else {
            throw LanguageModelError.failed("\(endpoint) answered something that is not a chat completion")
        }
        if let error = chunk.error {
            let detail = [error.type, error.code].compactMap { $0 }.joined(separator: ", ")
            throw LanguageModelError.failed(
                "\(endpoint) reported an error part-way\(detail.isEmpty ? "" : " (\(detail))")"
            )
        }
        guard let choices = chunk.choices else {
            throw LanguageModelError.failed("\(endpoint) answered something that is not a chat completion")
        }
        if let text = choices.first.flatMap({ $0.delta?.content ?? $0.message?.content }), !text.isEmpty {
            yield(text)
        }
        return choices.first?.finish_reason != nil
    }

    /// The error's type and, for AsyncHTTPClient's errors, their short description.
    private static func shortDescription(of error: any Error) -> String {
        if let error = error as? HTTPClientError { return error.shortDescription }
        return String(describing: type(of: error))
    }
}

extension Duration {
    fileprivate var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
