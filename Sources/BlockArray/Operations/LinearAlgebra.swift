/// Matrix products of blocked arrays: one `cblas_dgemm` per block pair,
/// tree-summed over the contracted axis.
extension BlockArray {
    /// The matrix product with NumPy's `matmul` rules for 1-D and 2-D operands:
    /// a 1-D left operand is a row, a 1-D right operand a column, and those axes are dropped.
    public static func matmul(_ a: BlockArray, _ b: BlockArray, splitEvery: Int? = nil) throws -> BlockArray {
        guard (1...2).contains(a.rank) else { throw BlockArrayError.invalidRank(operation: "matmul", rank: a.rank, expected: "a 1-D or 2-D array") }
        guard (1...2).contains(b.rank) else { throw BlockArrayError.invalidRank(operation: "matmul", rank: b.rank, expected: "a 1-D or 2-D array") }
        guard a.shape[a.rank - 1] == b.shape[0] else { throw BlockArrayError.shapeMismatch(operation: "matmul", a.shape, b.shape) }
        let left = a.rank == 1 ? a.insertingAxis(0) : a
        let right = b.rank == 1 ? b.insertingAxis(1) : b
        var product = try matrixProduct(left, right, splitEvery: splitEvery ?? defaultSplitEvery)
        if b.rank == 1 { product = product.removingAxis(1) }
        if a.rank == 1 { product = product.removingAxis(0) }
        return product
    }

    /// `matmul(self, other)`.
    public func matmul(_ other: BlockArray) throws -> BlockArray { try BlockArray.matmul(self, other) }

    /// `matmul(self, other)`, as NumPy's `dot` for 1-D and 2-D arrays.
    public func dot(_ other: BlockArray) throws -> BlockArray { try BlockArray.matmul(self, other) }

    private static func matrixProduct(_ a: BlockArray, _ b: BlockArray, splitEvery: Int) throws -> BlockArray {
        guard splitEvery >= 2 else {
            throw BlockArrayError.invalidArgument(operation: "matmul", message: "splitEvery \(splitEvery) must be ≥ 2")
        }
        let chunks = try Chunks(derivedSizes: [a.chunks.sizes[0], b.chunks.sizes[1]])
        let b = a.chunks.sizes[1] == b.chunks.sizes[0]
            ? b : try b.rechunk(.explicit([a.chunks.sizes[1], b.chunks.sizes[1]]))
        let (left, transposeA) = a.untransposed
        let (right, transposeB) = b.untransposed
        let contracted = a.chunks.sizes[1]
        // x @ x.T and x.T @ x are symmetric: compute the blocks on and above the
        // diagonal (diagonal ones with a symmetric rank-k update) and transpose the rest.
        let symmetric = left.name == right.name && transposeA != transposeB
        let name = token("matmul", ["\(transposeA)", "\(transposeB)", "\(splitEvery)", left.name, right.name])
        return BlockArray(name: name, chunks: chunks, layer: .tasks(inputs: [left, right]) {
            var tasks: [GraphTask] = []
            let productName = name + "-product"
            for index in chunks.blockIndices {
                let (i, j) = (index[0], index[1])
                let blockShape = chunks.blockShape(index)
                if symmetric && i > j {
                    tasks.append(GraphTask(key: TaskKey(name, index), dependencies: [TaskKey(name, [j, i])],
                                      operation: "transpose-mirror", flops: 0, outputShape: blockShape) { $0[0].transposed([1, 0]) })
                    continue
                }
                var level = contracted.indices.map { p -> TaskKey in
                    let key = contracted.count == 1 ? TaskKey(name, index) : TaskKey(productName, [i, j, p])
                    let leftKey = left.key(transposeA ? [p, i] : [i, p])
                    if symmetric && i == j {
                        tasks.append(GraphTask(key: key, dependencies: [leftKey], blockIndex: index, operation: "syrk",
                                          flops: Double(blockShape[0] * blockShape[1] * contracted[p]),
                                          outputShape: blockShape) { blocks in
                            symmetricProductBlock(blocks[0], transposed: transposeA)
                        })
                        return key
                    }
                    let flops = 2.0 * Double(blockShape[0] * blockShape[1] * contracted[p])
                    tasks.append(GraphTask(key: key,
                                      dependencies: [leftKey, right.key(transposeB ? [j, p] : [p, j])],
                                      blockIndex: index, operation: "matmul", flops: flops, outputShape: blockShape) { blocks in
                        multiplyBlocks(blocks[0], transposeA: transposeA, blocks[1], transposeB: transposeB)
                    })
                    return key
                }
                var depth = 0
                while level.count > 1 {
                    depth += 1
                    let groups = stride(from: 0, to: level.count, by: splitEvery).map { Array(level[$0..<Swift.min($0 + splitEvery, level.count)]) }
                    level = groups.enumerated().map { g, group in
                        let key = groups.count == 1 ? TaskKey(name, index) : TaskKey(name + "-sum\(depth)", [i, j, g])
                        tasks.append(GraphTask(key: key, dependencies: group, blockIndex: index, operation: "matmul-sum",
                                          flops: Double(elementCount(blockShape) * (group.count - 1)),
                                          outputShape: blockShape) { sumBlocks($0) })
                        return key
                    }
                }
            }
            return tasks
        })
    }

    /// The array a 2-D transpose reads, and whether this array is that transpose,
    /// so a product can pass the transposition to BLAS instead of copying blocks.
    private var untransposed: (BlockArray, Bool) {
        if case .transpose(let source, let axes) = layer, axes == [1, 0] { return (source, true) }
        return (self, false)
    }
}
