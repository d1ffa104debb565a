import Foundation
import Logging
import QuarryCore
import QuarryTesting
import Testing

@testable import QuarryAnswer

/// The language model generator against a real HTTP server on the loopback interface that answers
/// as an OpenAI-compatible endpoint would (no language model can run on the test machines: see
/// docs/answers.md).
struct LanguageModelGeneratorTests {
    static let scope = AccessScope(userName: "alice", groups: ["engineering"], isAdmin: false)

    static func passage(_ id: Int64, _ title: String, _ text: String) -> RetrievedPassage {
        RetrievedPassage(
            passageID: id,
            documentID: id * 10,
            documentTitle: title,
            documentURI: "file:///docs/\(id).md",
            passage: Passage(
                ordinal: 0,
                text: text,
                headingPath: ["Policies"],
                range: TextRange(start: 100, end: 100 + text.unicodeScalars.count)
            ),
            score: 1
        )
    }

    static let passages = [
        passage(1, "Travel policy", "Receipts go to finance within 30 days."),
        passage(2, "Holidays", "Staff get 25 days of annual leave."),
        passage(3, "Booking", "All travel is booked through Concur."),
    ]

    static func generator(
        _ server: ScriptedHTTPServer,
        timeout: Duration = .seconds(10),
        log: LogRecorder = LogRecorder()
    ) throws -> LanguageModelGenerator {
        try LanguageModelGenerator(
            configuration: LanguageModelConfiguration(
                url: server.endpoint + "/v1",
                model: "test-model",
                apiKey: "sk-llm-secret",
                timeout: timeout,
                maximumResponseBytes: 8192
            ),
            logger: Logger(label: "test") { _ in log.handler() }
        )
    }

    /// Every piece the stream shows, and its final answer.
    static func stream(
        _ generator: LanguageModelGenerator,
        _ question: String,
        from passages: [RetrievedPassage] = passages,
        answerScope: AnswerScope = .documents
    ) async throws -> (pieces: [String], answer: Answer?) {
        var pieces: [String] = []
        var answer: Answer?
        for try await output in generator.answerStream(question, from: passages, scope: scope, answerScope: answerScope)
        {
            switch output {
            case .text(let piece): pieces.append(piece)
            case .answer(let final): answer = final
            }
        }
        return (pieces, answer)
    }

    @Test func sendsThePassagesAndTheQuestionAndRenumbersTheCitations() async throws {
        let server = try ScriptedHTTPServer(responses: [
            .chatCompletionStream([
                "All travel is booked in Concur ", "[3]. Receipts go to finance [1, 3]", ". See [9].",
            ])
        ])
        let log = LogRecorder()
        let answer = try await Self.generator(server, log: log).answer(
            "How do I book travel?",
            from: Self.passages,
            scope: Self.scope,
            answerScope: .documents
        )
        #expect(answer.text == "All travel is booked in Concur [1]. Receipts go to finance [2][1]. See .")
        // Logged at every level: the model, counts and timing; never the key, the question or a passage.
        #expect(log.text.contains("language model answered"))
        for secret in ["sk-llm-secret", "book travel", "Concur", "Receipts"] {
            #expect(!log.text.contains(secret), "\(log.text)")
        }
        #expect(answer.citations.map(\.number) == [1, 2])
        #expect(answer.citations.map(\.passageID) == [3, 1], "numbered in the order first cited")
        #expect(answer.citations[0].snippet == "All travel is booked through Concur.")
        #expect(answer.citations[0].start == 100 && answer.citations[0].heading == "Policies")
        #expect(answer.isAnswered && answer.basis == .documents)

        let request = try #require(server.requests.first)
        #expect(request.line == "POST /v1/chat/completions HTTP/1.1")
        #expect(request.headers["authorization"] == "Bearer sk-llm-secret")
        let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        #expect(body["model"] as? String == "test-model" && body["stream"] as? Bool == true)
        #expect(body["max_tokens"] as? Int == 800)
        let messages = request.chatMessages
        #expect(messages.map(\.role) == ["system", "user"])
        #expect(messages[0].content.contains("using only the numbered passages"))
        #expect(messages[0].content.contains("NOT_FOUND"))
        #expect(messages[1].content.contains("[1] Travel policy › Policies\nReceipts go to finance within 30 days."))
        #expect(messages[1].content.contains("[3] Booking › Policies\nAll travel is booked through Concur."))
        #expect(messages[1].content.hasSuffix("Question: How do I book travel?"))
    }

    @Test func aMarkerCutAcrossPiecesIsNeverShownHalfRewritten() async throws {
        let server = try ScriptedHTTPServer(responses: [
            .chatCompletionStream(["Book in Concur [", "3", "]", " and keep receipts [", "1", "]."])
        ])
        let (pieces, answer) = try await Self.stream(try Self.generator(server), "How do I book travel?")
        #expect(pieces.joined() == "Book in Concur [1] and keep receipts [2].")
        #expect(pieces.allSatisfy { !$0.contains("[3") && !$0.hasSuffix("[") }, "\(pieces)")
        #expect(answer?.text == pieces.joined())
    }

    @Test func notFoundFromTheModelIsTheUsualNotFoundAnswer() async throws {
        let server = try ScriptedHTTPServer(responses: [.chatCompletionStream(["NOT", "_FO", "UND"])])
        let (pieces, answer) = try await Self.stream(try Self.generator(server), "What is the wifi password?")
        #expect(answer == .notFound)
        #expect(pieces.joined() == Answer.notFound.text, "the sentinel itself is never shown")
    }

    @Test func anAnswerCitingNothingIsWithheldBeforeAnyOfItIsShown() async throws {
        let replies: [(AnswerScope, [String])] = [
            (.documents, ["Paris is ", "the capital of France."]),
            (.documents, ["GENERAL: Paris is the capital of France."]),  // not allowed under documents
            (.documents, ["**NOT_FOUND**"]),
            (.documents, ["I looked, but… NOT_FOUND"]),
            (.generalKnowledge, ["Paris is the capital of France."]),  // passages quoted, no GENERAL: prefix
        ]
        for (answerScope, reply) in replies {
            let server = try ScriptedHTTPServer(responses: [.chatCompletionStream(reply)])
            let (pieces, answer) = try await Self.stream(
                try Self.generator(server),
                "Capital of France?",
                answerScope: answerScope
            )
            #expect(answer == .notFound, "\(reply)")
            #expect(pieces == [Answer.notFound.text], "nothing of \(reply) is shown: \(pieces)")
        }
    }

    @Test func thePiecesJoinedAreAlwaysTheAnswersText() async throws {
        let replies: [(AnswerScope, [String], String)] = [
            (.generalKnowledge, ["GENERAL", ":", " Water boils at 100 °C."], "Water boils at 100 °C."),
            (.documents, ["  Leave is 25 days [2].", "\n", " "], "Leave is 25 days [1]."),
            (.documents, ["[9] Staff get ", "25 days [2]", ".\n\n"], "Staff get 25 days [1]."),
            (.documents, ["Staff get\n", "\n25 days [2]."], "Staff get\n\n25 days [1]."),
        ]
        for (answerScope, reply, expected) in replies {
            let server = try ScriptedHTTPServer(responses: [.chatCompletionStream(reply)])
            let (pieces, answer) = try await Self.stream(
                try Self.generator(server),
                "Leave?",
                answerScope: answerScope
            )
            #expect(answer?.text == expected, "\(reply)")
            #expect(pieces.joined() == answer?.text, "\(reply): \(pieces)")
        }
    }

    @Test func theAnswerNamesEveryQuotedDocumentItDoesNotCite() async throws {
        let server = try ScriptedHTTPServer(responses: [
            .chatCompletionStream(["Staff get 25 days [2]."]),
            .chatCompletionStream(["GENERAL: Most companies give 20 to 30 days."]),
        ])
        let generator = try Self.generator(server)
        let cited = try await generator.answer("Leave?", from: Self.passages, scope: Self.scope)
        #expect(cited.citations.map(\.documentID) == [20] && cited.sourceDocumentIDs == [10, 30])
        let general = try await generator.answer(
            "Leave?",
            from: Self.passages,
            scope: Self.scope,
            answerScope: .generalKnowledge
        )
        #expect(general.basis == .generalKnowledge && general.sourceDocumentIDs == [10, 20, 30])
    }

    @Test func underTheDocumentsScopeNoPassagesMeansNoRequest() async throws {
        let server = try ScriptedHTTPServer(responses: [.chatCompletionStream(["Anything."])])
        let (pieces, answer) = try await Self.stream(try Self.generator(server), "Anything?", from: [])
        #expect(answer == .notFound)
        #expect(pieces.joined() == Answer.notFound.text)
        #expect(server.requests.isEmpty)
    }

    @Test func generalKnowledgeIsMarkedAndCitesNothing() async throws {
        let server = try ScriptedHTTPServer(responses: [
            .chatCompletionStream(["Water boils at 100 °C at sea level [1]."]),
            .chatCompletionStream(["GEN", "ERAL", ":", " Water boils at 100 °C [2]."]),
            .chatCompletionStream(["Staff get 25 days [2]."]),
        ])
        let generator = try Self.generator(server)
        // Nothing readable matched: the model is asked without passages.
        let (pieces, nothing) = try await Self.stream(
            generator,
            "When does water boil?",
            from: [],
            answerScope: .generalKnowledge
        )
        #expect(nothing?.basis == .generalKnowledge && nothing?.isAnswered == true)
        #expect(nothing?.text == "Water boils at 100 °C at sea level ." && nothing?.citations.isEmpty == true)
        #expect(pieces.joined() == nothing?.text)
        let first = try #require(server.requests.first).chatMessages
        #expect(first[0].content.contains("No company document the user may read matches this question"))
        #expect(!first[1].content.contains("Passages:") && first[1].content == "Question: When does water boil?")

        // Passages, but the model says it answers from general knowledge.
        let prefixed = try await Self.stream(generator, "When does water boil?", answerScope: .generalKnowledge)
        #expect(prefixed.answer?.basis == .generalKnowledge && prefixed.answer?.citations.isEmpty == true)
        #expect(prefixed.answer?.text == "Water boils at 100 °C .")
        #expect(!prefixed.pieces.joined().contains("GENERAL"))
        #expect(server.requests[1].chatMessages[0].content.contains("start your reply with GENERAL:"))

        // Passages that answer: cited as under the documents scope.
        let cited = try await generator.answer(
            "Leave?",
            from: Self.passages,
            scope: Self.scope,
            answerScope: .generalKnowledge
        )
        #expect(cited.basis == .documents && cited.citations.map(\.passageID) == [2])
    }

    @Test func aReplyOfOneJSONObjectIsReadToo() async throws {
        let server = try ScriptedHTTPServer(responses: [.chatCompletion("Leave is 25 days [2].")])
        let answer = try await Self.generator(server).answer("Leave?", from: Self.passages, scope: Self.scope)
        #expect(answer.text == "Leave is 25 days [1]." && answer.citations.map(\.passageID) == [2])
    }

    @Test func passagesBeyondTheContextBudgetAreNotQuotedAndCannotBeCited() async throws {
        let long = String(repeating: "word ", count: 30)
        let prompt = AnswerPrompt(
            question: "Q?",
            passages: [Self.passage(1, "A", long), Self.passage(2, "B", long), Self.passage(3, "C", "short")],
            answerScope: .documents,
            maximumPassageCharacters: 100,
            maximumContextCharacters: 150
        )
        #expect(prompt.quoted.map(\.passageID) == [1, 3], "the second long passage does not fit; the short one does")
        #expect(prompt.messages[1].content.contains("[2] C › Policies\nshort"), "numbered as quoted")
        #expect(prompt.messages[1].content.contains("…"), "passages are cut to their limit")
        var draft = AnswerDraft(prompt: prompt, answerScope: .documents)
        _ = draft.append("Words [1][3]. Short [2].")
        let (_, answer) = draft.finish()
        #expect(answer.citations.map(\.passageID) == [1, 3], "[3] names no quoted passage")
        #expect(answer.text == "Words [1]. Short [2].")
    }

    @Test func errorsNameTheEndpointButNeverTheKeyOrTheQuestion() async throws {
        let question = "What is Dana Whitfield's salary?"
        let cases: [(ScriptedHTTPServer.Response, String)] = [
            (
                .init(
                    status: 401,
                    body:
                        #"{"error":{"message":"Incorrect API key sk-llm-secret for What is Dana Whitfield's salary?","type":"invalid_request_error","code":"invalid_api_key"}}"#
                ),
                "answered 401 Unauthorized (invalid_request_error, invalid_api_key)"
            ),
            (
                .init(status: 200, headers: [("Content-Type", "text/html")], body: "<html>gateway</html>"),
                "not a chat completion"
            ),
            (
                .init(status: 200, headers: [("Content-Type", "text/event-stream")], body: "data: {oops\n\n"),
                "not a chat completion"
            ),
            (
                .init(
                    status: 200,
                    headers: [("Content-Type", "text/event-stream")],
                    body: #"data: {"error":{"message":"Dana Whitfield","type":"server_error"}}"# + "\n\n"
                ),
                "reported an error part-way (server_error)"
            ),
            (.chatCompletionStream([String(repeating: "x", count: 9000)]), "more than the 8192 bytes allowed"),
            // llama.cpp's Python server failing after it began: a 200 stream with nothing in it.
            (.init(status: 200, headers: [("Content-Type", "text/event-stream")], body: ""), "without finishing it"),
            (
                .init(
                    status: 200,
                    headers: [("Content-Type", "text/event-stream")],
                    body: #"data: {"choices":[{"index":0,"delta":{"content":"Staff get"}}]}"# + "\n\n"
                ),
                "without finishing it"
            ),
            (
                .init(
                    status: 400,
                    body: #"{"error":{"message":"Dana Whitfield","type":"invalid_request_error","code":400}}"#
                ),
                "answered 400 Bad Request (invalid_request_error, 400)"
            ),
            (.dropped, "cannot reach"),
        ]
        for (response, expected) in cases {
            let server = try ScriptedHTTPServer(responses: [response])
            let error = try await #require(throws: LanguageModelError.self) {
                try await Self.generator(server).answer(question, from: Self.passages, scope: Self.scope)
            }
            #expect(error.message.contains(expected), "\(error.message)")
            #expect(error.message.contains("\(server.endpoint)/v1/chat/completions") || expected == "cannot reach")
            for secret in ["sk-llm-secret", "Dana", "Whitfield", "salary", "Concur"] {
                #expect(!error.message.contains(secret), "\(error.message)")
            }
        }
    }

    @Test func aSlowModelRunsOutOfTime() async throws {
        // Its late answer would be an error of its own ("not a chat completion"): the message tells
        // which fired. (No clock is read: on a loaded machine a test's timing says nothing.)
        let server = try ScriptedHTTPServer(responses: [.init(status: 200, body: "", delay: .seconds(3))])
        let error = try await #require(throws: LanguageModelError.self) {
            try await Self.generator(server, timeout: .milliseconds(500)).answer(
                "Q?",
                from: Self.passages,
                scope: Self.scope
            )
        }
        #expect(error.message.contains("did not finish its answer within 0.5 seconds"), "\(error.message)")
    }

    @Test func settingsAreCheckedAndTheKeyIsNeverPrinted() throws {
        let environment = [
            "QUARRY_LLM_URL": "http://127.0.0.1:9/v1", "QUARRY_LLM_MODEL": "m", "QUARRY_LLM_API_KEY": "sk-llm-secret",
            "QUARRY_LLM_MAX_TOKENS": "256", "QUARRY_LLM_TIMEOUT_SECONDS": "30",
        ]
        let configuration = try #require(try LanguageModelConfiguration.fromEnvironment(environment))
        #expect(configuration.endpoint == "http://127.0.0.1:9/v1/chat/completions")
        #expect(configuration.maximumTokens == 256 && configuration.timeout == .seconds(30))
        #expect(configuration.apiKey == "sk-llm-secret" && !"\(configuration)".contains("sk-llm-secret"))
        #expect(try LanguageModelConfiguration.fromEnvironment([:]) == nil)
        #expect(throws: LanguageModelError.self) {
            try LanguageModelConfiguration.fromEnvironment(["QUARRY_LLM_URL": "http://x/v1"])
        }
        #expect(throws: LanguageModelError.self) {
            try LanguageModelConfiguration.fromEnvironment([
                "QUARRY_LLM_URL": "http://x/v1", "QUARRY_LLM_MODEL": "m", "QUARRY_LLM_TEMPERATURE": "hot",
            ])
        }
        for (name, value) in [
            ("QUARRY_LLM_MAX_TOKENS", "1e19"), ("QUARRY_LLM_MAX_TOKENS", "0"), ("QUARRY_LLM_TIMEOUT_SECONDS", "1e19"),
            ("QUARRY_LLM_TIMEOUT_SECONDS", "-1"), ("QUARRY_LLM_TEMPERATURE", "3"),
        ] {
            let error = try #require(throws: LanguageModelError.self) {
                try LanguageModelConfiguration.fromEnvironment([
                    "QUARRY_LLM_URL": "http://x/v1", "QUARRY_LLM_MODEL": "m", name: value,
                ])
            }
            #expect(error.message.contains(name) && error.message.contains(value), "\(error.message)")
        }
        for url in ["ftp://host/v1", "not a url"] {
            #expect(throws: LanguageModelError.self) {
                try LanguageModelGenerator(configuration: .init(url: url, model: "m"), logger: Logger(label: "test"))
            }
        }
        // Keys in the URL (a gateway's user:password or ?api-key=) are never shown.
        let keyed = LanguageModelConfiguration(
            url: "https://user:sk-in-url@gw.example/v1?api-key=sk-in-query",
            model: "m"
        )
        #expect("\(keyed)".contains("https://gw.example/v1?…"), "\(keyed)")
        #expect(!"\(keyed)".contains("sk-in-url") && !"\(keyed)".contains("sk-in-query"))
    }

    @Test func keysInTheURLStayOutOfErrors() async throws {
        let server = try ScriptedHTTPServer(responses: [.init(status: 500, body: "")])
        let url = server.endpoint.replacingOccurrences(of: "http://", with: "http://user:sk-in-url@") + "/v1?key=sk-q"
        let generator = try LanguageModelGenerator(
            configuration: .init(url: url, model: "m", timeout: .seconds(5)),
            logger: Logger(label: "test")
        )
        let error = try await #require(throws: LanguageModelError.self) {
            try await generator.answer("Q?", from: Self.passages, scope: Self.scope)
        }
        #expect(error.message.contains("answered 500"), "\(error.message)")
        #expect(!error.message.contains("sk-in-url") && !error.message.contains("sk-q"), "\(error.message)")
    }

    @Test func serverSentEventsParseTheSameHoweverTheBytesAreSplit() {
        let body = Array(
            "data: {\"a\":\"é\"}\r\n\r\n: comment\ndata: one\ndata: two\n\nevent: x\ndata: [DONE]\n\n".utf8
        )
        var whole = ServerSentEventParser()
        let expected = whole.feed(body)
        #expect(expected == [#"{"a":"é"}"#, "one\ntwo", "[DONE]"])
        for split in 1..<body.count {
            var parser = ServerSentEventParser()
            let events = parser.feed(body[..<split]) + parser.feed(body[split...])
            #expect(events == expected, "split at \(split)")
        }
        var unterminated = ServerSentEventParser()
        #expect(unterminated.feed(Array("data: last".utf8)).isEmpty)
        #expect(unterminated.finish() == "last")
    }

    @Test func citationMarkersRewriteTheSameHoweverTheTextIsSplit() {
        let text =
            "A [2]. B [1, 2][3]. Not a marker: [draft] [] [x1] [2024] [0]. Unknown [7]. Range [1-3], [2–3]."
            + " Long [\(String(repeating: "1", count: 40))]"
        var whole = CitationMarkerRewriter(passageCount: 3, keepsMarkers: true)
        let expected = whole.append(text) + whole.finish()
        #expect(
            expected.hasPrefix(
                "A [1]. B [2][1][3]. Not a marker: [draft] [] [x1] [2024] [0]. Unknown . Range [2][1][3], [1][3]. Long ["
            ),
            "\(expected)"
        )
        #expect(whole.cited == [1, 0, 2])
        let characters = Array(text)
        for split in 1..<characters.count {
            var rewriter = CitationMarkerRewriter(passageCount: 3, keepsMarkers: true)
            let output =
                rewriter.append(String(characters[..<split])) + rewriter.append(String(characters[split...]))
                + rewriter.finish()
            #expect(output == expected, "split at \(split)")
        }
        var dropping = CitationMarkerRewriter(passageCount: 3, keepsMarkers: false)
        #expect(dropping.append("General [1] text [draft].") + dropping.finish() == "General  text [draft].")
    }
}
