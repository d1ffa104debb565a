import Foundation
import HTTPTypes
import QuarryStore
import QuarryTesting
import Testing

/// `POST /api/v1/chat/stream`: the answer as server-sent events, guarded piece by piece, within the
/// asker's permissions like every other path.
struct StreamingChatTests {
    static let question = "Who do I email with questions about my own pay or benefits?"
    static let address = "people@northwind-robotics.example"

    @Test func aMaskedAddressNeverLeavesInPart() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation) { api in
            // The default policy logs e-mail addresses: the answer shows it (the generator's pieces cut
            // through it, ExtractiveGeneratorTests; the redactor releases it whole once it is complete).
            let open = try await api.stream(Self.question, as: "alice")
            #expect(open.status == 200)
            #expect(open.contentType?.hasPrefix("text/event-stream") == true)
            #expect(open.events.first?.name == "conversation")
            #expect(open.events.last?.name == "reply")
            #expect(open.deltas.count > 1)
            #expect(open.joined.contains(Self.address))
            #expect(open.joined == open.reply["answer"] as? String)
            #expect(!(open.reply["citations"] as? [[String: Any]] ?? []).isEmpty)

            // A policy that masks them: no piece carries any part of the address.
            _ = try await api.send(.put, "/api/v1/admin/guardrails", as: "admin", body: GuardrailAPITests.topicPolicy)
            let masked = try await api.stream(Self.question, as: "alice")
            #expect(masked.joined.contains("[EMAIL_ADDRESS]"), "\(masked.joined)")
            for fragment in ["@", "northwind-rob", "robotics.example", "people@"] {
                #expect(!masked.text.contains(fragment), "\(fragment) leaked in \(masked.deltas)")
            }
            #expect(masked.joined == masked.reply["answer"] as? String)
            let guardrail = try #require(masked.reply["guardrail"] as? [String: Any])
            #expect(guardrail["stage"] as? String == "output" && guardrail["action"] as? String == "mask")
            let decisions = try await installation.store.guardrailDecisions()
            #expect(decisions.contains { $0.stage == "output" && $0.verdict == "modified" })
            #expect(decisions.allSatisfy { !$0.findings.contains("@") && !$0.findings.contains("northwind") })

            // The stored conversation holds what was shown.
            let id = try #require(masked.reply["conversationId"] as? String)
            let history = try await api.send(.get, "/api/v1/conversations/\(id)", as: "alice")
            #expect(history.text.contains("[EMAIL_ADDRESS]") && !history.text.contains("northwind-robotics"))
        }
    }

    @Test func aBlockingRuleStopsThePiecesAndTheReplyCarriesTheMessage() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation) { api in
            let strict = "pii:\n  entities:\n    EMAIL_ADDRESS: {input: log, output: block}\n"
            _ = try await api.send(.put, "/api/v1/admin/guardrails", as: "admin", body: strict)
            let blocked = try await api.stream(Self.question, as: "alice")
            #expect(!blocked.text.contains("@") && !blocked.text.contains("northwind-robotics"))
            #expect(
                blocked.reply["answer"] as? String
                    == "Sorry, the answer was withheld by your organisation's guardrails."
            )
            #expect((blocked.reply["citations"] as? [Any])?.isEmpty == true)
            let guardrail = try #require(blocked.reply["guardrail"] as? [String: Any])
            #expect(guardrail["rule"] as? String == "pii" && guardrail["type"] as? String == "EMAIL_ADDRESS")

            // A blocked question: the admin's message, nothing retrieved.
            _ = try await api.send(.put, "/api/v1/admin/guardrails", as: "admin", body: GuardrailAPITests.topicPolicy)
            let topic = try await api.stream("How do I NEGOTIATE a raise with my manager?", as: "bob")
            #expect(topic.joined == "Please talk to your manager or the People team about pay.")
            #expect(topic.reply["answer"] as? String == topic.joined)
            #expect((topic.reply["guardrail"] as? [String: Any])?["stage"] as? String == "input")
        }
    }

    @Test func streamsStayWithinTheAskersPermissions() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation) { api in
            let question = "What is the L4 salary band for engineers?"
            let bob = try await api.stream(question, as: "bob")
            #expect(bob.reply["answered"] as? Bool == true)
            let cited = (bob.reply["citations"] as? [[String: Any]] ?? []).compactMap { $0["uri"] as? String }
            #expect(cited.contains { $0.hasSuffix("salary-bands.md") })
            let carol = try await api.stream(question, as: "carol")
            #expect(carol.reply["answered"] as? Bool == false)
            #expect((carol.reply["citations"] as? [Any])?.isEmpty == true)
            for line in bob.joined.split(separator: "\n") where line.contains("L4") {
                #expect(!carol.text.contains(line), "carol was shown \(line)")
            }
        }
    }

    @Test func badRequestsAreProblemsNotStreams() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation) { api in
            let empty = try await api.stream("   ", as: "alice")
            #expect(empty.status == 400)
            #expect(empty.contentType?.hasPrefix("application/problem+json") == true)
            let first = try await api.stream("How do I book travel?", as: "alice")
            let id = try #require(first.reply["conversationId"] as? String)
            let foreign = try await api.stream("And hotels?", as: "bob", conversationID: id)
            #expect(foreign.status == 404)
            let anonymous = try await api.send(.post, "/api/v1/chat/stream", body: #"{"message": "hi"}"#)
            #expect(anonymous.status == 401)
            let malformed = try await api.send(.post, "/api/v1/chat/stream", as: "alice", body: "{not json")
            #expect(malformed.status == 400)
        }
    }
}

/// A streamed reply, parsed.
struct StreamedReply {
    let status: Int
    let contentType: String?
    /// The raw body.
    let text: String
    /// `(event name, data as JSON)` in order.
    let events: [(name: String, data: [String: Any])]

    var deltas: [String] { events.filter { $0.name == "delta" }.compactMap { $0.data["text"] as? String } }
    var joined: String { deltas.joined() }
    var reply: [String: Any] { events.last { $0.name == "reply" }?.data ?? [:] }
}

extension APIClient {
    /// `POST /api/v1/chat/stream`, the events parsed.
    func stream(_ message: String, as user: String, conversationID: String? = nil) async throws -> StreamedReply {
        var object: [String: String] = ["message": message]
        if let conversationID { object["conversationId"] = conversationID }
        let body = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let response = try await send(.post, "/api/v1/chat/stream", as: user, body: body)
        var events: [(name: String, data: [String: Any])] = []
        for block in response.text.components(separatedBy: "\n\n") where !block.isEmpty {
            var name = ""
            var data = ""
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data += line.dropFirst(6) }
            }
            let json = (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:]
            events.append((name, json))
        }
        return StreamedReply(
            status: response.status,
            contentType: response.contentType,
            text: response.text,
            events: response.contentType?.hasPrefix("text/event-stream") == true ? events : []
        )
    }
}
