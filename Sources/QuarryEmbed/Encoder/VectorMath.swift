/// The element-wise parts of the encoder (exponential, GELU, softmax, LayerNorm, bias), in
/// `SIMD16<Float>` chunks with a scalar tail.
///
/// The code uses only operations that stay vectorised in a default (SSE2) build: `+`, `-`, `*`,
/// `/`, comparisons, selects and integer shifts, never `addProduct` (which becomes scalar `fmaf`
/// calls without a `-target-cpu` flag), so the release build needs no CPU flag and runs on any
/// x86-64. Built with `-Xswiftc -target-cpu -Xswiftc haswell` the same code uses AVX2.
enum VectorMath {
    typealias Vector = SIMD16<Float>

    // MARK: exponential

    /// e^x for each lane: x = n·ln2 + r with |r| ≤ ln2/2, e^r by a degree-6 polynomial, 2^n from
    /// the exponent bits. Relative error about 2·10⁻⁷; inputs below -87 give 0, above 88 give +inf.
    @inline(__always)
    static func exp(_ x: Vector) -> Vector {
        let clamped = x.clamped(lowerBound: Vector(repeating: -87.3), upperBound: Vector(repeating: 88.7))
        // Round to nearest with the 1.5·2²³ trick (adds and subtracts only).
        let magic = Vector(repeating: 12_582_912)
        let shifted = clamped * Vector(repeating: 1.442_695_04) + magic
        let n = shifted - magic
        let r = (clamped - n * Vector(repeating: 0.693_145_75)) - n * Vector(repeating: 1.428_606_8e-6)
        var p = Vector(repeating: 1.987_569_1e-4)
        p = p * r + Vector(repeating: 1.398_199_9e-3)
        p = p * r + Vector(repeating: 8.333_452e-3)
        p = p * r + Vector(repeating: 4.166_579_6e-2)
        p = p * r + Vector(repeating: 0.166_666_66)
        p = p * r + Vector(repeating: 0.5)
        p = p * (r * r) + r + Vector(repeating: 1)
        let integer = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- unsafeBitCast(magic, to: SIMD16<Int32>.self)
        let scale = unsafeBitCast((integer &+ 127) &<< 23, to: Vector.self)
        var result = p * scale
        result.replace(with: 0, where: x .< Vector(repeating: -87.3))
        result.replace(with: .infinity, where: x .> Vector(repeating: 88.7))
        return result
    }

    // MARK: GELU

    /// GELU in its exact (erf) form, x·Φ(x) = ½x(1 + erf(x/√2)), for each lane.
    ///
    /// erfc(z) for z = |x|/√2 comes from Abramowitz and Stegun 7.1.26 (absolute error ≤ 1.5·10⁻⁷):
    /// erfc(z) = t·P(t)·e^(−z²) with t = 1/(1 + 0.3275911·z). For x < 0 the result is ½x·erfc(z),
    /// for x ≥ 0 it is x − ½x·erfc(z), so neither side loses digits to cancellation.
    @inline(__always)
    static func gelu(_ x: Vector) -> Vector {
        let magnitude = unsafeBitCast(unsafeBitCast(x, to: SIMD16<UInt32>.self) & 0x7FFF_FFFF, to: Vector.self)
        let z = magnitude * Vector(repeating: 0.707_106_77)
        let t = Vector(repeating: 1) / (Vector(repeating: 1) + Vector(repeating: 0.327_591_1) * z)
        var p = Vector(repeating: 1.061_405_429)
        p = p * t + Vector(repeating: -1.453_152_027)
        p = p * t + Vector(repeating: 1.421_413_741)
        p = p * t + Vector(repeating: -0.284_496_736)
        p = p * t + Vector(repeating: 0.254_829_592)
        let erfc = p * t * Self.exp(-(z * z))
        let half = Vector(repeating: 0.5) * x * erfc
        return (x - half).replacing(with: half, where: x .< Vector(repeating: 0))
    }

    /// Applies `body` to `count` floats in place, 16 at a time; the tail goes through a padded vector.
    @inline(__always)
    static func transform(_ values: UnsafeMutablePointer<Float>, count: Int, _ body: (Vector) -> Vector) {
        var index = 0
        let raw = UnsafeMutableRawPointer(values)
        while index + 16 <= count {
            let vector = raw.loadUnaligned(fromByteOffset: index * 4, as: Vector.self)
            raw.storeBytes(of: body(vector), toByteOffset: index * 4, as: Vector.self)
            index += 16
        }
        if index < count {
            var vector = Vector()
            for lane in 0..<(count - index) { vector[lane] = values[index + lane] }
            let result = body(vector)
            for lane in 0..<(count - index) { values[index + lane] = result[lane] }
        }
    }

    /// Adds `bias` (`columns` values) to every row, then applies GELU.
    static func addBiasGELU(_ matrix: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>)
    {
        for row in 0..<rows {
            let line = matrix + row * columns
            for column in 0..<columns { line[column] += bias[column] }
            transform(line, count: columns, gelu)
        }
    }

    // MARK: softmax

    /// Softmax of each of `rows` rows of `columns` values, stored `stride` apart.
    static func softmaxRows(_ matrix: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int) {
        for row in 0..<rows {
            let line = matrix + row * stride
            var maximum = -Float.infinity
            for column in 0..<columns { maximum = max(maximum, line[column]) }
            let shift = Vector(repeating: maximum)
            transform(line, count: columns) { Self.exp($0 - shift) }
            var sum: Float = 0
            for column in 0..<columns { sum += line[column] }
            let scale = 1 / sum
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
