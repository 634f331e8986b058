/// Handing an array's blocks to something outside, such as a file, as the run goes.
extension BlockArray {
    /// Gives every block of this array to `write`, each in a task of its own, as soon as the block
    /// is made; the tasks run in parallel, so `write` must be safe to call from several threads.
    ///
    /// The array returned has one element per block of this one (its shape is the block grid,
    /// one element per block), the number of elements that block held: sum it for the count
    /// written. An error `write` throws fails its task and the run, naming the block. `identity`
    /// goes into the task keys (say where the blocks go).
    public func storing(
        _ operation: String, identity: [String],
        write: @escaping @Sendable (_ block: DenseArray, _ info: BlockInfo) throws -> Void
    ) throws -> BlockArray {
        let source = self
        let grid = chunks.blockCounts
        let gridChunks = try Chunks(shape: grid, spec: .perAxis(grid.map { _ in 1 }))
        let name = token(operation, identity + [self.name])
        let blockShape = grid.map { _ in 1 }
        return BlockArray(name: name, chunks: gridChunks, layer: .tasks(inputs: [self]) {
            source.chunks.blockIndices.map { index in
                let info = BlockInfo(index: index, offset: source.chunks.blockOffset(index),
                                     shape: source.chunks.blockShape(index))
                return GraphTask(key: TaskKey(name, index), dependencies: [source.key(index)], operation: operation,
                                 flops: 0, outputShape: blockShape) { blocks in
                    try write(blocks[0], info)
                    return DenseArray(uncheckedShape: blockShape, storage: [Double(blocks[0].count)])
                }
            }
        })
    }
}
