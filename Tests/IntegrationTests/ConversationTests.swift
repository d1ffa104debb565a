import Foundation
import HTTPTypes
import HummingbirdTesting
import QuarryTesting
import Testing

struct ConversationTests {
    @Test func conversationsBelongToTheirOwnerAndKeepTheirMessages() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation) { api in
            let first = try await api.ask("How many days of annual leave do I get?", as: "carol")
            let id = try #require(first.json["conversationId"] as? String)
            let firstMessageID = try #require(first.json["messageId"] as? String)
            let second = try await api.ask("When must receipts be submitted?", as: "carol", conversationID: id)
            #expect(second.json["conversationId"] as? String == id)
            _ = try await api.ask("What is the hotel cap in London?", as: "carol")

            let list = try await api.send(.get, "/api/v1/conversations", as: "carol")
            let conversations = try #require(list.json["conversations"] as? [[String: Any]])
            #expect(conversations.count == 2)
            #expect(conversations.first?["title"] as? String == "What is the hotel cap in London?")

            let transcript = try await api.send(.get, "/api/v1/conversations/\(id)", as: "carol")
            #expect(transcript.status == 200)
            let messages = try #require(transcript.json["messages"] as? [[String: Any]])
            #expect(messages.map { $0["role"] as? String } == ["user", "assistant", "user", "assistant"])
            #expect(messages[0]["content"] as? String == "How many days of annual leave do I get?")
            #expect(messages[1]["id"] as? String == firstMessageID)
            #expect(messages[1]["content"] as? String == first.json["answer"] as? String)
            #expect((messages[1]["citations"] as? [[String: Any]])?.count == first.citations.count)

            // Someone else's conversation does not exist for bob: not in his list, 404 to read, continue or delete.
            let bobsList = try await api.send(.get, "/api/v1/conversations", as: "bob")
            #expect((bobsList.json["conversations"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await api.send(.get, "/api/v1/conversations/\(id)", as: "bob").status == 404)
            #expect(try await api.ask("Tell me more", as: "bob", conversationID: id).status == 404)
            #expect(try await api.send(.delete, "/api/v1/conversations/\(id)", as: "bob").status == 404)

            #expect(try await api.send(.delete, "/api/v1/conversations/\(id)", as: "carol").status == 204)
            #expect(try await api.send(.get, "/api/v1/conversations/\(id)", as: "carol").status == 404)
        }
    }

    @Test func conversationListsPage() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation) { api in
            for index in 0..<5 {
                _ = try await api.ask("Question number \(index) about leave", as: "alice")
            }
            let page = try await api.send(.get, "/api/v1/conversations?limit=2", as: "alice")
            let first = try #require(page.json["conversations"] as? [[String: Any]])
            #expect(first.count == 2)
            let cursor = try #require(page.json["nextCursor"] as? String)
            let next = try await api.send(.get, "/api/v1/conversations?limit=10&cursor=\(cursor)", as: "alice")
            let rest = try #require(next.json["conversations"] as? [[String: Any]])
            #expect(rest.count == 3)
            #expect(next.json["nextCursor"] == nil)
            let titles = (first + rest).compactMap { $0["title"] as? String }
            #expect(Set(titles) == Set((0..<5).map { "Question number \($0) about leave" }))
            #expect(titles.count == 5, "no conversation is repeated or skipped across pages")
            #expect(try await api.send(.get, "/api/v1/conversations?limit=0", as: "alice").status == 400)
            #expect(try await api.send(.get, "/api/v1/conversations?cursor=yesterday", as: "alice").status == 400)
        }
    }

    @Test func aLiveServerAnswersOverHTTP() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation, setup: .live) { api in
            let health = try await api.send(.get, "/healthz")
            #expect(health.status == 200)
            #expect(health.json["status"] as? String == "ok")
            let answer = try await api.ask("How many days of annual leave do I get?", as: "carol")
            #expect(answer.status == 200)
            #expect(answer.json["answered"] as? Bool == true)
            #expect((answer.json["answer"] as? String)?.contains("[1]") == true)
        }
    }
}
