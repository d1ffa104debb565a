import ArgumentParser
import Dispatch
import Foundation
import Logging
import QuarryCore
import QuarryExtract
import QuarryIngest
import QuarryStore

struct Sync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Index a folder, or re-sync a connector, and print what changed.",
        discussion: """
            The first sync of a folder creates a filesystem connector for it (named after the folder
            unless --connector says otherwise). Later syncs of that connector need only --connector.
            The last line is a summary: added=N updated=N unchanged=N deleted=N failed=N
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var embedding: EmbeddingOptions

    @Argument(help: "The folder to index.")
    var path: String?

    @Option(help: "The connector's name.")
    var connector: String?

    @Option(
        name: .customLong("default-reader"),
        help:
            "Who may read files that no .acl.json covers (repeatable): everyone, user:NAME, group:NAME, or none (admins only, the default)."
    )
    var defaultReaders: [String] = []

    @Option(help: "Passage size in characters.")
    var chunkSize: Int?

    @Option(help: "Characters of overlap between consecutive passages of a section.")
    var chunkOverlap: Int?

    @Flag(help: "Fetch and re-index every document, ignoring version stamps.")
    var full = false

    func validate() throws {
        if path == nil && connector == nil {
            throw ValidationError("give the folder to index, or --connector NAME to re-sync a connector")
        }
    }

    func run() async throws {
        let logger = try global.makeLogger(defaultLevel: .warning)
        let store = try global.openStore()
        let name = try connectorName()
        var definition: ConnectorDefinition
        let existing = try await store.connector(named: name)

        if let existing {
            definition = try ConnectorDefinition.decode(json: existing.configuration)
            if let path {
                let root = Self.absolute(path)
                guard definition.root == root else {
                    throw CLIError(
                        "the connector \"\(name)\" already reads \(definition.root ?? "another source"); "
                            + "re-sync it with `quarry sync --connector \(name)` or choose another --connector name"
                    )
                }
            }
        } else {
            guard let path else {
                throw CLIError(
                    "there is no connector named \"\(name)\"; index a folder with `quarry sync PATH --connector \(name)`"
                )
            }
            definition = ConnectorDefinition.filesystem(name: name, root: Self.absolute(path))
        }
        if defaultReaders == ["none"] {
            definition.defaultReaders = []
        } else if !defaultReaders.isEmpty {
            definition.defaultReaders = defaultReaders
        }
        if let chunkSize { definition.chunking.targetSize = chunkSize }
        if let chunkOverlap { definition.chunking.overlap = chunkOverlap }
        do {
            try definition.validate()
        } catch {
            throw CLIError("\(error)")
        }
        let json = try definition.encodedJSON()
        if existing?.configuration != json {
            try await store.saveConnector(name: name, type: definition.type.rawValue, configuration: json)
        }

        let embedder = try embedding.makeEmbedder(logger: logger)
        let engine = SyncEngine(store: store, embedder: embedder, logger: logger)
        let printer = ProgressPrinter()
        let root = definition.root
        let mode: SyncMode = full ? .full : .incremental
        let task = Task {
            let run = try await engine.sync(connectorName: name, mode: mode) { event in printer.print(event, root: root)
            }
            // Passages the sync left without a vector (streamed documents, an earlier failure).
            if let embedder {
                let backfill = EmbeddingBackfill(store: store, embedder: embedder, logger: logger)
                let embedded = try await backfill.embedAwaiting { count in
                    if count % 1024 < 128, count >= 1024 { Console.line("  … \(count) passages embedded") }
                }
                if embedded > 0 { Console.line("Embedded \(embedded) passages that had no vector yet") }
            }
            return run
        }
        // Ctrl-C cancels the run: it records itself as cancelled, deletes nothing and releases its lease.
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { task.cancel() }
        interrupt.resume()
        defer { interrupt.cancel() }
        do {
            let run = try await task.value
            Console.line(run.counts.summaryLine)
        } catch is CancellationError {
            throw CLIError("sync of \"\(name)\" cancelled; nothing was deleted")
        } catch {
            throw CLIError("sync of \"\(name)\" stopped: \(error)")
        }
    }

    private func connectorName() throws -> String {
        if let connector { return connector.lowercased() }
        let folder = URL(fileURLWithPath: Self.absolute(path!)).lastPathComponent.lowercased()
        let cleaned = String(folder.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "-" })
        guard let first = cleaned.first, first.isLetter || first.isNumber else {
            throw ValidationError("cannot name a connector after \"\(folder)\"; give one with --connector NAME")
        }
        return cleaned
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}

/// Prints one line per document that changed or failed, and a count every 200 documents.
final class ProgressPrinter: Sendable {
    private let seen = Counter()

    func print(_ event: SyncEvent, root: String?) {
        switch event {
        case .started(let connector, let mode, _):
            Console.line("Syncing \(connector) (\(mode.rawValue))\(root.map { " from \($0)" } ?? "")")
        case .added(let id): Console.line("  added     \(id)")
        case .updated(let id): Console.line("  updated   \(id)")
        case .deleted(let id): Console.line("  deleted   \(id)")
        case .failed(let id, let reason): Console.line("  failed    \(id): \(reason)")
        case .warned(let id, let message): Console.line("  warning   \(id): \(message)")
        case .unchanged: break
        }
        if case .started = event { return }
        if case .deleted = event { return }
        if case .warned = event { return }
        let count = seen.increment()
        if count % 200 == 0 { Console.line("  … \(count) documents checked") }
    }
}

/// A counter shared by the progress callback.
final class Counter: @unchecked Sendable {  // guarded by `lock`
    private let lock = NSLock()
    private var value = 0

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

/// Writes lines to standard output unbuffered, so progress shows up at once even through a pipe.
enum Console {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
