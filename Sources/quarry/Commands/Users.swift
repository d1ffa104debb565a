import ArgumentParser
import Logging
import QuarryCore
import QuarryStore

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add, list and remove users.",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user; groups named for the first time are created."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The user's name: letters, digits and . _ - @ +")
        var name: String

        @Option(name: .customLong("group"), help: "A group the user belongs to (repeatable).")
        var groups: [String] = []

        @Flag(help: "Make the user an admin: admins may read every document.")
        var admin = false

        func run() async throws {
            let store = try global.openStore()
            do {
                let user = try await store.createUser(name: name, groups: groups, isAdmin: admin)
                print("added user \(user.name)\(Users.describe(user))")
            } catch let error as StoreError {
                throw CLIError("\(error)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users with their groups.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try global.openStore()
            for user in try await store.users() {
                print("\(user.name)\(Users.describe(user))")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a user with their keys and conversations."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The user's name.")
        var name: String

        func run() async throws {
            let store = try global.openStore()
            do {
                try await store.deleteUser(named: name)
                print("removed user \(name.lowercased())")
            } catch let error as StoreError {
                throw CLIError("\(error)")
            }
        }
    }

    static func describe(_ user: User) -> String {
        var parts: [String] = []
        if user.isAdmin { parts.append("admin") }
        if !user.groups.isEmpty { parts.append("groups: " + user.groups.joined(separator: ", ")) }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: "; ") + ")"
    }
}
