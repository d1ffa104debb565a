import ArgumentParser
import Foundation
import Logging
import QuarryAnswer
import QuarryCore

/// Who writes the answers of `serve` and `ask`.
///
/// | value | generator |
/// |---|---|
/// | `extractive` (default) | quotes the best sentences of the passages, in-process |
/// | `llm` | an OpenAI-compatible `/v1/chat/completions` endpoint: `QUARRY_LLM_URL`, `_MODEL`, `_API_KEY` (see docs/answers.md) |
///
/// The key is read from the environment only, never from the command line (where `ps` shows it).
struct GeneratorOptions: ParsableArguments {
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case extractive, llm
    }

    @Option(
        help: ArgumentHelp(
            "Who writes answers: extractive (quotes the documents) or llm (QUARRY_LLM_URL). Default: QUARRY_GENERATOR, else extractive.",
            valueName: "kind"
        )
    )
    var generator: Kind?

    /// The kind from `--generator`, else `QUARRY_GENERATOR`, else `extractive`.
    func kind() throws -> Kind {
        try choice(generator, variable: "QUARRY_GENERATOR", default: .extractive)
    }

    /// The language model generator, or `nil` for the built-in extractive one.
    func makeGenerator(logger: Logger) throws -> (any Generator)? {
        guard try kind() == .llm else { return nil }
        do {
            guard
                let configuration = try LanguageModelConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
            else {
                throw CLIError("--generator llm needs QUARRY_LLM_URL and QUARRY_LLM_MODEL (see docs/answers.md)")
            }
            let generator = try LanguageModelGenerator(configuration: configuration, logger: logger)
            logger.info("answers by a language model", metadata: ["llm.configuration": "\(configuration)"])
            return generator
        } catch let error as LanguageModelError {
            throw CLIError("cannot use the language model: \(error)")
        }
    }
}
