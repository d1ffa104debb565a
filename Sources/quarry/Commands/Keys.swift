import ArgumentParser
import Foundation
import Logging
import QuarryCore
import QuarryStore

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke API keys.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API key for a user. The key is printed once, alone on the last line."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user the key signs in.") var user: String
        @Option(help: "What the key is for.") var label: String = "default"

        func run() async throws {
            let store = try global.openStore()
            do {
                let (info, secret) = try await store.createAPIKey(userName: user, label: label)
                print("created key \(info.id) for \(info.userName) (\(info.label)); it is shown only now:")
                print(secret)
            } catch let error as StoreError {
                throw CLIError("\(error)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never the keys themselves).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this user's keys.") var user: String?

        func run() async throws {
            let store = try global.openStore()
            let formatter = ISO8601DateFormatter()
            for key in try await store.apiKeys(userName: user) {
                let state =
                    key.revokedAt.map { "revoked \(formatter.string(from: $0))" }
                    ?? key.lastUsedAt.map { "last used \(formatter.string(from: $0))" } ?? "never used"
                print("\(key.id)\t\(key.userName)\t\(key.label)\t\(key.hint)…\t\(state)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its id.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key's id, as `quarry keys list` shows it.") var id: Int64

        func run() async throws {
            let store = try global.openStore()
            do {
                try await store.revokeAPIKey(id: id)
                print("revoked key \(id)")
            } catch let error as StoreError {
                throw CLIError("\(error)")
            }
        }
    }
}
