import QuarryCore

/// Settings of ``RemoteEmbedder``, each with a default but the endpoint and the model.
///
/// | key | environment variable |
/// |---|---|
/// | `embedding.remote.url` | `QUARRY_EMBEDDING_REMOTE_URL` |
/// | `embedding.remote.model` | `QUARRY_EMBEDDING_REMOTE_MODEL` |
/// | `embedding.remote.dimension` | `QUARRY_EMBEDDING_REMOTE_DIMENSION` |
/// | `embedding.remote.api_key` (secret) | `QUARRY_EMBEDDING_REMOTE_API_KEY` |
/// | `embedding.remote.batch_size` | (64) |
/// | `embedding.remote.timeout_seconds` | (60) |
/// | `embedding.remote.max_response_bytes` | (64 MiB) |
public struct RemoteEmbedderConfiguration: Sendable, CustomStringConvertible {
    /// The API's base, such as `http://127.0.0.1:8000/v1`; requests go to `<url>/embeddings`
    /// (a URL that already ends in `/embeddings` is used as it is).
    public var url: String
    /// The model to ask for, recorded beside the vectors.
    public var model: String
    /// The length of the model's vectors; an answer of another length is refused.
    public var dimension: Int
    /// Sent as `Authorization: Bearer …`; never logged or printed.
    public var apiKey: String?
    /// The most texts per request.
    public var batchSize: Int
    /// Each request's deadline, body included.
    public var timeout: Duration
    /// Larger answers are refused (and not read).
    public var maximumResponseBytes: Int

    /// Creates a configuration.
    public init(
        url: String,
        model: String,
        dimension: Int,
        apiKey: String? = nil,
        batchSize: Int = 64,
        timeout: Duration = .seconds(60),
        maximumResponseBytes: Int = 64 << 20
    ) {
        self.url = url
        self.model = model
        self.dimension = dimension
        self.apiKey = apiKey
        self.batchSize = batchSize
        self.timeout = timeout
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// The remote embedder named by the `QUARRY_EMBEDDING_REMOTE_*` variables, or `nil` when
    /// `QUARRY_EMBEDDING_REMOTE_URL` is not set.
    ///
    /// - Throws: ``EmbeddingError/invalidConfiguration(_:)`` when the URL is set but the model or a
    ///   positive dimension is missing.
    public static func fromEnvironment(_ environment: [String: String]) throws -> RemoteEmbedderConfiguration? {
        guard let url = environment["QUARRY_EMBEDDING_REMOTE_URL"], !url.isEmpty else { return nil }
        guard let model = environment["QUARRY_EMBEDDING_REMOTE_MODEL"], !model.isEmpty,
            let dimension = environment["QUARRY_EMBEDDING_REMOTE_DIMENSION"].flatMap({ Int($0) }), dimension > 0
        else {
            throw EmbeddingError.invalidConfiguration(
                "QUARRY_EMBEDDING_REMOTE_URL is set: QUARRY_EMBEDDING_REMOTE_MODEL and a positive"
                    + " QUARRY_EMBEDDING_REMOTE_DIMENSION are needed too"
            )
        }
        let key = environment["QUARRY_EMBEDDING_REMOTE_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        return RemoteEmbedderConfiguration(url: url, model: model, dimension: dimension, apiKey: key)
    }

    /// The endpoint the requests go to.
    public var endpoint: String { url.appendingAPIPath("/embeddings") }

    /// The settings with the API key masked.
    public var description: String {
        "RemoteEmbedderConfiguration(url: \(url.redactingURLSecrets), model: \(model), dimension: \(dimension), "
            + "apiKey: \(apiKey == nil ? "none" : "<redacted>"), batchSize: \(batchSize))"
    }
}
