/// The inner loops: Float32 and int8 dot products over padded rows.
///
/// Rows are padded with zeros to a multiple of 16 floats (Float32) or 64 bytes (int8), so the loops
/// have no tails. The code is written for the compiler's vectoriser (see `docs/vector-index.md`):
/// multiply-adds on `SIMD16<Float>` through ``madd(_:_:_:)`` (a fused `vfmadd` when the package is built
/// for a target CPU, `QUARRY_FMA`; otherwise a multiply and an add, since `addProduct` without a target
/// CPU becomes a scalar `fmaf` call per lane), int8 widened by shifts of `SIMD16<Int32>` lanes, and sums
/// reduced as a tree.
enum SIMDKernels {
    /// `acc + x·y`, fused when the target CPU has FMA.
    @inline(__always)
    static func madd(_ acc: SIMD16<Float>, _ x: SIMD16<Float>, _ y: SIMD16<Float>) -> SIMD16<Float> {
        #if QUARRY_FMA
        return acc.addingProduct(x, y)
        #else
        return acc + x * y
        #endif
    }

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
            acc0 = madd(acc0, x0, y0)
            acc1 = madd(acc1, x1, y1)
            offset &+= 128
        }
        if offset < bytes {
            let x0 = a.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            let y0 = b.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            acc0 = madd(acc0, x0, y0)
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
            a0 = madd(a0, x, r0.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self))
            a1 = madd(a1, x, r1.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self))
            a2 = madd(a2, x, r2.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self))
            a3 = madd(a3, x, r3.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self))
            offset &+= 64
        }
        return reduce4(a0, a1, a2, a3)
    }

    /// The 16 dot products of four queries with four rows (lane `4·q + r`: query q, row r), for
    /// batches: each step loads 8 vectors for 16 multiply-adds, so the loop is bound by arithmetic,
    /// not loads (a query against four rows, ``dot4``, loads 5 for 4).
    @inline(__always)
    static func dot4x4(
        _ q0: UnsafeRawPointer,
        _ q1: UnsafeRawPointer,
        _ q2: UnsafeRawPointer,
        _ q3: UnsafeRawPointer,
        _ r0: UnsafeRawPointer,
        _ r1: UnsafeRawPointer,
        _ r2: UnsafeRawPointer,
        _ r3: UnsafeRawPointer,
        stride: Int
    ) -> SIMD16<Float> {
        var a00 = SIMD16<Float>()
        var a01 = SIMD16<Float>()
        var a02 = SIMD16<Float>()
        var a03 = SIMD16<Float>()
        var a10 = SIMD16<Float>()
        var a11 = SIMD16<Float>()
        var a12 = SIMD16<Float>()
        var a13 = SIMD16<Float>()
        var a20 = SIMD16<Float>()
        var a21 = SIMD16<Float>()
        var a22 = SIMD16<Float>()
        var a23 = SIMD16<Float>()
        var a30 = SIMD16<Float>()
        var a31 = SIMD16<Float>()
        var a32 = SIMD16<Float>()
        var a33 = SIMD16<Float>()
        var offset = 0
        let bytes = stride &* 4
        while offset < bytes {
            let y0 = r0.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            let y1 = r1.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            let y2 = r2.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            let y3 = r3.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            let x0 = q0.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            a00 = madd(a00, x0, y0)
            a01 = madd(a01, x0, y1)
            a02 = madd(a02, x0, y2)
            a03 = madd(a03, x0, y3)
            let x1 = q1.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            a10 = madd(a10, x1, y0)
            a11 = madd(a11, x1, y1)
            a12 = madd(a12, x1, y2)
            a13 = madd(a13, x1, y3)
            let x2 = q2.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            a20 = madd(a20, x2, y0)
            a21 = madd(a21, x2, y1)
            a22 = madd(a22, x2, y2)
            a23 = madd(a23, x2, y3)
            let x3 = q3.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            a30 = madd(a30, x3, y0)
            a31 = madd(a31, x3, y1)
            a32 = madd(a32, x3, y2)
            a33 = madd(a33, x3, y3)
            offset &+= 64
        }
        let s0 = reduce4(a00, a01, a02, a03)
        let s1 = reduce4(a10, a11, a12, a13)
        let s2 = reduce4(a20, a21, a22, a23)
        let s3 = reduce4(a30, a31, a32, a33)
        return SIMD16(lowHalf: SIMD8(lowHalf: s0, highHalf: s1), highHalf: SIMD8(lowHalf: s2, highHalf: s3))
    }

    /// The lane sums of four vectors, as one: halves are added pairwise across the four (fewer
    /// shuffles than reducing each on its own).
    @inline(__always)
    static func reduce4(
        _ a: SIMD16<Float>,
        _ b: SIMD16<Float>,
        _ c: SIMD16<Float>,
        _ d: SIMD16<Float>
    ) -> SIMD4<Float> {
        let ab = SIMD16(lowHalf: a.lowHalf + a.highHalf, highHalf: b.lowHalf + b.highHalf)
        let cd = SIMD16(lowHalf: c.lowHalf + c.highHalf, highHalf: d.lowHalf + d.highHalf)
        // Lanes: a 0–7, b 8–15 (and c, d). Add even to odd lanes twice: 8 per vector → 2 per vector.
        let abcd = SIMD16(lowHalf: ab.evenHalf + ab.oddHalf, highHalf: cd.evenHalf + cd.oddHalf)
        let twice = abcd.evenHalf + abcd.oddHalf
        return twice.evenHalf + twice.oddHalf
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
