import Foundation
import HTTPTypes
import Logging
import QuarryAnswer
import QuarryStore
import QuarryTesting
import Testing

/// Chat with answers written by a language model (`--generator llm`), through the API: what the
/// model is shown, what the asker is shown, and the policy's answer scope. The model is an
/// OpenAI-compatible endpoint on the loopback interface that answers from a script and records
/// every request (no language model runs on the test machines: docs/answers.md).
struct LanguageModelChatTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func generator(_ server: ScriptedHTTPServer) throws -> LanguageModelGenerator {
        try LanguageModelGenerator(
            configuration: LanguageModelConfiguration(
                url: server.endpoint + "/v1",
                model: "test-model",
                apiKey: "sk-llm-secret"
            ),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    /// The shipped default policy with `answer_scope` set to `scope`.
    static func defaultPolicy(answerScope scope: String) throws -> String {
        let text = try String(contentsOf: repository.appendingPathComponent("guardrails/default.yaml"), encoding: .utf8)
        #expect(text.contains("\nanswer_scope: documents\n"))
        return text.replacingOccurrences(of: "\nanswer_scope: documents\n", with: "\nanswer_scope: \(scope)\n")
    }

    /// Every line of at least 40 characters of the sample documents under `paths`.
    static func lines(of paths: [String]) throws -> [String] {
        let handbook = repository.appendingPathComponent("connectors/samples/handbook")
        var lines: [String] = []
        for path in paths {
            let url = handbook.appendingPathComponent(path)
            let files =
                path.hasSuffix("/")
                ? try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)
                    .filter { $0.pathExtension == "md" } : [url]
            for file in files {
                lines += try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count >= 40 }
            }
        }
        return lines
    }

    @Test func theModelIsShownOnlyWhatTheAskerMayRead() async throws {
        let installation = try await DemoInstallation.make()
        let model = try ScriptedHTTPServer(responses: [.chatCompletionStream(["From what I found ", "[1]."])])
        let questions = [
            "What is the L4 salary band for engineers?", "What is the hiring plan for 2026?",
            "How are disciplinary cases handled?", "What will the leadership offsite decide?",
            "How do I deploy the fleet controller?",
        ]
        let forbidden = [
            "alice": try Self.lines(of: ["hr/", "company/leadership-offsite-2026.md"]),
            "carol": try Self.lines(of: ["hr/", "engineering/", "company/leadership-offsite-2026.md"]),
        ]
        try await withAPI(installation, generator: try Self.generator(model)) { api in
            for (user, lines) in forbidden {
                #expect(lines.count > 50)
                let first = model.requests.count
                defer {
                    #expect(model.requests.count - first >= questions.count, "\(user)'s questions reached the model")
                }
                for question in questions {
                    let before = model.requests.count
                    let reply = try await api.ask(question, as: user)
                    let streamed = try await api.stream(question, as: user)
                    #expect(reply.status == 200 && streamed.status == 200)
                    let prompts = model.requests[before...].flatMap(\.chatMessages).map(\.content).joined(
                        separator: "\n"
                    )
                    for line in lines {
                        #expect(!prompts.contains(line), "\(user)'s prompt for \(question) quoted: \(line)")
                    }
                    let cited =
                        ((reply.json["citations"] as? [[String: Any]] ?? [])
                        + (streamed.reply["citations"] as? [[String: Any]] ?? [])).compactMap { $0["uri"] as? String }
                    #expect(!cited.contains { $0.contains("/hr/") || $0.contains("leadership-offsite") }, "\(cited)")
                    if user == "carol" { #expect(!cited.contains { $0.contains("/engineering/") }, "\(cited)") }
                }
            }
            // The same question from someone who may read the bands: the model is shown them (the check can fail).
            let before = model.requests.count
            let bob = try await api.ask("What is the L4 salary band for engineers?", as: "bob")
            #expect(bob.json["basis"] as? String == "documents")
            let prompt = model.requests[before...].flatMap(\.chatMessages).map(\.content).joined()
            #expect(prompt.contains("£62,000 – £78,000"))
            #expect(model.requests.allSatisfy { $0.headers["authorization"] == "Bearer sk-llm-secret" })
        }
    }

    @Test func aMaskedAddressSplitAcrossTheModelsPiecesNeverLeaves() async throws {
        let installation = try await DemoInstallation.make()
        let model = try ScriptedHTTPServer(responses: [
            .chatCompletionStream(["Write to people@north", "wind-rob", "otics.", "example about your pay [1]."])
        ])
        try await withAPI(installation, generator: try Self.generator(model)) { api in
            _ = try await api.send(.put, "/api/v1/admin/guardrails", as: "admin", body: GuardrailAPITests.topicPolicy)
            let reply = try await api.stream("Who do I email with questions about my own pay or benefits?", as: "alice")
            for fragment in ["@", "north", "wind-rob", "otics.", "example"] {
                #expect(!reply.text.contains(fragment), "\(fragment) leaked in \(reply.deltas)")
            }
            #expect(reply.joined == "Write to [EMAIL_ADDRESS] about your pay [1].")
            #expect(reply.reply["answer"] as? String == reply.joined)
            #expect((reply.reply["citations"] as? [Any])?.count == 1, "a masked answer keeps its citations")
            #expect((reply.reply["guardrail"] as? [String: Any])?["action"] as? String == "mask")
            #expect(reply.reply["basis"] as? String == "documents")
        }
    }

    @Test func theAnswerScopeIsThePolicys() async throws {
        let installation = try await DemoInstallation.make()
        let model = try ScriptedHTTPServer(responses: [
            .chatCompletionStream(["GENERAL: Water boils at 100 °C at sea level."])
        ])
        try await withAPI(installation, generator: try Self.generator(model)) { api in
            let question = "At what temperature does water boil at sea level?"
            let documents = try await api.ask(question, as: "alice")
            #expect(documents.json["answered"] as? Bool == false)
            #expect(documents.json["basis"] as? String == "none")
            #expect(
                documents.json["answer"] as? String == "I couldn't find an answer to that in the documents I searched."
            )

            let put = try await api.send(
                .put,
                "/api/v1/admin/guardrails",
                as: "admin",
                body: try Self.defaultPolicy(answerScope: "general_knowledge")
            )
            #expect(put.status == 200, "\(put.text)")
            let general = try await api.ask(question, as: "alice")
            #expect(general.json["answered"] as? Bool == true)
            #expect(general.json["basis"] as? String == "general_knowledge")
            #expect(general.json["answer"] as? String == "Water boils at 100 °C at sea level.")
            #expect((general.json["citations"] as? [Any])?.isEmpty == true)
            let streamed = try await api.stream(question, as: "alice")
            #expect(streamed.joined == "Water boils at 100 °C at sea level.")
            #expect(streamed.reply["basis"] as? String == "general_knowledge")

            let invalid = try await api.send(
                .post,
                "/api/v1/admin/guardrails/validate",
                as: "admin",
                body: "answer_scope: everything\n"
            )
            #expect(invalid.json["valid"] as? Bool == false)
            #expect((invalid.json["reason"] as? String)?.contains("documents or general_knowledge") == true)
        }
    }

    @Test func passagesAreMaskedBeforeTheModelSeesThem() async throws {
        let installation = try await DemoInstallation.make()
        let model = try ScriptedHTTPServer(responses: [.chatCompletionStream(["Ask the People team [1]."])])
        let policy = """
            stages: {input: true, retrieval: true, output: true}
            pii:
              entities:
                EMAIL_ADDRESS: {input: log, retrieval: mask, output: mask}
            """
        try await withAPI(installation, generator: try Self.generator(model)) { api in
            _ = try await api.send(.put, "/api/v1/admin/guardrails", as: "admin", body: policy)
            let reply = try await api.ask("Who do I email with questions about my own pay or benefits?", as: "alice")
            #expect(reply.status == 200)
            let prompt = try #require(model.requests.last).chatMessages.map(\.content).joined()
            #expect(prompt.contains("[EMAIL_ADDRESS]"))
            #expect(!prompt.contains("people@northwind-robotics.example"))
        }
    }

    @Test func aFailingModelIsABadGatewayAndTheServerGoesOn() async throws {
        let installation = try await DemoInstallation.make()
        let model = try ScriptedHTTPServer(responses: [
            .init(status: 500, body: #"{"error":{"message":"out of memory","type":"server_error"}}"#),
            .init(status: 500, body: #"{"error":{"message":"out of memory","type":"server_error"}}"#),
            .chatCompletionStream(["Book it in Concur [1]."]),
        ])
        try await withAPI(installation, generator: try Self.generator(model)) { api in
            let failed = try await api.ask("How do I book travel?", as: "alice")
            #expect(failed.status == 502)
            #expect(failed.json["code"] as? String == "language_model_unavailable")
            #expect(!failed.text.contains("127.0.0.1") && !failed.text.contains("sk-llm-secret"))
            let streamed = try await api.stream("How do I book travel?", as: "alice")
            #expect(streamed.events.last?.name == "error")
            #expect(!streamed.text.contains("127.0.0.1"))
            let recovered = try await api.ask("How do I book travel?", as: "alice")
            #expect(recovered.status == 200)
            #expect(recovered.json["answer"] as? String == "Book it in Concur [1].")
        }
    }

    @Test func citationSnippetsAreGuardedEvenWhenTheAnswerIsClean() async throws {
        let installation = try await DemoInstallation.make()
        // The answer's own words hold nothing to mask; the passage it cites (quoted as the snippet) does.
        let model = try ScriptedHTTPServer(responses: [.chatCompletionStream(["Ask People team [1]."])])
        let policy = "words:\n  list: [the]\n  action: mask\n"
        try await withAPI(installation, generator: try Self.generator(model)) { api in
            _ = try await api.send(.put, "/api/v1/admin/guardrails", as: "admin", body: policy)
            for reply in [
                try await api.ask("Who do I email with questions about my own pay or benefits?", as: "alice").json,
                try await api.stream("Who do I email with questions about my own pay or benefits?", as: "alice").reply,
            ] {
                #expect(reply["answer"] as? String == "Ask People team [1].")
                let snippet = try #require((reply["citations"] as? [[String: Any]])?.first?["snippet"] as? String)
                #expect(snippet.contains("[FILTERED]"), "\(snippet)")
                #expect(!snippet.lowercased().split(separator: " ").contains("the"), "\(snippet)")
                #expect((reply["guardrail"] as? [String: Any])?["action"] as? String == "mask")
            }
        }
    }

    @Test func anAnswerIsWithdrawnFromTheHistoryWhenAnyDocumentTheModelReadIsNoLongerReadable() async throws {
        let installation = try await DemoInstallation.make()
        // A general-knowledge answer cites nothing, but the model was shown the salary bands.
        let model = try ScriptedHTTPServer(responses: [
            .chatCompletionStream(["GENERAL: Bands are usually reviewed every year."])
        ])
        try await withAPI(installation, generator: try Self.generator(model)) { api in
            _ = try await api.send(
                .put,
                "/api/v1/admin/guardrails",
                as: "admin",
                body: try Self.defaultPolicy(answerScope: "general_knowledge")
            )
            let reply = try await api.ask("What is the L4 salary band for engineers?", as: "bob")
            #expect(reply.json["basis"] as? String == "general_knowledge")
            let prompt = try #require(model.requests.last).chatMessages.map(\.content).joined()
            #expect(prompt.contains("£62,000 – £78,000"), "the model read the bands")
            let id = try #require(reply.json["conversationId"] as? String)
            let before = try await api.send(.get, "/api/v1/conversations/\(id)", as: "bob")
            #expect(before.text.contains("Bands are usually reviewed every year."))
            #expect(before.text.contains(#""basis":"general_knowledge""#), "\(before.text)")

            try await installation.store.removeMember(userName: "bob", fromGroup: "hr")
            let after = try await api.send(.get, "/api/v1/conversations/\(id)", as: "bob")
            #expect(!after.text.contains("Bands are usually reviewed every year."), "\(after.text)")
            #expect(after.text.contains("no longer shown because it draws on documents you cannot read now"))
        }
    }

    @Test func aValueTheSnippetsCutGoesThroughIsStillMasked() async throws {
        let installation = try await DemoInstallation.make(copyCorpus: true)
        // The card number straddles the 300th character, where a citation's snippet is cut.
        let filler = String(repeating: "Zanzibar trips are booked with the travel desk first. ", count: 5)
        let text = "# Zanzibar travel\n\n" + filler + "The team card 4111 1111 1111 1111 pays for flights.\n"
        try text.write(
            toFile: installation.corpusPath + "/company/zanzibar-travel.md",
            atomically: true,
            encoding: .utf8
        )
        try await installation.sync()
        let model = try ScriptedHTTPServer(responses: [.chatCompletionStream(["Book with the travel desk [1]."])])
        try await withAPI(installation, generator: try Self.generator(model)) { api in
            let reply = try await api.ask("How are Zanzibar trips booked?", as: "carol")
            #expect(reply.json["answer"] as? String == "Book with the travel desk [1].")
            let citations = reply.json["citations"] as? [[String: Any]] ?? []
            #expect((citations.first?["uri"] as? String)?.hasSuffix("zanzibar-travel.md") == true, "\(citations)")
            for citation in citations {
                let snippet = citation["snippet"] as? String ?? ""
                #expect(!snippet.contains("4111"), "\(snippet)")
            }
        }
    }
}
