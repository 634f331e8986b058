import CBLAS

/// OpenBLAS, pinned to one thread: all parallelism comes from blocktop's own scheduler.
public enum BLAS {
    /// Pins OpenBLAS to one thread the first time any kernel needs it.
    private static let pinned: Void = openblas_set_num_threads(1)

    /// Pins OpenBLAS to one thread (idempotent); every BLAS kernel calls it first.
    public static func pinToOneThread() { _ = pinned }

    /// Threads OpenBLAS may use for one call (1 once pinned).
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// The operations whose tasks call OpenBLAS.
    public static let operations: Set<String> = ["matmul", "syrk"]

    /// Address space OpenBLAS maps on each thread's first call, its work buffer (BUFFER_SIZE of
    /// Debian's x86-64 build, 128 MiB, and a page), never given back. When it cannot have it
    /// (an address-space limit, `ulimit -v`) OpenBLAS retries for ever, so a run that uses it
    /// checks first that there is room.
    public static let bufferBytes = (128 << 20) + 4096

    /// OpenBLAS's build description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64".
    public static var configuration: String { String(cString: openblas_get_config()) }
}

/// `op(a) · op(b)` for 2-D blocks with one `cblas_dgemm`; `op` transposes when asked.
package func multiplyBlocks(_ a: DenseArray, transposeA: Bool, _ b: DenseArray, transposeB: Bool) -> DenseArray {
    BLAS.pinToOneThread()
    let m = transposeA ? a.shape[1] : a.shape[0]
    let k = transposeA ? a.shape[0] : a.shape[1]
    let n = transposeB ? b.shape[0] : b.shape[1]
    var c = [Double](repeating: 0, count: m * n)
    guard m > 0, n > 0, k > 0 else { return DenseArray(uncheckedShape: [m, n], storage: c) }
    a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
            c.withUnsafeMutableBufferPointer { pc in
                cblas_dgemm(CblasRowMajor,
                            transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                            Int32(m), Int32(n), Int32(k), 1.0,
                            pa.baseAddress, Int32(Swift.max(1, a.shape[1])),
                            pb.baseAddress, Int32(Swift.max(1, b.shape[1])),
                            0.0, pc.baseAddress, Int32(n))
            }
        }
    }
    return DenseArray(uncheckedShape: [m, n], storage: c)
}

/// `a · aᵀ` (or `aᵀ · a` when `transposed`) with one `cblas_dsyrk`, which computes
/// the upper triangle only (half the flops of a product), mirrored to a full block.
package func symmetricProductBlock(_ a: DenseArray, transposed: Bool) -> DenseArray {
    BLAS.pinToOneThread()
    let n = transposed ? a.shape[1] : a.shape[0]
    let k = transposed ? a.shape[0] : a.shape[1]
    var c = [Double](repeating: 0, count: n * n)
    guard n > 0, k > 0 else { return DenseArray(uncheckedShape: [n, n], storage: c) }
    a.storage.withUnsafeBufferPointer { pa in
        c.withUnsafeMutableBufferPointer { pc in
            cblas_dsyrk(CblasRowMajor, CblasUpper, transposed ? CblasTrans : CblasNoTrans,
                        Int32(n), Int32(k), 1.0, pa.baseAddress, Int32(Swift.max(1, a.shape[1])),
                        0.0, pc.baseAddress, Int32(n))
            let out = pc.baseAddress!
            for row in 1..<Swift.max(1, n) {
                for column in 0..<row { out[row * n + column] = out[column * n + row] }
            }
        }
    }
    return DenseArray(uncheckedShape: [n, n], storage: c)
}

/// Elementwise sum of blocks of one shape, in one pass into a new block.
package func sumBlocks(_ blocks: [DenseArray]) -> DenseArray {
    let n = blocks[0].count
    let storage = [Double](unsafeUninitializedCapacity: n) { result, initialized in
        let r = result.baseAddress!
        blocks[0].storage.withUnsafeBufferPointer { first in
            if n > 0 { r.initialize(from: first.baseAddress!, count: n) }
        }
        for block in blocks.dropFirst() {
            block.storage.withUnsafeBufferPointer { b in
                for i in 0..<n { r[i] += b[i] }
            }
        }
        initialized = n
    }
    return DenseArray(uncheckedShape: blocks[0].shape, storage: storage)
}
