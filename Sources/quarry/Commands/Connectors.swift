import ArgumentParser
import Foundation
import QuarryIngest
import QuarryStore

struct Connectors: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add, list, show and remove connectors (the sources Quarry syncs).",
        subcommands: [Add.self, List.self, Show.self, Remove.self, Runs.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a connector from a YAML file, or replace the one with the same name.",
            discussion: "See connectors/examples/ for one commented file per type (filesystem, s3, web)."
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "The connector's YAML file.") var file: String

        func run() async throws {
            let store = try global.openStore()
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw CLIError("cannot read \(file)")
            }
            let definition: ConnectorDefinition
            do {
                let value = try ConfigValue.parse(yaml: text)
                var existing: ConnectorDefinition?
                if case .map(let entries, _) = value,
                    case .scalar(let name, _) = entries.first(where: { $0.key == "name" })?.value
                {
                    existing = try await store.connectorDefinition(named: name)
                }
                definition = try ConnectorDefinition(configuration: value, existing: existing)
            } catch let error as ConnectorDefinitionError {
                throw CLIError("\(file): \(error)")
            }
            let replaced = try await store.connector(named: definition.name) != nil
            try await store.saveConnector(definition)
            print("\(replaced ? "replaced" : "added") connector \(definition.name) (\(definition.type.rawValue))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List connectors with their last run.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try global.openStore()
            for record in try await store.connectors() {
                let last = try await store.syncRuns(connectorName: record.name, limit: 1).first
                let summary = last.map { "\($0.status.rawValue) \($0.counts.summaryLine)" } ?? "never synced"
                print("\(record.name)\t\(record.type)\t\(summary)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a connector's settings (secrets masked).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The connector's name.") var name: String

        func run() async throws {
            let store = try global.openStore()
            guard let definition = try await store.connectorDefinition(named: name) else {
                throw CLIError("there is no connector named \"\(name)\"")
            }
            for (key, value) in definition.configurationPairs(redacted: true) {
                let text = (value as? [String]).map { "[" + $0.joined(separator: ", ") + "]" } ?? "\(value)"
                print("\(key): \(text)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a connector with every document it indexed."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The connector's name.") var name: String

        func run() async throws {
            let store = try global.openStore()
            do {
                try await store.deleteConnector(named: name)
            } catch let error as StoreError {
                throw CLIError("\(error)")
            }
            print("removed connector \(name) and its documents")
        }
    }

    struct Runs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a connector's recent syncs and their failures.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The connector's name.") var name: String
        @Option(help: "How many runs.") var limit: Int = 10

        func run() async throws {
            let store = try global.openStore()
            guard try await store.connector(named: name) != nil else {
                throw CLIError("there is no connector named \"\(name)\"")
            }
            let formatter = ISO8601DateFormatter()
            for run in try await store.syncRuns(connectorName: name, limit: limit) {
                let finished = run.finishedAt.map { formatter.string(from: $0) } ?? "-"
                print(
                    "\(run.id)\t\(run.mode)\t\(run.status.rawValue)\t\(formatter.string(from: run.startedAt))\t\(finished)\t\(run.counts.summaryLine)"
                )
                if let error = run.error { print("    error: \(error)") }
                for failure in run.failures { print("    failed \(failure.externalID): \(failure.reason)") }
                for warning in run.warnings { print("    warning \(warning.externalID): \(warning.message)") }
            }
        }
    }
}
