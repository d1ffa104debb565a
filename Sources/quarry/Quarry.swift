import ArgumentParser

/// The `quarry` command: serve the API, sync documents, ask questions, manage people and keys.
@main
struct Quarry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarry",
        abstract: "A self-hosted assistant that answers questions from your company's documents, with citations.",
        version: "0.1.0",
        subcommands: [
            Serve.self, Sync.self, Ask.self, Embed.self, Embeddings.self, Connectors.self, Users.self, Groups.self,
            Keys.self,
            Documents.self, Demo.self, Bench.self, Guardrails.self,
        ]
    )
}
