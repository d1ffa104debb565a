import Foundation
import HTTPTypes
import Logging
import QuarryAnswer
import QuarryTesting
import Testing

/// The server's content filters with a moderation endpoint (`QUARRY_MODERATION_URL`): a real HTTP
/// server on the loopback interface answering as OpenAI's `/v1/moderations` does.
struct ModerationChatTests {
    @Test func theServersContentFiltersAskTheModerationEndpoint() async throws {
        let installation = try await DemoInstallation.make()
        let flagged =
            #"{"id":"modr-1","model":"m","results":[{"flagged":true,"categories":{"harassment":true},"category_scores":{"harassment":0.95,"hate":0.01}}]}"#
        let moderation = try ScriptedHTTPServer(responses: [.init(status: 200, body: flagged)])
        let classifier = try ModerationClassifier(
            configuration: ModerationConfiguration(url: moderation.endpoint + "/v1"),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await withAPI(installation, moderation: classifier) { api in
            _ = try await api.send(.put, "/api/v1/admin/guardrails", as: "admin", body: "content:\n  insults: medium\n")
            let reply = try await api.ask("How do I book travel?", as: "alice")
            #expect(reply.json["answer"] as? String == "Sorry, I can't help with that request.")
            let guardrail = try #require(reply.json["guardrail"] as? [String: Any])
            #expect(guardrail["rule"] as? String == "content" && guardrail["type"] as? String == "insults")
            let sent = try #require(moderation.requests.first)
            #expect(sent.line == "POST /v1/moderations HTTP/1.1")
            #expect(
                (try JSONSerialization.jsonObject(with: sent.body) as? [String: Any])?["input"] as? String
                    == "How do I book travel?"
            )
            // The admin's test endpoint shows the same decision.
            let test = try await api.send(
                .post,
                "/api/v1/admin/guardrails/test",
                as: "admin",
                body: #"{"message": "Lovely weather."}"#
            )
            #expect(test.text.contains("insults"), "\(test.text)")
        }
    }
}
