import COpenBLAS
import Dispatch

/// The forward pass of a BERT sentence encoder with mean pooling: token ids in, unit vectors out.
///
/// A batch is *packed*: the sequences' tokens are stacked into one matrix of `Σ lengths` rows with
/// no padding, so the dense layers (query/key/value, attention output, feed-forward) are one
/// `cblas_sgemm` each over every token of the batch, and attention runs per sequence over its own
/// rows only. That is exactly a padding mask (a padded key gets weight e^−∞ = 0), without the
/// work on padding. Per layer: attention with 12 heads, residual and LayerNorm; feed-forward with
/// erf-GELU, residual and LayerNorm. The sentence vector is the mean of its token vectors,
/// L2-normalised.
///
/// Calls block on BLAS: run them off Swift's cooperative pool (``MiniLMEmbedder`` uses its own
/// thread). The encoder keeps no state between calls, but OpenBLAS's thread count is per process.
// @unchecked Sendable: immutable after `init` (the weights are read-only).
final class BertEncoder: @unchecked Sendable {
    let weights: BertWeights
    private var configuration: BertConfiguration { weights.configuration }

    init(weights: BertWeights) {
        self.weights = weights
    }

    /// The width of the output vectors.
    var dimension: Int { weights.configuration.hiddenSize }

    /// Sentence vectors for each sequence of token ids (each non-empty, ids below the vocabulary's
    /// size, at most ``BertConfiguration/maximumPositions`` long).
    ///
    /// With `threads` above 1, OpenBLAS runs each dense product on that many threads, and the rest
    /// (attention per sequence, GELU) is split across as many dispatch workers, with OpenBLAS on
    /// one thread each meanwhile.
    func encode(_ sequences: [[Int32]], threads: Int = 1) -> [[Float]] {
        let hidden = configuration.hiddenSize
        let inner = configuration.intermediateSize
        let rows = sequences.reduce(0) { $0 + $1.count }
        guard rows > 0 else { return sequences.map { _ in [Float](repeating: 0, count: hidden) } }
        let longest = sequences.map(\.count).max() ?? 0
        var starts: [Int] = []
        var offset = 0
        for sequence in sequences {
            starts.append(offset)
            offset += sequence.count
        }

        let state = UnsafeMutablePointer<Float>.allocate(capacity: rows * hidden)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: rows * hidden)
        let queryKeyValue = UnsafeMutablePointer<Float>.allocate(capacity: rows * 3 * hidden)
        let context = UnsafeMutablePointer<Float>.allocate(capacity: rows * hidden)
        let intermediate = UnsafeMutablePointer<Float>.allocate(capacity: rows * inner)
        let workers = max(1, min(threads, sequences.count))
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: workers * longest * longest)
        defer {
            for buffer in [state, scratch, queryKeyValue, context, intermediate, scores] { buffer.deallocate() }
        }

        embed(sequences, into: state)
        for layer in weights.layers {
            // Query, key and value for every token: [rows, 3·hidden].
            fillRows(queryKeyValue, rows: rows, with: layer.queryKeyValueBias)
            BLAS.multiply(
                state,
                layer.queryKeyValue.baseAddress!,
                into: queryKeyValue,
                m: rows,
                n: 3 * hidden,
                k: hidden
            )
            let shared = (queryKeyValue: Shared(queryKeyValue), context: Shared(context), scores: Shared(scores))
            Self.split(sequences.count, workers: workers) { [starts, sequences] worker, range in
                for index in range {
                    attend(
                        shared.queryKeyValue.pointer,
                        start: starts[index],
                        length: sequences[index].count,
                        into: shared.context.pointer,
                        scores: shared.scores.pointer + worker * longest * longest
                    )
                }
            }
            // Attention output + bias + residual, then LayerNorm.
            projectAddAndNormalize(
                context,
                layer.attentionOutput,
                bias: layer.attentionOutputBias,
                residual: state,
                into: scratch,
                rows: rows,
                inner: hidden,
                gamma: layer.attentionNormGamma,
                beta: layer.attentionNormBeta
            )
            // Feed-forward: GELU(x·W₁ᵀ + b₁)·W₂ᵀ + b₂ + x, then LayerNorm.
            fillRows(intermediate, rows: rows, with: layer.intermediateBias)
            BLAS.multiply(
                scratch,
                layer.intermediate.baseAddress!,
                into: intermediate,
                m: rows,
                n: inner,
                k: hidden
            )
            let activations = Shared(intermediate)
            Self.split(rows, workers: workers) { _, range in
                VectorMath.geluInPlace(activations.pointer + range.lowerBound * inner, count: range.count * inner)
            }
            projectAddAndNormalize(
                intermediate,
                layer.output,
                bias: layer.outputBias,
                residual: scratch,
                into: state,
                rows: rows,
                inner: inner,
                gamma: layer.outputNormGamma,
                beta: layer.outputNormBeta
            )
        }
        return sequences.indices.map { pool(state + starts[$0] * hidden, length: sequences[$0].count) }
    }

    /// Runs `body` over `count` items cut into `workers` contiguous ranges, on as many threads
    /// (`DispatchQueue.concurrentPerform`), with OpenBLAS on one thread per caller meanwhile.
    private static func split(_ count: Int, workers: Int, _ body: @Sendable (Int, Range<Int>) -> Void) {
        guard workers > 1, count > 1 else {
            body(0, 0..<count)
            return
        }
        let threads = BLAS.threadCount
        BLAS.setThreadCount(1)
        defer { BLAS.setThreadCount(threads) }
        let parts = min(workers, count)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            body(part, (count * part / parts)..<(count * (part + 1) / parts))
        }
    }

    /// Word + position + token-type (0) embeddings, then LayerNorm.
    private func embed(_ sequences: [[Int32]], into state: UnsafeMutablePointer<Float>) {
        let hidden = configuration.hiddenSize
        let words = weights.wordEmbeddings.baseAddress!
        let positions = weights.positionEmbeddings.baseAddress!
        let types = weights.tokenTypeEmbeddings.baseAddress!
        var row = 0
        for sequence in sequences {
            for (position, id) in sequence.enumerated() {
                let target = state + row * hidden
                let word = words + Int(id) * hidden
                let place = positions + position * hidden
                for column in 0..<hidden { target[column] = word[column] + place[column] + types[column] }
                row += 1
            }
        }
        VectorMath.layerNorm(
            state,
            rows: row,
            columns: hidden,
            gamma: weights.embeddingNormGamma.baseAddress!,
            beta: weights.embeddingNormBeta.baseAddress!,
            epsilon: configuration.layerNormEpsilon
        )
    }

    /// Self-attention of one sequence (rows `start ..< start + length` of `queryKeyValue`), head by
    /// head: softmax(Q·Kᵀ/√d)·V, written to the same rows of `context`.
    private func attend(
        _ queryKeyValue: UnsafeMutablePointer<Float>,
        start: Int,
        length: Int,
        into context: UnsafeMutablePointer<Float>,
        scores: UnsafeMutablePointer<Float>
    ) {
        let hidden = configuration.hiddenSize
        let head = configuration.headSize
        let stride = 3 * hidden
        let scale = 1 / Float(head).squareRoot()
        let base = queryKeyValue + start * stride
        let n = Int32(length)
        for index in 0..<configuration.attentionHeads {
            let query = base + index * head
            let key = base + hidden + index * head
            let value = base + 2 * hidden + index * head
            cblas_sgemm(
                CblasRowMajor,
                CblasNoTrans,
                CblasTrans,
                n,
                n,
                Int32(head),
                scale,
                query,
                Int32(stride),
                key,
                Int32(stride),
                0,
                scores,
                n
            )
            VectorMath.softmaxRows(scores, rows: length, columns: length, stride: length)
            cblas_sgemm(
                CblasRowMajor,
                CblasNoTrans,
                CblasNoTrans,
                n,
                Int32(head),
                n,
                1,
                scores,
                n,
                value,
                Int32(stride),
                0,
                context + start * hidden + index * head,
                Int32(hidden)
            )
        }
    }

    /// Mean of `length` token vectors, L2-normalised.
    private func pool(_ rows: UnsafeMutablePointer<Float>, length: Int) -> [Float] {
        let hidden = configuration.hiddenSize
        var vector = [Float](repeating: 0, count: hidden)
        for row in 0..<length {
            let line = rows + row * hidden
            for column in 0..<hidden { vector[column] += line[column] }
        }
        let norm = vector.reduce(0) { $0 + ($1 / Float(length)) * ($1 / Float(length)) }.squareRoot()
        let scale = norm > 0 ? 1 / (norm * Float(length)) : 0
        return vector.map { $0 * scale }
    }

    /// `target = LayerNorm(input · weightᵀ + bias + residual)`, for `input` [rows, inner] and a
    /// dense layer's weight [hidden, inner].
    private func projectAddAndNormalize(
        _ input: UnsafePointer<Float>,
        _ weight: UnsafeBufferPointer<Float>,
        bias: UnsafeBufferPointer<Float>,
        residual: UnsafePointer<Float>,
        into target: UnsafeMutablePointer<Float>,
        rows: Int,
        inner: Int,
        gamma: UnsafeBufferPointer<Float>,
        beta: UnsafeBufferPointer<Float>
    ) {
        let hidden = configuration.hiddenSize
        addRows(residual, bias: bias, into: target, rows: rows)
        BLAS.multiply(input, weight.baseAddress!, into: target, m: rows, n: hidden, k: inner)
        VectorMath.layerNorm(
            target,
            rows: rows,
            columns: hidden,
            gamma: gamma.baseAddress!,
            beta: beta.baseAddress!,
            epsilon: configuration.layerNormEpsilon
        )
    }

    /// Copies `bias` into each of `rows` rows.
    private func fillRows(_ matrix: UnsafeMutablePointer<Float>, rows: Int, with bias: UnsafeBufferPointer<Float>) {
        for row in 0..<rows {
            (matrix + row * bias.count).initialize(from: bias.baseAddress!, count: bias.count)
        }
    }

    /// `target[row] = source[row] + bias` for each row.
    private func addRows(
        _ source: UnsafePointer<Float>,
        bias: UnsafeBufferPointer<Float>,
        into target: UnsafeMutablePointer<Float>,
        rows: Int
    ) {
        let columns = bias.count
        for row in 0..<rows {
            let from = source + row * columns
            let to = target + row * columns
            for column in 0..<columns { to[column] = from[column] + bias[column] }
        }
    }
}

/// A scratch buffer handed to the workers of `BertEncoder.split`.
// @unchecked Sendable: each worker reads shared rows and writes only rows (or a scratch area) that
// no other worker touches, and `split` returns only when every worker is done.
private struct Shared: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}
