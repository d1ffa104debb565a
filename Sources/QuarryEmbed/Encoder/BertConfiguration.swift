import Foundation

/// The shape of a BERT encoder, as its `config.json` gives it.
public struct BertConfiguration: Sendable, Equatable, Decodable {
    /// Width of every token's vector (384 for MiniLM-L6).
    public var hiddenSize: Int
    /// Attention heads per layer (12).
    public var attentionHeads: Int
    /// Transformer layers (6).
    public var layers: Int
    /// Width of the feed-forward layer (1536).
    public var intermediateSize: Int
    /// Tokens in the vocabulary (30,522).
    public var vocabularySize: Int
    /// Rows of the position embedding table (512).
    public var maximumPositions: Int
    /// LayerNorm's epsilon (1e-12).
    public var layerNormEpsilon: Float
    /// The feed-forward activation; only `gelu` (the erf form) is supported.
    public var activation: String

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case attentionHeads = "num_attention_heads"
        case layers = "num_hidden_layers"
        case intermediateSize = "intermediate_size"
        case vocabularySize = "vocab_size"
        case maximumPositions = "max_position_embeddings"
        case layerNormEpsilon = "layer_norm_eps"
        case activation = "hidden_act"
    }

    /// Reads and checks `config.json`.
    ///
    /// - Throws: ``EmbeddingError/modelNotFound(_:)`` without the file,
    ///   ``EmbeddingError/damagedModel(_:)`` if it is not a BERT configuration this encoder runs.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EmbeddingError.modelNotFound("\(path) does not exist; \(EmbeddingError.installHint)")
        }
        do {
            self = try JSONDecoder().decode(BertConfiguration.self, from: data)
        } catch {
            throw EmbeddingError.damagedModel(
                "\(path) is not a BERT config.json (\(error)); \(EmbeddingError.installHint)"
            )
        }
        guard activation == "gelu" else {
            throw EmbeddingError.damagedModel("\(path) asks for activation \(activation); only gelu is supported")
        }
        guard hiddenSize > 0, attentionHeads > 0, hiddenSize % attentionHeads == 0, layers > 0, intermediateSize > 0,
            vocabularySize > 0, maximumPositions > 0
        else {
            throw EmbeddingError.damagedModel("\(path) has sizes this encoder cannot run")
        }
    }

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / attentionHeads }
}
