import ArgumentParser
import Hummingbird
import Logging
import QuarryCore
import QuarryServer
import QuarryStore

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the chat API.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var embedding: EmbeddingOptions
    @OptionGroup var retrieval: RetrievalOptions
    @OptionGroup var answers: GeneratorOptions

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port: Int = 8080

    @Option(help: "The largest request body accepted, in bytes.")
    var maxBodyBytes: Int = 1 << 20

    @Option(help: "Days guardrail decisions are kept in the audit; 0 keeps them for ever.")
    var auditRetentionDays: Int = 365

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard maxBodyBytes >= 1024 else { throw ValidationError("--max-body-bytes must be at least 1024") }
        guard auditRetentionDays >= 0 else {
            throw ValidationError("--audit-retention-days must be 0 (keep for ever) or more, not \(auditRetentionDays)")
        }
    }

    func run() async throws {
        let logger = try global.makeLogger(defaultLevel: .info)
        let store = try global.openStore()
        let configuration = ServerConfiguration(
            host: host,
            port: port,
            maximumBodyBytes: maxBodyBytes,
            auditRetention: auditRetentionDays == 0 ? nil : .seconds(auditRetentionDays * 86_400)
        )
        let ranking = try retrieval.configuration()
        let generator = try answers.makeGenerator(logger: logger)
        let (embedder, vectors) = try await embedding.openSearch(store: store, logger: logger)
        let app = buildApplication(
            store: store,
            configuration: configuration,
            logger: logger,
            embedder: embedder,
            vectors: vectors,
            retrieval: ranking,
            generator: generator,
            moderation: try GuardrailsSupport.moderation(logger: logger)
        ) { port in
            logger.info("serving", metadata: ["http.address": "http://\(host):\(port)"])
        }
        try await app.runService()
    }
}
