import ArgumentParser
import Logging
import QuarryCore
import QuarryStore

struct Groups: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage groups and their members.",
        subcommands: [Add.self, List.self, Remove.self, AddMember.self, RemoveMember.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an empty group.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The group's name.") var name: String

        func run() async throws {
            let store = try global.openStore()
            try await Groups.report { print("added group \(try await store.createGroup(name: name).name)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List groups with their members.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let store = try global.openStore()
            for group in try await store.groups() {
                let members = group.members.isEmpty ? "no members" : group.members.joined(separator: ", ")
                print("\(group.name): \(members)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a group; its members lose access to what the group could read."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The group's name.") var name: String

        func run() async throws {
            let store = try global.openStore()
            try await Groups.report {
                try await store.deleteGroup(named: name)
                print("removed group \(name.lowercased())")
            }
        }
    }

    struct AddMember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user to a group (created if new)."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The group's name.") var group: String
        @Argument(help: "The user's name.") var user: String

        func run() async throws {
            let store = try global.openStore()
            try await Groups.report {
                try await store.addMember(userName: user, toGroup: group)
                print("added \(user.lowercased()) to \(group.lowercased())")
            }
        }
    }

    struct RemoveMember: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user from a group.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The group's name.") var group: String
        @Argument(help: "The user's name.") var user: String

        func run() async throws {
            let store = try global.openStore()
            try await Groups.report {
                try await store.removeMember(userName: user, fromGroup: group)
                print("removed \(user.lowercased()) from \(group.lowercased())")
            }
        }
    }

    /// Runs `body`, reporting a store refusal as a one-line error.
    static func report(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as StoreError {
            throw CLIError("\(error)")
        }
    }
}
