import ArgumentParser
import Foundation
import Logging
import QuarryCore
import QuarryIngest
import QuarryStore

/// `quarry embeddings status|use-model`: which model the index's vectors come from, how many
/// passages still wait for one, and switching to another model on purpose.
struct Embeddings: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show or change the model whose vectors the index holds.",
        subcommands: [Status.self, UseModel.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the bound model, its cached vectors and the passages still without one."
        )

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try global.openStore()
            guard let bound = try await store.vectorModel() else {
                print("no model yet: the first sync or serve with embeddings on binds one")
                return
            }
            let vectors = try await store.cachedVectorCount(model: bound.model)
            let waiting = try await store.passagesAwaitingVectors(model: bound.model, limit: 100_000).count
            print("model: \(bound.model) (\(bound.dimension) dimensions)")
            print("cached vectors: \(vectors)")
            print("passages without a vector: \(waiting == 100_000 ? "100000 or more" : String(waiting))")
        }
    }

    struct UseModel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "use-model",
            abstract: "Make the configured embedder (--embeddings) the index's model and re-embed every passage.",
            discussion: """
                The previous model's vectors are deleted; passages are embedded again by the new model
                (vectors it already made are reused). Keyword search answers meanwhile. Stopping it with
                Ctrl-C loses nothing: `quarry sync` and `quarry serve` carry on where it stopped.
                """
        )

        @OptionGroup var global: GlobalOptions
        @OptionGroup var embedding: EmbeddingOptions

        func run() async throws {
            let logger = try global.makeLogger(defaultLevel: .warning)
            let store = try global.openStore()
            guard let embedder = try embedding.makeEmbedder(logger: logger) else {
                throw CLIError("--embeddings off names no model to use")
            }
            let previous = try await store.vectorModel()
            try await store.replaceVectorModel(with: embedder.model, dimension: embedder.dimension)
            let from = previous.map { " instead of \($0.model)" } ?? ""
            Console.line("the index now uses \(embedder.model) (\(embedder.dimension) dimensions)\(from)")
            let embedded = try await EmbeddingBackfill(store: store, embedder: embedder, logger: logger)
                .embedAwaiting { count in
                    if count % 1024 < 128, count >= 1024 { Console.line("  … \(count) passages embedded") }
                }
            Console.line("Embedded \(embedded) passages")
        }
    }
}
