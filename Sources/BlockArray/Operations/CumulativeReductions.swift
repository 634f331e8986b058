/// Cumulative sums and products along an axis, as dask's sequential blocked scan (see `Scan`).
///
/// Per block along the axis: a `cumsum-scan` task scans the block alone; a `cumsum-carry` task
/// holds the totals of the blocks before it, made from the carry before and the previous
/// block's last slice; the `cumsum` task combines the two. The first block on the axis is its
/// own scan. Sums across blocks add in another order than NumPy's one pass, so they may differ
/// from it in the last bits.
extension BlockArray {
    /// Cumulative sums along `axis`, as NumPy's `cumsum`; along the flattened array (row-major,
    /// reshaped to one axis as dask does) when `axis` is nil.
    public func cumsum(axis: Int?) throws -> BlockArray {
        try scan(.cumsum, axis: axis)
    }

    /// Cumulative products along `axis`, as NumPy's `cumprod`; along the flattened array when `axis` is nil.
    public func cumprod(axis: Int?) throws -> BlockArray {
        try scan(.cumprod, axis: axis)
    }

    private func scan(_ scan: Scan, axis requested: Int?) throws -> BlockArray {
        guard let requested else { return try reshape([-1]).scan(scan, axis: 0) }
        let axis = try normalizeAxes([requested], rank: rank)[0]
        let source = self, chunks = self.chunks
        let name = token(scan.rawValue, ["\(axis)", self.name])
        let scanName = name + "-scan", carryName = name + "-carry"
        let operation = scan.rawValue
        /// The block at `index` scanned alone: the result itself for the first block on the axis.
        @Sendable func scannedKey(_ index: [Int]) -> TaskKey { TaskKey(index[axis] == 0 ? name : scanName, index) }
        return BlockArray(name: name, chunks: chunks, layer: .tasks(inputs: [self]) {
            var tasks: [GraphTask] = []
            // Row-major order puts each block's carry after the tasks it reads.
            for index in chunks.blockIndices {
                let shape = chunks.blockShape(index)
                let elements = Double(elementCount(shape))
                let position = index[axis]
                tasks.append(GraphTask(key: scannedKey(index), dependencies: [source.key(index)],
                                       operation: position == 0 ? operation : operation + "-scan",
                                       flops: elements, outputShape: shape) { scan.scanned($0[0], axis: axis) })
                guard position > 0 else { continue }
                var previous = index
                previous[axis] -= 1
                var carryShape = shape
                carryShape[axis] = 1
                let carryReads = position == 1 ? [scannedKey(previous)] : [TaskKey(carryName, previous), scannedKey(previous)]
                tasks.append(GraphTask(key: TaskKey(carryName, index), dependencies: carryReads, operation: operation + "-carry",
                                       flops: Double(elementCount(carryShape)), outputShape: carryShape) { blocks in
                    let totals = scan.lastSlice(blocks[blocks.count - 1], axis: axis)
                    return blocks.count == 1 ? totals : scan.applying(blocks[0], to: totals, axis: axis)
                })
                tasks.append(GraphTask(key: TaskKey(name, index), dependencies: [TaskKey(scanName, index), TaskKey(carryName, index)],
                                       operation: operation, flops: elements, outputShape: shape) { blocks in
                    scan.applying(blocks[1], to: blocks[0], axis: axis)
                })
            }
            return tasks
        })
    }
}
