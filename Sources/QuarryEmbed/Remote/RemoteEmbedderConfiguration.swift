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

    /// The endpoint the requests go to.
    public var endpoint: String {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        return base.hasSuffix("/embeddings") ? base : base + "/embeddings"
    }

    /// The settings with the API key masked.
    public var description: String {
        "RemoteEmbedderConfiguration(url: \(url), model: \(model), dimension: \(dimension), "
            + "apiKey: \(apiKey == nil ? "none" : "<redacted>"), batchSize: \(batchSize))"
    }
}
