/// A BERT encoder's weights: views into the memory-mapped safetensors file, plus each layer's
/// query, key and value projections packed into one matrix so that one `sgemm` computes all three.
///
/// Dense weights are stored `[out, in]` (PyTorch's `nn.Linear`), so products are `x · Wᵀ`.
// @unchecked Sendable: every buffer is written once in `init` and only read afterwards; the
// mapped file they point into lives as long as this object (`file`).
final class BertWeights: @unchecked Sendable {
    /// One transformer layer.
    struct Layer {
        var queryKeyValue: UnsafeBufferPointer<Float>  // [3·hidden, hidden], packed copy
        var queryKeyValueBias: UnsafeBufferPointer<Float>  // [3·hidden]
        var attentionOutput: UnsafeBufferPointer<Float>  // [hidden, hidden]
        var attentionOutputBias: UnsafeBufferPointer<Float>
        var attentionNormGamma: UnsafeBufferPointer<Float>
        var attentionNormBeta: UnsafeBufferPointer<Float>
        var intermediate: UnsafeBufferPointer<Float>  // [intermediate, hidden]
        var intermediateBias: UnsafeBufferPointer<Float>
        var output: UnsafeBufferPointer<Float>  // [hidden, intermediate]
        var outputBias: UnsafeBufferPointer<Float>
        var outputNormGamma: UnsafeBufferPointer<Float>
        var outputNormBeta: UnsafeBufferPointer<Float>
    }

    let configuration: BertConfiguration
    let wordEmbeddings: UnsafeBufferPointer<Float>
    let positionEmbeddings: UnsafeBufferPointer<Float>
    let tokenTypeEmbeddings: UnsafeBufferPointer<Float>
    let embeddingNormGamma: UnsafeBufferPointer<Float>
    let embeddingNormBeta: UnsafeBufferPointer<Float>
    let layers: [Layer]
    private let file: SafeTensorsFile
    private let packed: [UnsafeMutableBufferPointer<Float>]

    /// Takes the tensors of a `BertModel` (names as Hugging Face writes them, with or without a
    /// `bert.` prefix) from `file`, checking each one's dtype and shape against `configuration`.
    ///
    /// - Throws: ``EmbeddingError/damagedModel(_:)`` naming the first missing or misshapen tensor.
    init(file: SafeTensorsFile, configuration: BertConfiguration) throws {
        self.file = file
        self.configuration = configuration
        let hidden = configuration.hiddenSize
        let inner = configuration.intermediateSize
        let prefix = file.tensors["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        func tensor(_ name: String, _ shape: [Int]) throws -> UnsafeBufferPointer<Float> {
            try file.floats(prefix + name, shape: shape)
        }
        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [configuration.vocabularySize, hidden])
        positionEmbeddings = try tensor(
            "embeddings.position_embeddings.weight",
            [configuration.maximumPositions, hidden]
        )
        tokenTypeEmbeddings = try tensor("embeddings.token_type_embeddings.weight", [2, hidden])
        embeddingNormGamma = try tensor("embeddings.LayerNorm.weight", [hidden])
        embeddingNormBeta = try tensor("embeddings.LayerNorm.bias", [hidden])
        var layers: [Layer] = []
        var packed: [UnsafeMutableBufferPointer<Float>] = []
        do {
            for index in 0..<configuration.layers {
                layers.append(try Self.layer(index, tensor: tensor, hidden: hidden, inner: inner, packed: &packed))
            }
        } catch {
            for buffer in packed { buffer.deallocate() }
            throw error
        }
        self.layers = layers
        self.packed = packed
    }

    private static func layer(
        _ index: Int,
        tensor: (String, [Int]) throws -> UnsafeBufferPointer<Float>,
        hidden: Int,
        inner: Int,
        packed: inout [UnsafeMutableBufferPointer<Float>]
    ) throws -> Layer {
        let name = "encoder.layer.\(index)."
        let parts = try ["query", "key", "value"].map { part in
            (
                try tensor(name + "attention.self.\(part).weight", [hidden, hidden]),
                try tensor(name + "attention.self.\(part).bias", [hidden])
            )
        }
        let weights = UnsafeMutableBufferPointer<Float>.allocate(capacity: 3 * hidden * hidden)
        let biases = UnsafeMutableBufferPointer<Float>.allocate(capacity: 3 * hidden)
        packed += [weights, biases]
        for (offset, (weight, bias)) in parts.enumerated() {
            _ = UnsafeMutableBufferPointer(rebasing: weights[(offset * hidden * hidden)...]).initialize(from: weight)
            _ = UnsafeMutableBufferPointer(rebasing: biases[(offset * hidden)...]).initialize(from: bias)
        }
        return Layer(
            queryKeyValue: UnsafeBufferPointer(weights),
            queryKeyValueBias: UnsafeBufferPointer(biases),
            attentionOutput: try tensor(name + "attention.output.dense.weight", [hidden, hidden]),
            attentionOutputBias: try tensor(name + "attention.output.dense.bias", [hidden]),
            attentionNormGamma: try tensor(name + "attention.output.LayerNorm.weight", [hidden]),
            attentionNormBeta: try tensor(name + "attention.output.LayerNorm.bias", [hidden]),
            intermediate: try tensor(name + "intermediate.dense.weight", [inner, hidden]),
            intermediateBias: try tensor(name + "intermediate.dense.bias", [inner]),
            output: try tensor(name + "output.dense.weight", [hidden, inner]),
            outputBias: try tensor(name + "output.dense.bias", [hidden]),
            outputNormGamma: try tensor(name + "output.LayerNorm.weight", [hidden]),
            outputNormBeta: try tensor(name + "output.LayerNorm.bias", [hidden])
        )
    }

    deinit {
        for buffer in packed { buffer.deallocate() }
    }
}
