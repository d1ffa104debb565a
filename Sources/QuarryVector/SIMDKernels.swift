/// The inner loops: Float32 and int8 dot products over padded rows.
///
/// Rows are padded with zeros to a multiple of 16 floats (Float32) or 64 bytes (int8), so the loops
/// have no tails. The code is written for the compiler's vectoriser (see `docs/vector-index.md`):
/// `acc += a * b` on `SIMD16<Float>` (never `addProduct`, which becomes scalar `fmaf` calls without a
/// target CPU), int8 widened by shifts of `SIMD16<Int32>` lanes, and sums reduced as a tree.
enum SIMDKernels {
    /// Σ a[i]·b[i] over `stride` floats (a multiple of 16).
    @inline(__always)
    static func dot(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, stride: Int) -> Float {
        var acc0 = SIMD16<Float>()
        var acc1 = SIMD16<Float>()
        var offset = 0
        let bytes = stride &* 4
        while offset &+ 128 <= bytes {
            let x0 = a.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            let y0 = b.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            let x1 = a.loadUnaligned(fromByteOffset: offset &+ 64, as: SIMD16<Float>.self)
            let y1 = b.loadUnaligned(fromByteOffset: offset &+ 64, as: SIMD16<Float>.self)
            acc0 += x0 * y0
            acc1 += x1 * y1
            offset &+= 128
        }
        if offset < bytes {
            let x0 = a.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            let y0 = b.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            acc0 += x0 * y0
        }
        return reduce(acc0 + acc1)
    }

    /// The dot products of one query with four rows at once: four independent load streams keep
    /// more cache misses in flight than one row at a time (rows of a graph walk or a sparse allowed set
    /// are scattered in memory).
    @inline(__always)
    static func dot4(
        _ q: UnsafeRawPointer,
        _ r0: UnsafeRawPointer,
        _ r1: UnsafeRawPointer,
        _ r2: UnsafeRawPointer,
        _ r3: UnsafeRawPointer,
        stride: Int
    ) -> SIMD4<Float> {
        var a0 = SIMD16<Float>()
        var a1 = SIMD16<Float>()
        var a2 = SIMD16<Float>()
        var a3 = SIMD16<Float>()
        var offset = 0
        let bytes = stride &* 4
        while offset < bytes {
            let x = q.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            a0 += x * r0.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            a1 += x * r1.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            a2 += x * r2.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            a3 += x * r3.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            offset &+= 64
        }
        return SIMD4(reduce(a0), reduce(a1), reduce(a2), reduce(a3))
    }

    /// Σ a[i]·b[i] over `stride` int8 codes (a multiple of 64), in Int32.
    ///
    /// Each 64-byte block is loaded as 16 Int32 lanes of 4 codes; shifting left then arithmetically
    /// right extracts each byte sign-extended. Both sides are permuted the same way, so the sum is
    /// the plain dot product. |sum| ≤ 127² · stride fits Int32 for any stride below 133,000.
    @inline(__always)
    static func dot(codes a: UnsafeRawPointer, _ b: UnsafeRawPointer, stride: Int) -> Int32 {
        var acc0 = SIMD16<Int32>()
        var acc1 = SIMD16<Int32>()
        var offset = 0
        while offset < stride {
            let x = a.loadUnaligned(fromByteOffset: offset, as: SIMD16<Int32>.self)
            let y = b.loadUnaligned(fromByteOffset: offset, as: SIMD16<Int32>.self)
            acc0 &+= ((x &<< 24) &>> 24) &* ((y &<< 24) &>> 24)
            acc1 &+= ((x &<< 16) &>> 24) &* ((y &<< 16) &>> 24)
            acc0 &+= ((x &<< 8) &>> 24) &* ((y &<< 8) &>> 24)
            acc1 &+= (x &>> 24) &* (y &>> 24)
            offset &+= 64
        }
        let s = acc0 &+ acc1
        let s8 = s.lowHalf &+ s.highHalf
        let s4 = s8.lowHalf &+ s8.highHalf
        let s2 = s4.lowHalf &+ s4.highHalf
        return s2[0] &+ s2[1]
    }

    @inline(__always)
    static func reduce(_ v: SIMD16<Float>) -> Float {
        let s8 = v.lowHalf + v.highHalf
        let s4 = s8.lowHalf + s8.highHalf
        let s2 = s4.lowHalf + s4.highHalf
        return s2[0] + s2[1]
    }

    /// Quantises `vector` into `codes` (`stride` bytes, zero-padded) with one symmetric scale;
    /// returns the scale (code · scale ≈ component).
    static func quantize(
        _ vector: UnsafeBufferPointer<Float>,
        into codes: UnsafeMutableRawPointer,
        stride: Int
    )
        -> Float
    {
        var maxAbs: Float = 0
        for value in vector { maxAbs = max(maxAbs, abs(value)) }
        let scale = maxAbs > 0 ? maxAbs / 127 : 1
        let inverse = 1 / scale
        let out = codes.assumingMemoryBound(to: Int8.self)
        for index in 0..<stride {
            if index < vector.count {
                out[index] = Int8(max(-127, min(127, (vector[index] * inverse).rounded())))
            } else {
                out[index] = 0
            }
        }
        return scale
    }
}
