import ArgumentParser
import Foundation
import Logging
import QuarryCore
import QuarryIngest
import QuarryStore

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Set up the demo: index the sample handbook, create alice, bob, carol and admin, and print fresh keys.",
        discussion: """
            Safe to run again: users are created once, the corpus is re-synced incrementally, and each
            run revokes the previous demo keys and prints new ones.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var embedding: EmbeddingOptions

    @Option(help: "The sample corpus to index.")
    var corpus: String = "connectors/samples/handbook"

    @Option(help: "The address the server will listen on, for the example command.")
    var url: String = "http://127.0.0.1:8080"

    static let people: [(name: String, groups: [String], admin: Bool, role: String)] = [
        ("alice", ["engineering"], false, "engineering"),
        ("bob", ["hr"], false, "hr"),
        ("carol", [], false, "no group"),
        ("admin", [], true, "admin"),
    ]

    func run() async throws {
        let logger = try global.makeLogger(defaultLevel: .warning)
        let store = try global.openStore()
        for person in Self.people where try await store.user(named: person.name) == nil {
            try await store.createUser(name: person.name, groups: person.groups, isAdmin: person.admin)
        }

        let root = Sync.absolute(corpus)
        guard FileManager.default.fileExists(atPath: root) else {
            throw CLIError("the sample corpus is not at \(root); run from the repository's root or pass --corpus")
        }
        let definition = ConnectorDefinition.filesystem(name: "handbook", root: root)
        try await store.saveConnector(name: "handbook", type: "filesystem", configuration: try definition.encodedJSON())
        let embedder = try embedding.makeEmbedder(logger: logger)
        let run = try await SyncEngine(store: store, embedder: embedder, logger: logger)
            .sync(connectorName: "handbook")
        if let embedder {
            try await EmbeddingBackfill(store: store, embedder: embedder, logger: logger).embedAwaiting()
        }
        print("Indexed the sample handbook: \(run.counts.summaryLine)")
        for failure in run.failures {
            print("  failed \(failure.externalID): \(failure.reason)")
        }

        var keys: [(name: String, role: String, secret: String)] = []
        for person in Self.people {
            for old in try await store.apiKeys(userName: person.name) where old.label == "demo" && old.revokedAt == nil
            {
                try await store.revokeAPIKey(id: old.id)
            }
            let (_, secret) = try await store.createAPIKey(userName: person.name, label: "demo")
            keys.append((person.name, person.role, secret))
        }

        print("")
        print("Sign in with one of these API keys (new ones are made each time; older demo keys are revoked):")
        for key in keys {
            print(
                "  \(key.name.padding(toLength: 6, withPad: " ", startingAt: 0)) \(("(" + key.role + ")").padding(toLength: 14, withPad: " ", startingAt: 0)) \(key.secret)"
            )
        }
        let bob = keys.first { $0.name == "bob" }!.secret
        let carol = keys.first { $0.name == "carol" }!.secret
        print("")
        print("Ask a question as bob (HR), then as carol, who may not read HR documents:")
        print("  curl -s \(url)/api/v1/chat -H 'Authorization: Bearer \(bob)' \\")
        print(
            "       -H 'Content-Type: application/json' -d '{\"message\": \"What are the salary bands for engineers?\"}'"
        )
        print("  curl -s \(url)/api/v1/chat -H 'Authorization: Bearer \(carol)' \\")
        print(
            "       -H 'Content-Type: application/json' -d '{\"message\": \"What are the salary bands for engineers?\"}'"
        )
        print("")
        print("Or from the command line: quarry ask \"How many days of annual leave do I get?\" --user carol")
    }
}
