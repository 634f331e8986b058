import Foundation

/// Reductions over all or chosen axes, as tree reductions with a bounded fan-in.
extension BlockArray {
    /// dask's default fan-in: at most this many partials are merged by one task.
    public static let defaultSplitEvery = 16

    public func sum(axes: [Int]? = nil, keepDims: Bool = false, splitEvery: Int? = nil) throws -> BlockArray {
        try reduce(.sum, axes: axes, keepDims: keepDims, splitEvery: splitEvery)
    }

    public func prod(axes: [Int]? = nil, keepDims: Bool = false, splitEvery: Int? = nil) throws -> BlockArray {
        try reduce(.prod, axes: axes, keepDims: keepDims, splitEvery: splitEvery)
    }

    public func min(axes: [Int]? = nil, keepDims: Bool = false, splitEvery: Int? = nil) throws -> BlockArray {
        try reduce(.min, axes: axes, keepDims: keepDims, splitEvery: splitEvery)
    }

    public func max(axes: [Int]? = nil, keepDims: Bool = false, splitEvery: Int? = nil) throws -> BlockArray {
        try reduce(.max, axes: axes, keepDims: keepDims, splitEvery: splitEvery)
    }

    public func mean(axes: [Int]? = nil, keepDims: Bool = false, splitEvery: Int? = nil) throws -> BlockArray {
        try reduce(.mean, axes: axes, keepDims: keepDims, splitEvery: splitEvery)
    }

    /// Variance with `ddof` delta degrees of freedom, from per-block two-pass
    /// partials merged with Chan's update (stable for data far from zero).
    public func variance(axes: [Int]? = nil, ddof: Int = 0, keepDims: Bool = false, splitEvery: Int? = nil) throws -> BlockArray {
        try reduce(.variance(ddof: ddof), axes: axes, keepDims: keepDims, splitEvery: splitEvery)
    }

    /// Standard deviation: the square root of `variance`.
    public func std(axes: [Int]? = nil, ddof: Int = 0, keepDims: Bool = false, splitEvery: Int? = nil) throws -> BlockArray {
        try reduce(.standardDeviation(ddof: ddof), axes: axes, keepDims: keepDims, splitEvery: splitEvery)
    }

    /// Index of the smallest element: into the flattened array when `axis` is nil, else along `axis`.
    public func argmin(axis: Int? = nil, splitEvery: Int? = nil) throws -> BlockArray {
        try reduce(.argmin, axes: axis.map { [$0] }, keepDims: false, splitEvery: splitEvery)
    }

    /// Index of the largest element: into the flattened array when `axis` is nil, else along `axis`.
    public func argmax(axis: Int? = nil, splitEvery: Int? = nil) throws -> BlockArray {
        try reduce(.argmax, axes: axis.map { [$0] }, keepDims: false, splitEvery: splitEvery)
    }

    /// Builds the tree: a partial per input block, merge levels of at most
    /// `splitEvery` partials, and a final level that yields the values.
    package func reduce(_ reduction: Reduction, axes requested: [Int]?, keepDims: Bool, splitEvery: Int?) throws -> BlockArray {
        let axes = try normalizeAxes(requested, rank: rank)
        let fanIn = splitEvery ?? BlockArray.defaultSplitEvery
        guard fanIn >= 2 else {
            throw BlockArrayError.invalidArgument(operation: reduction.name, message: "splitEvery \(fanIn) must be ≥ 2")
        }
        if reduction.needsElements, let empty = axes.first(where: { shape[$0] == 0 }) {
            throw BlockArrayError.invalidArgument(operation: reduction.name, message: "axis \(empty) is empty, so there is no \(reduction.name)")
        }
        let reduced = (0..<rank).map(axes.contains)
        // Arg-reductions index the flattened reduced axes (one axis, or all).
        let globalStrides: [Int] = {
            let strides = rowMajorStrides(axes.map { shape[$0] })
            return (0..<rank).map { axis in axes.firstIndex(of: axis).map { strides[$0] } ?? 0 }
        }()
        let outputSizes = chunks.sizes.enumerated().compactMap { axis, sizes -> [Int]? in
            reduced[axis] ? (keepDims ? [1] : nil) : sizes
        }
        let outputChunks = Chunks(validSizes: outputSizes)
        let source = self
        let name = token(reduction.name, ["\(axes)", "\(keepDims)", "\(fanIn)", self.name])
        return BlockArray(name: name, chunks: outputChunks, layer: .taskSets(inputs: [self]) {
            // Every level is a grid of tasks: a partial per input block, then merges of at most
            // `fanIn` neighbours per task, the last level yielding the values.
            var sets: [TaskSet] = []
            let sourceChunks = source.chunks
            let fields = reduction.fieldCount
            /// Elements of a block at `index` once its reduced axes are 1.
            let keptCount: @Sendable ([Int]) -> Int = { index in
                var count = 1
                for axis in index.indices where !reduced[axis] { count *= sourceChunks.sizes[axis][index[axis]] }
                return count
            }
            var counts = sourceChunks.blockCounts
            let partialName = name + "-partial"
            sets.append(.grid(GridTasks(
                name: partialName, operation: reduction.name + "-partial", blockCounts: counts,
                inputs: [GridTasks.Input(source)],
                flops: { Double(sourceChunks.blockElementCount(at: $0) * fields) },
                outputBytes: { [counts] local in fields * keptCount(unravel(local, counts)) * MemoryLayout<Double>.stride }
            ) { [counts] local, blocks in
                let offset = sourceChunks.blockOffset(unravel(local, counts))
                return reduction.partial(blocks[0], reduced: reduced, offset: offset, globalStrides: globalStrides)
            }))
            var previous = GridTasks.Input(name: partialName, blockCounts: counts)
            var level = 0
            let combineOperation = reduction.name + "-combine", aggregateOperation = reduction.name + "-aggregate"
            repeat {
                level += 1
                let factors = BlockArray.mergeFactors(counts: counts, axes: axes, fanIn: fanIn)
                let next = zip(counts, factors).map { ($0 + $1 - 1) / $1 }
                let isFinal = axes.allSatisfy { next[$0] == 1 }
                let below = counts
                // The blocks of the level below merged by the task at `index` of this level.
                let ranges: @Sendable ([Int]) -> [Range<Int>] = { index in
                    index.enumerated().map { axis, i in
                        (i * factors[axis])..<Swift.min((i + 1) * factors[axis], below[axis])
                    }
                }
                let reads: GridTasks.Reads = { local, visit in
                    let spans = ranges(unravel(local, next))
                    var position = spans.map(\.lowerBound)
                    let total = spans.reduce(1) { $0 * $1.count }
                    for _ in 0..<total {
                        visit(0, ravel(position, below)!)
                        var axis = position.count - 1
                        while axis >= 0 {
                            position[axis] += 1
                            if position[axis] < spans[axis].upperBound { break }
                            position[axis] = spans[axis].lowerBound
                            axis -= 1
                        }
                    }
                }
                let flops: @Sendable (Int) -> Double = { local in
                    let index = unravel(local, next)
                    let merged = ranges(index).reduce(1) { $0 * $1.count }
                    return Double(keptCount(index) * fields * merged)
                }
                if isFinal {
                    sets.append(.grid(GridTasks(
                        name: name, operation: aggregateOperation, blockCounts: outputChunks.blockCounts,
                        inputs: [previous], reads: reads, flops: flops,
                        outputBytes: { outputChunks.blockElementCount(at: $0) * MemoryLayout<Double>.stride }
                    ) { local, partials in
                        reduction.finalize(reduction.combine(partials), outputShape: outputChunks.blockShape(at: local))
                    }))
                    break
                }
                let combineName = name + "-combine\(level)"
                sets.append(.grid(GridTasks(
                    name: combineName, operation: combineOperation, blockCounts: next,
                    inputs: [previous], reads: reads, flops: flops,
                    outputBytes: { local in fields * keptCount(unravel(local, next)) * MemoryLayout<Double>.stride }
                ) { _, partials in reduction.combine(partials) }))
                previous = GridTasks.Input(name: combineName, blockCounts: next)
                counts = next
            } while true
            return sets
        })
    }

    /// How many blocks one merge takes along each axis at one tree level: the
    /// product stays ≤ `fanIn`, shared as evenly as it can be among the reduced
    /// axes that still have several blocks (1 elsewhere).
    private static func mergeFactors(counts: [Int], axes: [Int], fanIn: Int) -> [Int] {
        var factors = [Int](repeating: 1, count: counts.count)
        let active = axes.filter { counts[$0] > 1 }
        var budget = fanIn
        for (position, axis) in active.enumerated() {
            let share = Swift.max(2, Int(pow(Double(budget), 1 / Double(active.count - position)) + 1e-9))
            let factor = Swift.min(counts[axis], share)
            guard factor <= budget else { break }
            factors[axis] = factor
            budget /= factor
        }
        return factors
    }
}
