import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import QuarryCore
import QuarryGuardrails
import QuarryServer
import QuarryTesting
import Testing

/// A parsed HTTP response: status, content type, raw body text and the body as JSON.
struct APIResponse: Sendable {
    let status: Int
    let contentType: String?
    let text: String

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    var citations: [[String: Any]] { json["citations"] as? [[String: Any]] ?? [] }
}

/// Sends requests to Quarry's router as a given user.
struct APIClient: Sendable {
    let client: any TestClientProtocol
    let installation: DemoInstallation

    func send(
        _ method: HTTPRequest.Method,
        _ path: String,
        as user: String? = nil,
        key: String? = nil,
        body: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> APIResponse {
        var headers = extra
        if let key = key ?? user.flatMap({ installation.keys[$0] }) {
            headers[.authorization] = "Bearer \(key)"
        }
        if body != nil { headers[.contentType] = "application/json" }
        let response = try await client.executeRequest(
            uri: path,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        )
        return APIResponse(
            status: Int(response.status.code),
            contentType: response.headers[.contentType],
            text: String(buffer: response.body)
        )
    }

    /// `POST /api/v1/chat` with a message (JSON-escaped here).
    func ask(_ message: String, as user: String, conversationID: String? = nil) async throws -> APIResponse {
        var object: [String: String] = ["message": message]
        if let conversationID { object["conversationId"] = conversationID }
        let body = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        return try await send(.post, "/api/v1/chat", as: user, body: body)
    }
}

/// Runs `body` against Quarry's router over a demo installation.
func withAPI<Value: Sendable>(
    _ installation: DemoInstallation,
    setup: TestingSetup = .router,
    maximumBodyBytes: Int = 1 << 20,
    generator: (any Generator)? = nil,
    moderation: (any ContentClassifier)? = nil,
    _ body: @Sendable (APIClient) async throws -> Value
) async throws -> Value {
    let app = buildApplication(
        store: installation.store,
        configuration: ServerConfiguration(host: "127.0.0.1", port: 0, maximumBodyBytes: maximumBodyBytes),
        logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
        generator: generator,
        moderation: moderation
    )
    return try await app.test(setup) { client in
        try await body(APIClient(client: client, installation: installation))
    }
}
