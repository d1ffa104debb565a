import COpenBLAS

/// What Quarry asks of OpenBLAS besides products: its thread count and which kernels it runs.
public enum BLAS {
    /// Sets the number of threads OpenBLAS uses for each product, for the whole process.
    ///
    /// One thread is fastest for small products (a single short query); more help large batches.
    public static func setThreadCount(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// The number of threads OpenBLAS uses now.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// The kernel family OpenBLAS chose for this CPU (`Haswell` when `OPENBLAS_CORETYPE=Haswell`).
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// OpenBLAS's build configuration, such as `OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64`.
    public static var configuration: String { String(cString: openblas_get_config()) }

    /// `c = a · b + beta·c` for row-major `a` [m, k], `b` [k, n] and `c` [m, n], through
    /// `cblas_sgemm` (no operand transposed). Blocks the calling thread.
    public static func multiply(
        _ a: UnsafePointer<Float>,
        _ b: UnsafePointer<Float>,
        into c: UnsafeMutablePointer<Float>,
        m: Int,
        n: Int,
        k: Int,
        beta: Float = 1
    ) {
        cblas_sgemm(
            CblasRowMajor,
            CblasNoTrans,
            CblasNoTrans,
            Int32(m),
            Int32(n),
            Int32(k),
            1,
            a,
            Int32(k),
            b,
            Int32(n),
            beta,
            c,
            Int32(n)
        )
    }
}
