import ArgumentParser
import Foundation
import QuarryCore
import QuarryEmbed

/// `quarry embed "text"`: the in-process model's vector for a text.
struct Embed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the embedding of a text made by the in-process model (all-MiniLM-L6-v2).",
        discussion: """
            Without --json, prints the model, the number of tokens, the first values and the norm.
            The model is found in the project's .venv (installed by scripts/setup.sh) unless
            --model-path or QUARRY_EMBEDDING_MODEL_PATH names its folder.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The text to embed.")
    var text: String

    @Flag(help: "Print {\"model\": …, \"tokens\": [ids], \"vector\": [floats]} as JSON.")
    var json = false

    @Option(help: ArgumentHelp("The folder holding model.safetensors, config.json and vocab.txt.", valueName: "path"))
    var modelPath: String?

    @Option(help: "OpenBLAS threads (default: QUARRY_EMBEDDING_THREADS, else one per core).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    private struct Output: Encodable {
        var model: String
        var tokens: [Int32]
        var vector: [Float]
    }

    func run() async throws {
        var settings: EmbeddingConfiguration
        do {
            settings = try EmbeddingConfiguration(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw CLIError("\(error)")
        }
        if let modelPath { settings.modelPath = modelPath }
        if let threads { settings.threads = threads }
        let embedder: MiniLMEmbedder
        do {
            embedder = try MiniLMEmbedder(configuration: settings)
        } catch {
            throw CLIError("cannot load the embedding model: \(error)")
        }
        let tokens = embedder.tokenize(text)
        let vector = try await embedder.embed(text)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let output = Output(model: embedder.model, tokens: tokens, vector: vector)
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
            return
        }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let first = vector.prefix(8).map { String(format: "%.6f", $0) }.joined(separator: ", ")
        print("model: \(embedder.model) (\(embedder.dimension) dimensions)")
        print("tokens: \(tokens.count)")
        print("vector: [\(first), …]")
        print("norm: \(String(format: "%.6f", norm))")
    }
}
