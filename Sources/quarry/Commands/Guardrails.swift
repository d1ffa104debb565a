import ArgumentParser
import Foundation
import Logging
import QuarryCore
import QuarryEmbed
import QuarryGuardrails

/// `quarry guardrails`: check messages and files against the guardrail policy, and manage the policy.
struct Guardrails: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check texts against the guardrail policy and manage the policy.",
        subcommands: [
            GuardrailsTest.self, GuardrailsScan.self, GuardrailsValidate.self, GuardrailsShow.self, GuardrailsSet.self,
            GuardrailsVersions.self, GuardrailsRollback.self,
        ]
    )
}

/// Where the policy comes from: a file, else the one in force in the data directory, else the default.
struct PolicyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A policy file (YAML) to use instead of the one in force.", valueName: "file"))
    var policy: String?

    @Flag(help: "Do not load the embedding model (topics then fire on their keywords only).")
    var noEmbedder = false

    func load(global: GlobalOptions) async throws -> GuardrailPolicy {
        if let policy { return try GuardrailsSupport.readPolicyFile(policy).1 }
        return try await GuardrailsSupport.policyInForce(global: global)
    }

    /// The engine for `policy`, with the in-process model when a topic needs it and it is installed.
    func engine(for policy: GuardrailPolicy, global: GlobalOptions) async throws -> GuardrailEngine {
        var embedder: (any Embedder)?
        if !noEmbedder, !policy.topics.isEmpty {
            do {
                embedder = try MiniLMEmbedder(
                    configuration: try EmbeddingConfiguration(environment: ProcessInfo.processInfo.environment)
                )
            } catch {
                FileHandle.standardError.write(Data("warning: topics use keywords only: \(error)\n".utf8))
            }
        }
        let moderation = try GuardrailsSupport.moderation(logger: try global.makeLogger(defaultLevel: .warning))
        return try await GuardrailEngine(policy: policy, embedder: embedder, classifier: moderation)
    }
}

/// `quarry guardrails test "message"`: every rule that fires, with spans and scores.
struct GuardrailsTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Show every guardrail rule that fires on a message, with spans, scores and actions."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions

    @Argument(help: "The message to check.")
    var message: String

    @Option(help: "The stage: input (a question), retrieval (a passage) or output (an answer).")
    var stage: String = "input"

    @Flag(help: "Print the decision as JSON.")
    var json = false

    func validate() throws {
        guard GuardrailStage(rawValue: stage) != nil else {
            throw ValidationError("--stage must be input, retrieval or output, not \"\(stage)\"")
        }
    }

    func run() async throws {
        let policy = try await policyOptions.load(global: global)
        let engine = try await policyOptions.engine(for: policy, global: global)
        let result = try await engine.evaluate(message, stage: GuardrailStage(rawValue: stage)!)
        if json {
            print(try GuardrailsSupport.json(GuardrailsSupport.TestOutput(result)))
            return
        }
        print("decision: \(result.verdict.rawValue)")
        if let blocking = result.blockedBy {
            print("blocked by: \(blocking.rule.rawValue) \(blocking.type)")
        }
        print("text: \(result.text)")
        if result.findings.isEmpty {
            print("no rule fired")
        }
        for finding in result.findings {
            let span = finding.start.map { "\($0)..<\(finding.end ?? $0)" } ?? "whole text"
            let quoted =
                finding.start.map { _ in " \"\(GuardrailsSupport.slice(message, finding.start, finding.end))\"" } ?? ""
            print(
                "\(finding.rule.rawValue)  \(finding.type)  \(span)\(quoted)  score \(String(format: "%.2f", finding.score))  \(finding.action.rawValue)"
            )
        }
    }
}

/// `quarry guardrails scan --jsonl IN`: one line out per line in, for admins and benchmarks.
struct GuardrailsScan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan a JSON Lines file of {\"id\", \"text\"} and print {\"id\", \"spans\", \"action\"} per line.",
        discussion: """
            Spans are {"start", "end", "type", "score", "rule"}, offsets in Unicode scalars, end exclusive.
            action is allow, mask (the text would be modified) or block. Use - to read standard input.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var policyOptions: PolicyOptions

    @Option(name: .customLong("jsonl"), help: ArgumentHelp("The input file (- for standard input).", valueName: "file"))
    var input: String

    @Option(help: "The stage: input, retrieval or output.")
    var stage: String = "input"

    func validate() throws {
        guard GuardrailStage(rawValue: stage) != nil else {
            throw ValidationError("--stage must be input, retrieval or output, not \"\(stage)\"")
        }
    }

    private struct Line: Decodable {
        var id: LineID
        var text: String
    }

    /// A line's id as it was given: a string or a number.
    private enum LineID: Codable {
        case text(String)
        case number(Int)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int.self) {
                self = .number(number)
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .text(let text): try container.encode(text)
            case .number(let number): try container.encode(number)
            }
        }
    }

    private struct Output: Encodable {
        struct Span: Encodable {
            var start: Int
            var end: Int
            var type: String
            var score: Double
            var rule: String
        }

        var id: LineID
        var spans: [Span]
        var action: String
    }

    func run() async throws {
        let policy = try await policyOptions.load(global: global)
        let engine = try await policyOptions.engine(for: policy, global: global)
        let stage = GuardrailStage(rawValue: stage)!
        let handle: FileHandle
        if input == "-" {
            handle = .standardInput
        } else {
            guard let file = FileHandle(forReadingAtPath: input) else { throw CLIError("cannot open \(input)") }
            handle = file
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let decoder = JSONDecoder()
        var number = 0
        let data = handle.readDataToEndOfFile()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let item: Line
            do {
                item = try decoder.decode(Line.self, from: Data(line.utf8))
            } catch {
                throw CLIError("\(input) line \(number): expected {\"id\": …, \"text\": \"…\"}")
            }
            let result = try await engine.evaluate(item.text, stage: stage)
            let spans = result.findings.compactMap { finding -> Output.Span? in
                guard let start = finding.start, let end = finding.end else { return nil }
                return Output.Span(
                    start: start,
                    end: end,
                    type: finding.type,
                    score: finding.score,
                    rule: finding.rule.rawValue
                )
            }
            let action =
                switch result.verdict {
                case .allowed: "allow"
                case .modified: "mask"
                case .blocked: "block"
                }
            var data = try encoder.encode(Output(id: item.id, spans: spans, action: action))
            data.append(0x0A)
            FileHandle.standardOutput.write(data)
        }
    }
}

/// `quarry guardrails validate FILE`.
struct GuardrailsValidate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a policy file; prints the first problem with its line."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The policy file (YAML).")
    var file: String

    func run() async throws {
        let (_, policy) = try GuardrailsSupport.readPolicyFile(file)
        print(
            "\(file): valid (\(policy.pii.entities.count + policy.pii.custom.count) entity types, "
                + "\(policy.content.filters.count) content filters, \(policy.topics.count) topics)"
        )
    }
}
