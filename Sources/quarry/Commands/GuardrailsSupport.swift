import ArgumentParser
import Foundation
import Logging
import QuarryAnswer
import QuarryCore
import QuarryEmbed
import QuarryGuardrails
import QuarryStore

/// Shared pieces of the `guardrails` commands, `ask` and `serve`.
enum GuardrailsSupport {
    /// The policy in force in the data directory, or the built-in default when none was set
    /// (or when the data directory has no database yet).
    static func policyInForce(global: GlobalOptions) async throws -> GuardrailPolicy {
        guard FileManager.default.fileExists(atPath: global.dataDirectory + "/" + Store.fileName) else {
            return .default
        }
        guard let active = try await global.openStore().activeGuardrailPolicy() else { return .default }
        do {
            return try GuardrailPolicy(yaml: active.source)
        } catch {
            throw CLIError("the guardrail policy in force (version \(active.id)) does not parse: \(error)")
        }
    }

    /// The in-process model for topic similarity, or `nil` (with a warning) when it is not installed.
    static func embedder(logger: Logger) -> (any Embedder)? {
        do {
            return try MiniLMEmbedder(
                configuration: try EmbeddingConfiguration(environment: ProcessInfo.processInfo.environment)
            )
        } catch {
            logger.warning("guardrail topics use keywords only: the embedding model is not available (\(error))")
            return nil
        }
    }

    /// The moderation endpoint named by `QUARRY_MODERATION_URL` (see docs/guardrails.md), or `nil`.
    static func moderation(logger: Logger) throws -> (any ContentClassifier)? {
        do {
            guard let configuration = try ModerationConfiguration.fromEnvironment(ProcessInfo.processInfo.environment)
            else { return nil }
            logger.info("content filters ask a moderation endpoint", metadata: ["moderation": "\(configuration)"])
            return try ModerationClassifier(configuration: configuration, logger: logger)
        } catch let error as LanguageModelError {
            throw CLIError("cannot use the moderation endpoint: \(error)")
        }
    }

    /// `quarry guardrails test --json`.
    struct TestOutput: Encodable {
        var stage: String
        var decision: String
        var text: String
        var blockedBy: GuardrailFinding?
        var findings: [GuardrailFinding]

        init(_ result: GuardrailResult) {
            stage = result.stage.rawValue
            decision = result.verdict.rawValue
            text = result.text
            blockedBy = result.blockedBy
            findings = result.findings
        }
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func slice(_ text: String, _ start: Int?, _ end: Int?) -> String {
        guard let start, let end else { return "" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: Array(text.unicodeScalars)[start..<end])
        return String(view)
    }

    static func readPolicyFile(_ file: String) throws -> (String, GuardrailPolicy) {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw CLIError("cannot read \(file): \(error.localizedDescription)")
        }
        do {
            return (text, try GuardrailPolicy(yaml: text))
        } catch let error as GuardrailPolicyError {
            throw CLIError("\(file): \(error)")
        }
    }
}

/// `quarry guardrails show`.
struct GuardrailsShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the policy in force.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Print this version instead.")
    var version: Int64?

    func run() async throws {
        let store = try global.openStore()
        if let version {
            guard let stored = try await store.guardrailPolicyVersion(id: version) else {
                throw CLIError("there is no guardrail policy version \(version); see `quarry guardrails versions`")
            }
            print(stored.source, terminator: stored.source.hasSuffix("\n") ? "" : "\n")
            return
        }
        guard let active = try await store.activeGuardrailPolicy() else {
            print("# the built-in default (guardrails/default.yaml) is in force")
            print(GuardrailPolicy.defaultYAML, terminator: "")
            return
        }
        print("# version \(active.id), saved by \(active.author)")
        print(active.source, terminator: active.source.hasSuffix("\n") ? "" : "\n")
    }
}

/// `quarry guardrails set FILE`.
struct GuardrailsSet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Validate a policy file and put it in force as a new version."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The policy file (YAML).")
    var file: String

    func run() async throws {
        let (text, _) = try GuardrailsSupport.readPolicyFile(file)
        let saved = try await global.openStore().saveGuardrailPolicy(source: text, author: "cli")
        print("guardrail policy version \(saved.id) is in force")
    }
}

/// `quarry guardrails versions`.
struct GuardrailsVersions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "versions", abstract: "List the policy's versions.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let store = try global.openStore()
        let active = try await store.activeGuardrailPolicyID()
        let versions = try await store.guardrailPolicyVersions()
        if versions.isEmpty { print("no versions: the built-in default is in force") }
        let formatter = ISO8601DateFormatter()
        for version in versions {
            let restored = version.restoredFrom.map { " (restores \($0))" } ?? ""
            let marker = version.id == active ? "*" : " "
            print("\(marker) \(version.id)  \(formatter.string(from: version.createdAt))  \(version.author)\(restored)")
        }
    }
}

/// `quarry guardrails rollback VERSION`.
struct GuardrailsRollback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Put an earlier version back in force (saved as a new version)."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The version to restore.")
    var version: Int64

    func run() async throws {
        let store = try global.openStore()
        guard let old = try await store.guardrailPolicyVersion(id: version) else {
            throw CLIError("there is no guardrail policy version \(version); see `quarry guardrails versions`")
        }
        do {
            _ = try GuardrailPolicy(yaml: old.source)
        } catch {
            throw CLIError("version \(version) is not valid for this Quarry: \(error)")
        }
        let saved = try await store.rollBackGuardrailPolicy(to: version, author: "cli")
        print("guardrail policy version \(saved.id) (restoring \(version)) is in force")
    }
}
