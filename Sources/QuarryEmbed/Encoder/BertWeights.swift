/// A BERT encoder's weights: the embeddings, biases and LayerNorm parameters as views into the
/// memory-mapped safetensors file; the dense layers' weights as transposed copies.
///
/// The file stores dense weights `[out, in]` (PyTorch's `nn.Linear`). Handing OpenBLAS `Wᵀ` as a
/// transposed operand made it repack the whole weight matrix with strided reads on every call,
/// which took 60 % of a 12-token query's time; copied once to `[in, out]` at load (42 MB, in place
/// of the mapped pages they replace, which are then never touched), every product is a plain
/// `x · W` (`CblasNoTrans` twice). Query, key and value sit side by side in one `[in, 3·hidden]`
/// matrix, so one `sgemm` computes all three.
// @unchecked Sendable: every buffer is written once in `init` and only read afterwards; the
// mapped file they point into lives as long as this object (`file`).
final class BertWeights: @unchecked Sendable {
    /// One transformer layer.
    struct Layer {
        var queryKeyValue: UnsafeBufferPointer<Float>  // [hidden, 3·hidden]
        var queryKeyValueBias: UnsafeBufferPointer<Float>  // [3·hidden]
        var attentionOutput: UnsafeBufferPointer<Float>  // [hidden, hidden], transposed
        var attentionOutputBias: UnsafeBufferPointer<Float>
        var attentionNormGamma: UnsafeBufferPointer<Float>
        var attentionNormBeta: UnsafeBufferPointer<Float>
        var intermediate: UnsafeBufferPointer<Float>  // [hidden, intermediate]
        var intermediateBias: UnsafeBufferPointer<Float>
        var output: UnsafeBufferPointer<Float>  // [intermediate, hidden]
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
        func weight(_ part: String, out: Int, in: Int) throws -> UnsafeBufferPointer<Float> {
            try tensor(name + part + ".weight", [out, `in`])
        }
        /// The weights `[out_i, in]` side by side and transposed: `[in, Σ out_i]`, row-major.
        func transposed(_ weights: [UnsafeBufferPointer<Float>], in k: Int) -> UnsafeBufferPointer<Float> {
            let outs = weights.map { $0.count / k }
            let width = outs.reduce(0, +)
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: k * width)
            packed.append(buffer)
            var column = 0
            for (weight, out) in zip(weights, outs) {
                for o in 0..<out {
                    for i in 0..<k { buffer[i * width + column + o] = weight[o * k + i] }
                }
                column += out
            }
            return UnsafeBufferPointer(buffer)
        }
        let projections = try ["query", "key", "value"].map {
            try weight("attention.self.\($0)", out: hidden, in: hidden)
        }
        let biases = try ["query", "key", "value"].map { try tensor(name + "attention.self.\($0).bias", [hidden]) }
        let packedBias = UnsafeMutableBufferPointer<Float>.allocate(capacity: 3 * hidden)
        packed.append(packedBias)
        for (offset, bias) in biases.enumerated() {
            _ = UnsafeMutableBufferPointer(rebasing: packedBias[(offset * hidden)...]).initialize(from: bias)
        }
        return Layer(
            queryKeyValue: transposed(projections, in: hidden),
            queryKeyValueBias: UnsafeBufferPointer(packedBias),
            attentionOutput: transposed([try weight("attention.output.dense", out: hidden, in: hidden)], in: hidden),
            attentionOutputBias: try tensor(name + "attention.output.dense.bias", [hidden]),
            attentionNormGamma: try tensor(name + "attention.output.LayerNorm.weight", [hidden]),
            attentionNormBeta: try tensor(name + "attention.output.LayerNorm.bias", [hidden]),
            intermediate: transposed([try weight("intermediate.dense", out: inner, in: hidden)], in: hidden),
            intermediateBias: try tensor(name + "intermediate.dense.bias", [inner]),
            output: transposed([try weight("output.dense", out: hidden, in: inner)], in: inner),
            outputBias: try tensor(name + "output.dense.bias", [hidden]),
            outputNormGamma: try tensor(name + "output.LayerNorm.weight", [hidden]),
            outputNormBeta: try tensor(name + "output.LayerNorm.bias", [hidden])
        )
    }

    deinit {
        for buffer in packed { buffer.deallocate() }
    }
}
