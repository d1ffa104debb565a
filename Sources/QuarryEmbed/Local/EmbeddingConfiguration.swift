import Foundation

/// Settings of the in-process embedder, each with a default.
///
/// | key | environment variable | default |
/// |---|---|---|
/// | `embedding.model_path` | `QUARRY_EMBEDDING_MODEL_PATH` | found in `.venv` (see ``ModelLocator``) |
/// | `embedding.threads` | `QUARRY_EMBEDDING_THREADS` | the number of cores |
/// | `embedding.batch_size` | `QUARRY_EMBEDDING_BATCH_SIZE` | 32 |
/// | `embedding.max_sequence_length` | `QUARRY_EMBEDDING_MAX_SEQUENCE_LENGTH` | 256 |
public struct EmbeddingConfiguration: Sendable, Hashable {
    /// A folder with `model.safetensors`, `config.json` and `vocab.txt` (or a folder whose `model/`
    /// subfolder has them). `nil` looks in the project's `.venv`.
    public var modelPath: String?
    /// OpenBLAS threads for batches of at least ``parallelTokenThreshold`` tokens; smaller work
    /// (a single query) always runs on one thread, which is faster there.
    public var threads: Int
    /// The most texts encoded in one forward pass.
    public var batchSize: Int
    /// Tokens per text, `[CLS]` and `[SEP]` included; longer texts are cut (the model's own limit
    /// is 256, and it was trained on no more).
    public var maximumSequenceLength: Int
    /// Batches with fewer tokens than this run on one BLAS thread.
    public var parallelTokenThreshold: Int

    /// The default thread count: the number of active cores.
    public static var defaultThreads: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Creates a configuration.
    public init(
        modelPath: String? = nil,
        threads: Int = EmbeddingConfiguration.defaultThreads,
        batchSize: Int = 32,
        maximumSequenceLength: Int = 256,
        parallelTokenThreshold: Int = 256
    ) {
        self.modelPath = modelPath
        self.threads = threads
        self.batchSize = batchSize
        self.maximumSequenceLength = maximumSequenceLength
        self.parallelTokenThreshold = parallelTokenThreshold
    }

    /// The defaults overridden by the `QUARRY_EMBEDDING_*` environment variables in the table above.
    ///
    /// - Throws: ``EmbeddingError/invalidConfiguration(_:)`` for a number that does not parse or is
    ///   out of range.
    public init(environment: [String: String]) throws {
        self.init()
        if let path = environment["QUARRY_EMBEDDING_MODEL_PATH"], !path.isEmpty { modelPath = path }
        func number(_ name: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw EmbeddingError.invalidConfiguration("\(name)=\(text) is not a whole number in \(range)")
            }
            return value
        }
        threads = try number("QUARRY_EMBEDDING_THREADS", 1...256) ?? threads
        batchSize = try number("QUARRY_EMBEDDING_BATCH_SIZE", 1...4096) ?? batchSize
        maximumSequenceLength = try number("QUARRY_EMBEDDING_MAX_SEQUENCE_LENGTH", 2...512) ?? maximumSequenceLength
    }
}
