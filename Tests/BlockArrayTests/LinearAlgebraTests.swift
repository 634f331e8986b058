import BlockArray
import Testing

/// Matrix products with NumPy's rules for 1-D and 2-D operands.
@Suite struct LinearAlgebraTests {
    /// Expects the lazy product of `a` and `b` to equal the reference; the tolerance scales with |a|·|b|.
    func expectProduct(_ product: BlockArray, _ a: DenseArray, _ b: DenseArray, _ what: String = "",
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try #require(Reference.matmul(a, b), sourceLocation: sourceLocation)
        let scales = Reference.matmul(Reference.map(a, Swift.abs), Reference.map(b, Swift.abs))
        #expect(product.shape == expected.shape, sourceLocation: sourceLocation)
        expectClose(try product.compute(), expected, scales: scales, what, sourceLocation: sourceLocation)
    }

    static let pairs: [(ChunkSpec, ChunkSpec)] = [
        (.uniform(3), .uniform(3)),
        (.perAxis([3, 4]), .perAxis([2, 3])),
        (.uniform(-1), .uniform(1)),
        (.uniform(1), .uniform(-1)),
        (.explicit([[7], [1, 8]]), .explicit([[5, 4], [2, 3]])),
    ]

    @Test(arguments: pairs)
    func matrixTimesMatrix(specA: ChunkSpec, specB: ChunkSpec) throws {
        let a = sample([7, 9]), b = sample([9, 5], seed: 1)
        let x = try lazy(a, specA), y = try lazy(b, specB)
        try expectProduct(try BlockArray.matmul(x, y), a, b)
        try expectProduct(try x.matmul(y), a, b)
        try expectProduct(try x.dot(y), a, b)
        try expectProduct(try BlockArray.matmul(x, y, splitEvery: 2), a, b, "splitEvery 2")
    }

    @Test(arguments: pairs)
    func matrixTimesVectorAndBack(specA: ChunkSpec, specB: ChunkSpec) throws {
        let m = sample([7, 9]), v = sample([9], seed: 2), w = sample([7], seed: 3)
        let vectorSpec: ChunkSpec = specB == .uniform(-1) ? .uniform(-1) : .uniform(2)
        try expectProduct(try lazy(m, specA).matmul(lazy(v, vectorSpec)), m, v, "2-D × 1-D")
        try expectProduct(try lazy(w, vectorSpec).matmul(lazy(m, specA)), w, m, "1-D × 2-D")
    }

    @Test(arguments: [(ChunkSpec.uniform(4), ChunkSpec.uniform(4)), (.uniform(1), .uniform(-1)), (.uniform(3), .explicit([[2, 9]]))])
    func vectorDotVector(specA: ChunkSpec, specB: ChunkSpec) throws {
        let u = sample([11]), v = sample([11], seed: 1)
        let product = try lazy(u, specA).dot(lazy(v, specB))
        #expect(product.shape == [])
        let expected = Reference.matmul(u, v)!.storage[0]
        let scale = zip(u.storage, v.storage).map { Swift.abs($0 * $1) }.reduce(0, +)
        #expect(close(try product.computeScalar(), expected, scale: scale))
    }

    @Test(arguments: [ChunkSpec.uniform(3), .perAxis([2, 5]), .uniform(-1), .uniform(1)])
    func transposedOperands(spec: ChunkSpec) throws {
        let a = sample([6, 8]), b = sample([5, 8], seed: 1)
        let x = try lazy(a, spec), y = try lazy(b, .uniform(3))
        let at = Reference.transpose(a), bt = Reference.transpose(b)
        try expectProduct(try x.matmul(x.T), a, at, "x xᵀ")
        try expectProduct(try x.T.matmul(x), at, a, "xᵀ x")
        try expectProduct(try x.matmul(y.T), a, bt, "x yᵀ")
        try expectProduct(try y.matmul(x.T), b, at, "y xᵀ")
        try expectProduct(try y.T.T.matmul(x.T), b, at, "yᵀᵀ xᵀ")
        try expectProduct(try (x.T * 2).matmul(x), Reference.map(at) { $0 * 2 }, a, "(2xᵀ) x")
        // x xᵀ is symmetric.
        let gram = try x.matmul(x.T).compute()
        expectClose(gram, Reference.transpose(gram), scale: 10)
    }

    @Test(arguments: [ChunkSpec.uniform(3), .perAxis([4, 5]), .uniform(-1)])
    func symmetricProductsComputeHalfTheBlocks(spec: ChunkSpec) throws {
        // x @ x.T and x.T @ x: blocks below the diagonal are transposes, diagonal ones use syrk.
        let dense = sample([10, 7], seed: 9)
        let x = try BlockArray.fromArray(dense, chunks: spec)
        let y = try BlockArray.fromArray(sample([10, 7], seed: 10), chunks: spec)
        for (symmetric, general, a, b) in [(try x.matmul(x.T), try y.matmul(x.T), dense, Reference.transpose(dense)),
                                           (try x.T.matmul(x), try y.T.matmul(x), Reference.transpose(dense), dense)] {
            try expectProduct(symmetric, a, b, "symmetric")
            let result = try symmetric.compute()
            #expect(result == Reference.transpose(result), "exactly symmetric")
            let (s, g) = (symmetric.graph(), general.graph())
            if symmetric.chunks.blockCount > 1 {
                #expect(s.totalFlops < g.totalFlops * 0.8, "\(s.totalFlops) vs \(g.totalFlops)")
            }
        }
    }

    @Test func productsFeedOtherOperations() throws {
        let a = sample([10, 12]), b = sample([12, 4], seed: 1)
        let x = try lazy(a, [3, 5]), y = try lazy(b, [4, 2])
        let expected = Reference.matmul(a, b)!
        expectClose(try (x.matmul(y) + 1).sum(axes: [0]).compute(),
                    Reference.sum(Reference.map(expected) { $0 + 1 }, axes: [0]), scale: 100)
        expectClose(try x.matmul(y).matmul(y.T).compute(), Reference.matmul(expected, Reference.transpose(b))!, scale: 100)
    }

    /// Empty operands follow NumPy: an empty contraction gives zeros.
    @Test func emptyDimensions() throws {
        let empty = try lazy(sample([3, 0]), 2), right = try lazy(sample([0, 2]), 2)
        #expect(try empty.matmul(right).compute() == DenseArray(shape: [3, 2], repeating: 0))
        let rows = try lazy(sample([0, 4]), 2).matmul(lazy(sample([4, 2]), 2))
        #expect(rows.shape == [0, 2])
        #expect(try rows.compute().storage.isEmpty)
    }

    @Test func mismatchedInnerDimensionsThrow() throws {
        let x = try lazy(sample([4, 5]), 2)
        expectError("shapeMismatch") { try x.matmul(x) }
        expectError("shapeMismatch") { try x.matmul(try lazy(sample([4]), 2)) }
        expectError("shapeMismatch") { try lazy(sample([5]), 2).matmul(x) }
        expectError("shapeMismatch") { try lazy(sample([3]), 2).dot(try lazy(sample([4]), 2)) }
        expectError("invalidRank") { try lazy(sample([2, 2, 2]), 2).matmul(try lazy(sample([2, 2]), 2)) }
        expectError("invalidRank") { try x.matmul(try lazy(DenseArray(scalar: 2), 1)) }
        // The right shapes work.
        #expect(try x.T.matmul(x).shape == [5, 5])
    }

    @Test func productTreeFanInIsBounded() throws {
        let a = sample([4, 40]), b = sample([40, 3], seed: 1)
        let product = try BlockArray.matmul(try lazy(a, [2, 2]), try lazy(b, [2, 3]), splitEvery: 3)
        let graph = product.graph(options: OptimizationOptions(fuse: false))
        #expect((graph.dependencies.map(\.count).max() ?? 0) <= 3)
        // 2mnk multiply-adds, plus at most one addition per output element per partial product.
        let (m, k, n) = (4.0, 40.0, 3.0)
        #expect(graph.totalFlops >= 2 * m * n * k && graph.totalFlops <= 2 * m * n * k + m * n * 20, "\(graph.totalFlops) flops")
        try expectProduct(product, a, b)
    }

    /// The seed demo at a quick size: Σᵢⱼ (x xᵀ)ᵢⱼ = Σₖ (Σᵢ xᵢₖ)², whose expectation for uniform x is n³/4 + n²/12.
    ///
    /// Its relative spread is 4/(√12·n) ≈ 5.8e-4 at n = 2000, so a 1e-3 band is under 2σ
    /// (seed 0 lands at −1.1e-3, its mean being 1.9σ low); the band here is 4σ, and the exact
    /// check against column sums carries the precision.
    @Test func seedDemoAtQuickSize() throws {
        let n = 2000
        let x = try BlockArray.random([n, n], chunks: [500, 500], seed: 0)
        let total = try x.matmul(x.T).sum().computeScalar()
        let columnSums = try x.sum(axes: [0]).compute().storage
        let viaColumns = Reference.accurateSum(columnSums.map { $0 * $0 })
        #expect(close(total, viaColumns, tolerance: 1e-10), "\(total) vs Σₖ(Σᵢxᵢₖ)² = \(viaColumns)")
        let expected = pow3(Double(n)) / 4 + Double(n * n) / 12
        let sigma = 4 / (12.0.squareRoot() * Double(n))
        #expect(Swift.abs(total - expected) / expected < 4 * sigma, "\(total) vs \(expected)")
    }
}

private func pow3(_ x: Double) -> Double { x * x * x }
