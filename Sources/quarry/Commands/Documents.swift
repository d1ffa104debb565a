import ArgumentParser
import Logging
import QuarryCore
import QuarryStore

struct Documents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List indexed documents with their readers.",
        subcommands: [List.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List indexed documents with their readers.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this connector's documents.") var connector: String?

        func run() async throws {
            let store = try global.openStore()
            for document in try await store.documents(connectorName: connector) {
                let readers =
                    document.policy.readers.isEmpty ? "admins only" : document.policy.readerKeys.joined(separator: ",")
                print(
                    "\(document.id)\t\(document.connectorName)\t\(document.externalID)\t\(document.passageCount) passages\t\(readers)"
                )
            }
        }
    }
}
