import ArgumentParser
import Foundation
import Logging
import QuarryAnswer
import QuarryCore
import QuarryIndex
import QuarryServer
import QuarryStore

struct Ask: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask a question as a user and print the answer with its citations."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var embedding: EmbeddingOptions
    @OptionGroup var retrieval: RetrievalOptions
    @OptionGroup var answers: GeneratorOptions

    @Argument(help: "The question.")
    var question: String

    @Option(help: "The user asking; the answer only uses documents they may read.")
    var user: String

    @Option(help: "Continue this conversation.")
    var conversation: String?

    @Flag(help: "Print the same JSON object as POST /api/v1/chat.")
    var json = false

    func run() async throws {
        let logger = try global.makeLogger(defaultLevel: .warning)
        let store = try global.openStore()
        guard let asker = try await store.user(named: user) else {
            throw CLIError("there is no user named \"\(user)\"; add one with `quarry users add NAME`")
        }
        let ranking = try retrieval.configuration()
        let generator = try answers.makeGenerator(logger: logger)
        let (embedder, vectors) = try await embedding.openSearch(store: store, logger: logger)
        // Topics are compared by the configured model; with --embeddings off, by keywords only.
        let guardrails = GuardrailService(
            store: store,
            embedder: embedder,
            classifier: try GuardrailsSupport.moderation(logger: logger),
            logger: logger
        )
        let chat = ChatService(
            store: store,
            embedder: embedder,
            vectors: vectors,
            retrieval: ranking,
            generator: generator,
            guardrails: guardrails,
            logger: logger
        )
        let reply: ChatReply
        do {
            reply = try await chat.ask(question, user: asker, conversationID: conversation)
        } catch let error as ChatError {
            throw CLIError("\(error)")
        }
        // What the index caught up with is kept for the next command (nothing is written otherwise).
        try? await vectors?.saveIfChanged()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(ChatResponse(reply)), as: UTF8.self))
            return
        }
        print(reply.answer)
        if let guardrail = reply.guardrail {
            print("")
            print(
                "(guardrail: \(guardrail.rule) \(guardrail.type), \(guardrail.action) on the \(guardrail.stage == "input" ? "question" : "answer"))"
            )
        }
        if !reply.citations.isEmpty {
            print("")
            for citation in reply.citations {
                let heading = citation.heading.map { " › \($0)" } ?? ""
                let page = citation.page.map { ", p. \($0)" } ?? ""
                print("[\(citation.number)] \(citation.title)\(heading)\(page)")
                print("    \(citation.uri)")
            }
        }
    }
}
