import Foundation
import Logging
import QuarryCore
import QuarryEmbed
import QuarryTesting
import Testing

/// The OpenAI-compatible client against a real HTTP server on the loopback interface.
struct RemoteEmbedderTests {
    static func configuration(_ server: ScriptedHTTPServer, dimension: Int = 3) -> RemoteEmbedderConfiguration {
        RemoteEmbedderConfiguration(
            url: server.endpoint + "/v1",
            model: "text-embedding-3-small",
            dimension: dimension,
            apiKey: "sk-test-secret",
            batchSize: 2,
            timeout: .seconds(5),
            maximumResponseBytes: 4096
        )
    }

    /// An embeddings answer with the given vectors, listed in reverse order (servers may).
    static func answer(_ vectors: [[Float]]) -> ScriptedHTTPServer.Response {
        let items = vectors.enumerated().reversed().map { index, vector in
            #"{"object":"embedding","index":\#(index),"embedding":[\#(vector.map { "\($0)" }.joined(separator: ","))]}"#
        }
        return .init(
            status: 200,
            headers: [("Content-Type", "application/json")],
            body: #"{"object":"list","model":"m","data":[\#(items.joined(separator: ","))]}"#
        )
    }

    @Test func sendsTheModelTheTextsAndTheKeyAndPutsVectorsBackInOrder() async throws {
        let server = try ScriptedHTTPServer(responses: [
            Self.answer([[3, 0, 4], [0, 2, 0]]), Self.answer([[1, 1, 1]]),
        ])
        let embedder = try RemoteEmbedder(configuration: Self.configuration(server), logger: Logger(label: "test"))
        #expect(embedder.model == "text-embedding-3-small")
        #expect(embedder.dimension == 3)
        let vectors = try await embedder.embed(["first", "second", "third"])
        #expect(vectors[0] == [0.6, 0, 0.8])
        #expect(vectors[1] == [0, 1, 0])
        #expect(abs(vectors[2][0] - 1 / Float(3).squareRoot()) < 1e-6)

        let requests = server.requests
        #expect(requests.count == 2, "batches of two")
        #expect(requests[0].line == "POST /v1/embeddings HTTP/1.1")
        #expect(requests[0].headers["authorization"] == "Bearer sk-test-secret")
        let body = try #require(try JSONSerialization.jsonObject(with: requests[0].body) as? [String: Any])
        #expect(body["model"] as? String == "text-embedding-3-small")
        #expect(body["input"] as? [String] == ["first", "second"])
        #expect(body["encoding_format"] as? String == "float")
    }

    @Test func anErrorStatusNamesTheEndpointButNotTheKeyOrTheTexts() async throws {
        let server = try ScriptedHTTPServer(responses: [
            .init(
                status: 401,
                body:
                    #"{"error":{"message":"Incorrect API key sk-test-secret for secret text","type":"invalid_request_error","code":"invalid_api_key"}}"#
            )
        ])
        let embedder = try RemoteEmbedder(configuration: Self.configuration(server), logger: Logger(label: "test"))
        let error = try await #require(throws: EmbeddingError.self) { try await embedder.embed(["secret text"]) }
        #expect(error.isRemote)
        #expect(error.message.contains("\(server.endpoint)/v1/embeddings answered 401"))
        #expect(error.message.contains("invalid_api_key"))
        #expect(!error.message.contains("sk-test-secret"))
        #expect(!error.message.contains("secret text"))
        #expect(!"\(Self.configuration(server))".contains("sk-test-secret"))
    }

    @Test func answersOfTheWrongShapeAreRefused() async throws {
        let cases: [(ScriptedHTTPServer.Response, String)] = [
            (Self.answer([[1, 2]]), "a vector of 2 values"),
            (Self.answer([[1, 2, 3], [1, 2, 3]]), "answered 2 vectors for 1 texts"),
            (.init(status: 200, body: "<html>gateway</html>"), "not an embeddings response"),
            (.init(status: 200, body: String(repeating: "x", count: 10_000)), "more than the 4096 bytes allowed"),
        ]
        for (response, problem) in cases {
            let server = try ScriptedHTTPServer(responses: [response])
            let embedder = try RemoteEmbedder(configuration: Self.configuration(server), logger: Logger(label: "test"))
            let error = try await #require(throws: EmbeddingError.self) { try await embedder.embed(["text"]) }
            #expect(error.message.contains(problem), "\(error.message)")
        }
    }

    @Test func aServerThatDoesNotAnswerInTimeFailsWithTheDeadline() async throws {
        let server = try ScriptedHTTPServer(
            responses: [Self.answer([[1, 0, 0]])].map {
                var slow = $0
                slow.delay = .seconds(3)
                return slow
            }
        )
        var configuration = Self.configuration(server)
        configuration.timeout = .milliseconds(300)
        let embedder = try RemoteEmbedder(configuration: configuration, logger: Logger(label: "test"))
        let error = try await #require(throws: EmbeddingError.self) { try await embedder.embed(["text"]) }
        #expect(error.message.contains("did not answer within"))
    }

    @Test func aClosedPortFailsWithinTheDeadlineNamingTheEndpoint() async throws {
        let server = try ScriptedHTTPServer(responses: [.init(status: 200)])
        server.stop()
        var configuration = Self.configuration(server)
        configuration.timeout = .milliseconds(500)  // AsyncHTTPClient retries refused connections until then
        let embedder = try RemoteEmbedder(configuration: configuration, logger: Logger(label: "test"))
        let error = try await #require(throws: EmbeddingError.self) { try await embedder.embed(["text"]) }
        #expect(error.isRemote)
        #expect(error.message.contains("\(server.endpoint)/v1/embeddings"))
    }

    @Test func aURLThatIsNotHTTPIsRefusedAtStart() throws {
        let configuration = RemoteEmbedderConfiguration(url: "ftp://example.invalid", model: "m", dimension: 3)
        #expect(throws: EmbeddingError.self) {
            try RemoteEmbedder(configuration: configuration, logger: Logger(label: "t"))
        }
        #expect(
            RemoteEmbedderConfiguration(url: "http://h/v1/embeddings/", model: "m", dimension: 3).endpoint
                == "http://h/v1/embeddings"
        )
    }

    @Test func theEnvironmentNamesTheEndpointOrNothing() throws {
        #expect(try RemoteEmbedderConfiguration.fromEnvironment([:]) == nil)
        let configured = try #require(
            try RemoteEmbedderConfiguration.fromEnvironment([
                "QUARRY_EMBEDDING_REMOTE_URL": "http://127.0.0.1:9/v1", "QUARRY_EMBEDDING_REMOTE_MODEL": "bge",
                "QUARRY_EMBEDDING_REMOTE_DIMENSION": "768", "QUARRY_EMBEDDING_REMOTE_API_KEY": "sk-x",
            ])
        )
        #expect(configured.endpoint == "http://127.0.0.1:9/v1/embeddings")
        #expect(configured.dimension == 768)
        #expect(configured.apiKey == "sk-x")
        #expect(throws: EmbeddingError.self) {
            try RemoteEmbedderConfiguration.fromEnvironment(["QUARRY_EMBEDDING_REMOTE_URL": "http://h/v1"])
        }
    }
}
