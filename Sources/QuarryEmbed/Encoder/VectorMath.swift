/// The element-wise parts of the encoder (exponential, GELU, softmax, LayerNorm).
///
/// Per-element functions are branch-free scalar code (`+ − × ÷`, comparisons that become selects,
/// integer shifts on bit patterns) in plain loops, which LLVM vectorises even in a default (SSE2)
/// build; sums use `SIMD16<Float>` accumulators (`+=` only), since the compiler may not reorder a
/// scalar float sum. (Generic `SIMD16` helpers such as `replacing(with:where:)` or `clamped` went
/// lane by lane through the stack and took half the encoder's time.) No `addProduct`, which becomes
/// scalar `fmaf` calls without a CPU flag. So the release build needs no `-target-cpu` flag and
/// runs on any x86-64; with `-Xswiftc -target-cpu -Xswiftc haswell` the same loops use AVX2.
enum VectorMath {
    typealias Vector = SIMD16<Float>

    // MARK: exponential

    /// e^x: x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial, 2^n from the exponent
    /// bits. Relative error about 2·10⁻⁷; inputs below -87.3 give 0 (the callers never pass more
    /// than 0). Branch-free, so loops over it vectorise.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        let clamped: Float = x < -87.3 ? -87.3 : (x > 88.3 ? 88.3 : x)
        // Round to nearest with the 1.5·2²³ trick (adds and subtracts only).
        let magic: Float = 12_582_912
        let shifted = clamped * 1.442_695_04 + magic
        let n = shifted - magic
        let r = (clamped - n * 0.693_145_75) - n * 1.428_606_8e-6
        var p: Float = 1.987_569_1e-4
        p = p * r + 1.398_199_9e-3
        p = p * r + 8.333_452e-3
        p = p * r + 4.166_579_6e-2
        p = p * r + 0.166_666_66
        p = p * r + 0.5
        p = p * (r * r) + r + 1
        let exponent = shifted.bitPattern &- magic.bitPattern
        let scale = Float(bitPattern: (exponent &+ 127) &<< 23)
        return x < -87.3 ? 0 : p * scale
    }

    // MARK: GELU

    /// GELU in its exact (erf) form, x·Φ(x) = ½x(1 + erf(x/√2)).
    ///
    /// erfc(z) for z = |x|/√2 comes from Abramowitz and Stegun 7.1.26 (absolute error ≤ 1.5·10⁻⁷):
    /// erfc(z) = t·P(t)·e^(−z²) with t = 1/(1 + 0.3275911·z). For x < 0 the result is ½x·erfc(z),
    /// for x ≥ 0 it is x − ½x·erfc(z), so neither side loses digits to cancellation.
    @inline(__always)
    static func gelu(_ x: Float) -> Float {
        let z = Float(bitPattern: x.bitPattern & 0x7FFF_FFFF) * 0.707_106_77
        let t = 1 / (1 + 0.327_591_1 * z)
        var p: Float = 1.061_405_429
        p = p * t - 1.453_152_027
        p = p * t + 1.421_413_741
        p = p * t - 0.284_496_736
        p = p * t + 0.254_829_592
        let half = 0.5 * x * (p * t * exp(-(z * z)))
        return x < 0 ? half : x - half
    }

    /// GELU of `count` floats in place (a plain loop over inlined, branch-free code, which the
    /// compiler vectorises).
    static func geluInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
        for index in 0..<count { values[index] = gelu(values[index]) }
    }

    // MARK: softmax

    /// Softmax of each of `rows` rows of `columns` values, stored `stride` apart.
    static func softmaxRows(_ matrix: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int) {
        for row in 0..<rows {
            let line = matrix + row * stride
            var maximum = -Float.infinity
            for column in 0..<columns { maximum = line[column] > maximum ? line[column] : maximum }
            for column in 0..<columns { line[column] = exp(line[column] - maximum) }
            let scale = 1 / sum(line, count: columns)
            for column in 0..<columns { line[column] *= scale }
        }
    }

    // MARK: LayerNorm

    /// LayerNorm of each row of `columns` values (mean and variance over the row, two passes, as
    /// PyTorch computes them), then `gamma`·x + `beta`.
    static func layerNorm(
        _ matrix: UnsafeMutablePointer<Float>,
        rows: Int,
        columns: Int,
        gamma: UnsafePointer<Float>,
        beta: UnsafePointer<Float>,
        epsilon: Float
    ) {
        for row in 0..<rows {
            let line = matrix + row * columns
            let mean = sum(line, count: columns) / Float(columns)
            var squares = Vector()
            var tail: Float = 0
            var index = 0
            let raw = UnsafeRawPointer(line)
            while index + 16 <= columns {
                let centred = raw.loadUnaligned(fromByteOffset: index * 4, as: Vector.self) - Vector(repeating: mean)
                squares += centred * centred
                index += 16
            }
            while index < columns {
                let centred = line[index] - mean
                tail += centred * centred
                index += 1
            }
            let variance = (horizontalSum(squares) + tail) / Float(columns)
            let inverse = 1 / (variance + epsilon).squareRoot()
            for column in 0..<columns {
                line[column] = (line[column] - mean) * inverse * gamma[column] + beta[column]
            }
        }
    }

    /// The sum of `count` floats, 16 lanes at a time, added as a tree.
    static func sum(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var accumulator = Vector()
        var index = 0
        let raw = UnsafeRawPointer(values)
        while index + 16 <= count {
            accumulator += raw.loadUnaligned(fromByteOffset: index * 4, as: Vector.self)
            index += 16
        }
        var total = horizontalSum(accumulator)
        while index < count {
            total += values[index]
            index += 1
        }
        return total
    }

    @inline(__always)
    static func horizontalSum(_ vector: Vector) -> Float {
        let eight = vector.lowHalf + vector.highHalf
        let four = eight.lowHalf + eight.highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }
}
