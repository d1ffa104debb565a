import Foundation
import QuarryStore
import QuarryTesting
import Testing

/// The `quarry` command line, run as a separate process against a data directory on disk.
struct CLITests {
    @Test func usersGroupsAndKeys() async throws {
        let directory = try TemporaryDirectory()
        let quarry = QuarryCommand(dataDirectory: directory.file("data"))

        let added = try quarry.run("users", "add", "Dana", "--group", "finance", "--group", "leadership")
        #expect(added.status == 0)
        #expect(added.output == "added user dana (groups: finance, leadership)\n")

        let duplicate = try quarry.run("users", "add", "dana")
        #expect(duplicate.status != 0)
        #expect(duplicate.errors.contains("user \"dana\" already exists"))

        let invalid = try quarry.run("users", "add", "dana smith")
        #expect(invalid.status != 0)
        #expect(invalid.errors.contains("invalid user name"))

        let created = try quarry.run("keys", "create", "dana", "--label", "laptop")
        #expect(created.status == 0)
        let key = try #require(created.lines.last)
        #expect(key.hasPrefix("qk_") && key.count == 46)

        let store = try Store(directory: directory.file("data"))
        #expect(try await store.authenticate(apiKey: key)?.name == "dana")

        let listed = try quarry.run("keys", "list")
        #expect(listed.output.contains("dana\tlaptop\t\(key.prefix(7))…"))
        #expect(!listed.output.contains(key), "the key itself is never shown again")

        let keyID = try #require(created.lines.first?.split(separator: " ").dropFirst(2).first)
        let revoked = try quarry.run("keys", "revoke", String(keyID))
        #expect(revoked.status == 0)
        #expect(try await store.authenticate(apiKey: key) == nil)
        #expect(try quarry.run("keys", "revoke", String(keyID)).status != 0)

        #expect(try quarry.run("groups", "add-member", "hr", "dana").status == 0)
        #expect(try quarry.run("groups", "list").output.contains("hr: dana"))
        #expect(try quarry.run("users", "list").output == "dana (groups: finance, hr, leadership)\n")
    }

    @Test func syncPrintsProgressAndEndsWithTheSummary() throws {
        let directory = try TemporaryDirectory()
        let corpus = try SampleCorpus.copy(into: directory)
        try directory.write("handbook/company/broken.md", "")
        let quarry = QuarryCommand(dataDirectory: directory.file("data"))

        let first = try quarry.run("sync", corpus, "--connector", "handbook")
        #expect(first.status == 0, "\(first.errors)")
        #expect(first.lines.first == "Syncing handbook (incremental) from \(corpus)")
        #expect(first.lines.contains("  added     company/paid-time-off.md"))
        #expect(first.lines.contains("  failed    company/broken.md: no text could be extracted"))
        #expect(first.lines.last == "added=24 updated=0 unchanged=0 deleted=0 failed=1")

        try directory.remove("handbook/company/broken.md")
        try directory.remove("handbook/company/office-guide.md")
        let second = try quarry.run("sync", "--connector", "handbook")
        #expect(second.lines.contains("  deleted   company/office-guide.md"))
        #expect(second.lines.last == "added=0 updated=0 unchanged=23 deleted=1 failed=0")

        let elsewhere = try quarry.run("sync", directory.path, "--connector", "handbook")
        #expect(elsewhere.status != 0)
        #expect(elsewhere.errors.contains("already reads \(corpus)"))

        let badChunks = try quarry.run("sync", corpus, "--connector", "other", "--chunk-size", "10")
        #expect(badChunks.status != 0)
        #expect(badChunks.errors.contains("chunk_size: must be between 100 and 20000, not 10"))

        let missing = try quarry.run("sync", "--connector", "nothing")
        #expect(missing.status != 0)
        #expect(missing.errors.contains("there is no connector named \"nothing\""))
    }

    @Test func askCanHaveALanguageModelWriteTheAnswer() throws {
        let directory = try TemporaryDirectory()
        var quarry = QuarryCommand(dataDirectory: directory.file("data"))
        #expect(try quarry.run("sync", SampleCorpus.handbook, "--connector", "handbook").status == 0)
        #expect(try quarry.run("users", "add", "bob", "--group", "hr").status == 0)
        let model = try ScriptedHTTPServer(responses: [
            .chatCompletionStream(["The L4 band is £62,000 – £78,000 in the UK ", "[1]."])
        ])
        quarry.environment.merge([
            "QUARRY_LLM_URL": model.endpoint + "/v1", "QUARRY_LLM_MODEL": "test-model",
            "QUARRY_LLM_API_KEY": "sk-cli-secret",
        ]) { _, new in new }
        let answer = try quarry.run("ask", "What is the L4 salary band?", "--user", "bob", "--generator", "llm")
        #expect(answer.status == 0, "\(answer.errors)")
        #expect(answer.output.hasPrefix("The L4 band is £62,000 – £78,000 in the UK [1].\n"), "\(answer.output)")
        #expect(answer.output.contains("[1] Salary Bands 2026"))
        #expect(!(answer.output + answer.errors).contains("sk-cli-secret"))
        #expect(model.requests.count == 1)
        #expect(model.requests.first?.headers["authorization"] == "Bearer sk-cli-secret")

        quarry.environment["QUARRY_LLM_MODEL"] = nil
        let incomplete = try quarry.run("ask", "What is the L4 salary band?", "--user", "bob", "--generator", "llm")
        #expect(incomplete.status != 0)
        #expect(incomplete.errors.contains("QUARRY_LLM_MODEL"), "\(incomplete.errors)")
        quarry.environment["QUARRY_GENERATOR"] = "oracle"
        let unknown = try quarry.run("ask", "What is the L4 salary band?", "--user", "bob")
        #expect(unknown.status != 0 && unknown.errors.contains("QUARRY_GENERATOR=oracle is not one of extractive, llm"))
    }

    @Test func askPrintsTheAnswerOrTheAPIObject() throws {
        let directory = try TemporaryDirectory()
        let quarry = QuarryCommand(dataDirectory: directory.file("data"))
        #expect(try quarry.run("sync", SampleCorpus.handbook, "--connector", "handbook").status == 0)
        #expect(try quarry.run("users", "add", "carol").status == 0)
        #expect(try quarry.run("users", "add", "bob", "--group", "hr").status == 0)

        let text = try quarry.run(
            "ask",
            "How many days of paid annual leave do full-time employees receive?",
            "--user",
            "carol"
        )
        #expect(text.status == 0)
        #expect(text.output.contains("27 days of paid annual leave"))
        #expect(text.output.contains("[1] Paid Time Off and Holidays"))

        let json = try quarry.run("ask", "What is the L4 salary band?", "--user", "bob", "--json")
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["conversationId", "messageId", "answer", "citations", "answered", "basis"])
        #expect(object["basis"] as? String == "documents")
        #expect((object["answer"] as? String)?.contains("£62,000") == true)
        let citation = try #require((object["citations"] as? [[String: Any]])?.first)
        #expect(
            Set(citation.keys) == [
                "number", "documentId", "passageId", "title", "uri", "heading", "snippet", "start", "end",
            ]
        )

        let hidden = try quarry.run("ask", "What is the L4 salary band?", "--user", "carol")
        #expect(hidden.output == "I couldn't find an answer to that in the documents I searched.\n")

        let nobody = try quarry.run("ask", "Hello?", "--user", "zed")
        #expect(nobody.status != 0)
        #expect(nobody.errors.contains("there is no user named \"zed\""))

        // Diversity is a number from 0 to 1; anything else stops the command with what was wrong.
        let diverse = try quarry.run("ask", "What is the L4 salary band?", "--user", "bob", "--diversity", "0.7")
        #expect(diverse.status == 0)
        #expect(diverse.output.contains("£62,000"))
        let wrong = try quarry.run("ask", "What is the L4 salary band?", "--user", "bob", "--diversity", "1.5")
        #expect(wrong.status != 0)
        #expect(wrong.errors.contains("must be a number from 0 to 1, not 1.5"))
    }
}
