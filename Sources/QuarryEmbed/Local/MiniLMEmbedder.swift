import Dispatch
public import QuarryCore

/// all-MiniLM-L6-v2 run in-process: WordPiece tokens, a 6-layer BERT encoder over OpenBLAS, mean
/// pooling and L2 normalisation; 384-dimensional unit vectors.
///
/// ```swift
/// let embedder = try MiniLMEmbedder()
/// let vectors = try await embedder.embed(["Where is the office?", "Our office is in Leeds."])
/// ```
///
/// Loading maps the weights (about 90 MB, shared through the page cache) and reads the vocabulary;
/// a missing or damaged model fails here, with a message naming what to install. Texts are
/// tokenized, sorted by length and encoded in batches of up to
/// ``EmbeddingConfiguration/batchSize``, each packed without padding. All of it runs on the
/// embedder's own serial dispatch queue, never on Swift's cooperative pool, since BLAS calls
/// block; concurrent calls wait their turn.
///
/// ## Topics
/// - ``embed(_:)``
/// - ``tokenize(_:)``
/// - ``embed(tokens:)``
public struct MiniLMEmbedder: Embedder {
    /// The model's name, as recorded beside the vectors it makes.
    public static let modelName = "sentence-transformers/all-MiniLM-L6-v2"

    public let model: String
    public let dimension: Int
    /// The tokenizer (its ``WordPieceTokenizer/maximumLength`` is the configured sequence length).
    public let tokenizer: WordPieceTokenizer
    /// The settings it was made with.
    public let configuration: EmbeddingConfiguration
    /// The folder the model's files were read from.
    public let modelDirectory: String

    private let encoder: BertEncoder
    private let queue = DispatchQueue(label: "quarry.embedding.minilm", qos: .userInitiated)

    /// Loads the model named by `configuration` (or found by `locator`).
    ///
    /// - Throws: ``EmbeddingError/modelNotFound(_:)`` when there is no model,
    ///   ``EmbeddingError/damagedModel(_:)`` when its files are unusable, and
    ///   ``EmbeddingError/invalidConfiguration(_:)`` for settings out of range.
    public init(
        configuration: EmbeddingConfiguration = EmbeddingConfiguration(),
        locator: ModelLocator = ModelLocator()
    )
        throws
    {
        guard configuration.threads >= 1, configuration.batchSize >= 1 else {
            throw EmbeddingError.invalidConfiguration(
                "embedding threads (\(configuration.threads)) and batch size (\(configuration.batchSize)) must be at least 1"
            )
        }
        let directory = try locator.modelDirectory(configured: configuration.modelPath)
        let bert = try BertConfiguration(contentsOf: directory + "/config.json")
        guard configuration.maximumSequenceLength >= 2, configuration.maximumSequenceLength <= bert.maximumPositions
        else {
            throw EmbeddingError.invalidConfiguration(
                "maximum sequence length \(configuration.maximumSequenceLength) is outside 2…\(bert.maximumPositions)"
            )
        }
        let file = try SafeTensorsFile(path: directory + "/model.safetensors")
        let weights = try BertWeights(file: file, configuration: bert)
        let tokenizer = try WordPieceTokenizer(
            vocabularyAt: directory + "/vocab.txt",
            maximumLength: configuration.maximumSequenceLength
        )
        guard tokenizer.vocabularySize == bert.vocabularySize else {
            throw EmbeddingError.damagedModel(
                "\(directory)/vocab.txt has \(tokenizer.vocabularySize) tokens but the model has \(bert.vocabularySize);"
                    + " \(EmbeddingError.installHint)"
            )
        }
        self.encoder = BertEncoder(weights: weights)
        self.tokenizer = tokenizer
        self.configuration = configuration
        self.modelDirectory = directory
        self.model = Self.modelName
        self.dimension = bert.hiddenSize
    }

    /// The token ids the model reads for `text` (`[CLS] … [SEP]`, truncated).
    public func tokenize(_ text: String) -> [Int32] {
        tokenizer.encode(text)
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        try Task.checkCancellation()
        return await run { [tokenizer] in encodeSorted(texts.map(tokenizer.encode)) }
    }

    /// Vectors for sequences of token ids that came from ``tokenize(_:)``.
    ///
    /// Ids outside the vocabulary become `[UNK]`; sequences longer than the maximum are cut
    /// (keeping the final `[SEP]`); an empty sequence gets a zero vector.
    public func embed(tokens: [[Int32]]) async -> [[Float]] {
        let limit = configuration.maximumSequenceLength
        let size = Int32(tokenizer.vocabularySize)
        let unknown = tokenizer.unknownID
        let sequences = tokens.map { ids -> [Int32] in
            var ids = ids.map { $0 >= 0 && $0 < size ? $0 : unknown }
            if ids.count > limit { ids = Array(ids.prefix(limit - 1)) + [ids[ids.count - 1]] }
            return ids
        }
        return await run { encodeSorted(sequences) }
    }

    private func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }

    /// Encodes in batches of similar lengths, and puts the vectors back in the callers' order.
    private func encodeSorted(_ sequences: [[Int32]]) -> [[Float]] {
        var results = [[Float]](repeating: [Float](repeating: 0, count: dimension), count: sequences.count)
        let order = sequences.indices.filter { !sequences[$0].isEmpty }.sorted {
            (sequences[$0].count, $0) < (sequences[$1].count, $1)
        }
        var start = 0
        while start < order.count {
            let batch = Array(order[start..<min(order.count, start + configuration.batchSize)])
            let tokens = batch.reduce(0) { $0 + sequences[$1].count }
            let threads = tokens >= configuration.parallelTokenThreshold ? configuration.threads : 1
            BLAS.setThreadCount(threads)
            let vectors = encoder.encode(batch.map { sequences[$0] }, threads: threads)
            for (index, vector) in zip(batch, vectors) { results[index] = vector }
            start += batch.count
        }
        return results
    }
}
