import ArgumentParser
import Foundation
import QuarryIndex

/// How `serve` and `ask` rank what they retrieve (with embeddings on: the hybrid retriever).
struct RetrievalOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Re-rank retrieved passages for diversity (MMR): λ from 0 (only diversity) to 1 (only relevance); 0.7 is a good start. Default: off, or QUARRY_DIVERSITY.",
            valueName: "lambda"
        )
    )
    var diversity: Double?

    /// The hybrid retriever's configuration from `--diversity`, else `QUARRY_DIVERSITY`.
    func configuration() throws -> HybridRetriever.Configuration {
        var configuration = HybridRetriever.Configuration()
        let given = diversity.map { "\($0)" } ?? ProcessInfo.processInfo.environment["QUARRY_DIVERSITY"]
        guard let given, !given.isEmpty else { return configuration }
        guard let value = Double(given), (0...1).contains(value) else {
            throw CLIError("the diversity (--diversity or QUARRY_DIVERSITY) must be a number from 0 to 1, not \(given)")
        }
        configuration.diversity = value
        return configuration
    }
}
