import Foundation
import GRDB
import HTTPTypes
import QuarryTesting
import Testing

@testable import QuarryStore

/// Each error the API can return, with its status and an `application/problem+json` body that says what was wrong.
struct ErrorTests {
    private func expectProblem(
        _ response: APIResponse,
        status: Int,
        code: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.contentType == "application/problem+json", sourceLocation: sourceLocation)
        #expect(response.json["status"] as? Int == status, sourceLocation: sourceLocation)
        #expect(response.json["code"] as? String == code, sourceLocation: sourceLocation)
        #expect((response.json["title"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect((response.json["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    }

    @Test func malformedBodiesAre400WithTheReason() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation) { api in
            let notJSON = try await api.send(.post, "/api/v1/chat", as: "carol", body: "{\"message\": ")
            expectProblem(notJSON, status: 400, code: "invalid_json")
            #expect(notJSON.json["detail"] as? String == "The request body is not valid JSON.")

            let missing = try await api.send(.post, "/api/v1/chat", as: "carol", body: "{\"text\": \"hi\"}")
            expectProblem(missing, status: 400, code: "invalid_json")
            #expect(missing.json["detail"] as? String == "The field \"message\" is required.")

            let wrongType = try await api.send(.post, "/api/v1/chat", as: "carol", body: "{\"message\": 42}")
            expectProblem(wrongType, status: 400, code: "invalid_json")
            #expect(wrongType.json["detail"] as? String == "The field \"message\" must be a string.")

            let array = try await api.send(.post, "/api/v1/chat", as: "carol", body: "[1, 2]")
            expectProblem(array, status: 400, code: "invalid_json")

            let noBody = try await api.send(.post, "/api/v1/chat", as: "carol")
            expectProblem(noBody, status: 400, code: "empty_body")
        }
    }

    @Test func anEmptyOrOverlongMessageIs400() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation) { api in
            expectProblem(try await api.ask("", as: "carol"), status: 400, code: "empty_message")
            expectProblem(try await api.ask("  \n\t ", as: "carol"), status: 400, code: "empty_message")
            expectProblem(
                try await api.ask(String(repeating: "leave ", count: 1000), as: "carol"),
                status: 400,
                code: "message_too_long"
            )
        }
    }

    @Test func missingBadAndRevokedKeysAre401() async throws {
        let installation = try await DemoInstallation.make()
        let revoked = try await installation.store.createAPIKey(userName: "carol", label: "old")
        try await installation.store.revokeAPIKey(id: revoked.key.id)
        try await withAPI(installation) { api in
            let body = "{\"message\": \"How many days of leave?\"}"
            for response in [
                try await api.send(.post, "/api/v1/chat", body: body),
                try await api.send(.post, "/api/v1/chat", key: "qk_not-a-real-key", body: body),
                try await api.send(.post, "/api/v1/chat", key: revoked.secret, body: body),
                try await api.send(.get, "/api/v1/conversations", headers: [.authorization: "Basic Y2Fyb2w6cGFzcw=="]),
                try await api.send(.get, "/api/v1/me", headers: [.authorization: "Bearer"]),
            ] {
                expectProblem(response, status: 401, code: "unauthorized")
            }
            let me = try await api.send(.get, "/api/v1/me", as: "carol")
            #expect(me.status == 200)
            #expect(me.json["name"] as? String == "carol")
        }
    }

    @Test func unknownRoutesAndConversationsAre404() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation) { api in
            expectProblem(try await api.send(.get, "/api/v1/nothing-here", as: "carol"), status: 404, code: "not_found")
            expectProblem(try await api.send(.get, "/nothing", as: "carol"), status: 404, code: "not_found")
            expectProblem(
                try await api.send(.get, "/api/v1/conversations/not-a-uuid", as: "carol"),
                status: 404,
                code: "not_found"
            )
            expectProblem(
                try await api.send(.get, "/api/v1/conversations/\(UUID().uuidString)", as: "carol"),
                status: 404,
                code: "not_found"
            )
            expectProblem(
                try await api.ask("More?", as: "carol", conversationID: UUID().uuidString),
                status: 404,
                code: "not_found"
            )
        }
    }

    @Test func bodiesOverTheLimitAre413() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation, maximumBodyBytes: 4096) { api in
            let big = "{\"message\": \"" + String(repeating: "x", count: 10_000) + "\"}"
            expectProblem(
                try await api.send(.post, "/api/v1/chat", as: "carol", body: big),
                status: 413,
                code: "payload_too_large"
            )
            // The server keeps serving.
            #expect(try await api.ask("How many days of annual leave?", as: "carol").status == 200)
        }
    }

    @Test func aFailureInsideIs500WithoutInternals() async throws {
        let installation = try await DemoInstallation.make()
        // A real fault: the table that stores messages disappears under the running server.
        try await installation.store.database.write { db in try db.execute(sql: "DROP TABLE message") }
        try await withAPI(installation) { api in
            let response = try await api.ask("How many days of annual leave do I get?", as: "carol")
            expectProblem(response, status: 500, code: "internal_error")
            for secret in ["SQLite", "message", "no such table", "INSERT", "Leave", "annual"] {
                #expect(!response.text.contains(secret), "the 500 body shows \(secret)")
            }
            #expect(
                (response.json["detail"] as? String)?.hasPrefix("Something went wrong on our side. Reference: ") == true
            )
            // Other routes still work.
            #expect(try await api.send(.get, "/healthz").status == 200)
        }
    }
}
