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
        return BlockArray(name: name, chunks: outputChunks, layer: .tasks(inputs: [self]) {
            var tasks: [GraphTask] = []
            // Each level's keys in row-major order of its block counts.
            var keys: [TaskKey] = []
            let partialName = name + "-partial", partialOperation = reduction.name + "-partial"
            for index in source.chunks.blockIndices {
                let key = TaskKey(partialName, index)
                let offset = source.chunks.blockOffset(index), blockShape = source.chunks.blockShape(index)
                let flops = Double(elementCount(blockShape) * reduction.fieldCount)
                tasks.append(GraphTask(key: key, dependencies: [source.key(index)], operation: partialOperation, flops: flops,
                                  outputShape: [reduction.fieldCount] + blockShape.enumerated().map { reduced[$0] ? 1 : $1 }) { blocks in
                    reduction.partial(blocks[0], reduced: reduced, offset: offset, globalStrides: globalStrides)
                })
                keys.append(key)
            }
            var counts = source.chunks.blockCounts
            var level = 0
            let combineOperation = reduction.name + "-combine", aggregateOperation = reduction.name + "-aggregate"
            repeat {
                level += 1
                let factors = BlockArray.mergeFactors(counts: counts, axes: axes, fanIn: fanIn)
                let next = zip(counts, factors).map { ($0 + $1 - 1) / $1 }
                let isFinal = axes.allSatisfy { next[$0] == 1 }
                var nextKeys: [TaskKey] = []
                let strides = rowMajorStrides(counts)
                let combineName = name + "-combine\(level)"
                for index in allIndices(next) {
                    let ranges = index.enumerated().map { axis, i in
                        (i * factors[axis])..<Swift.min((i + 1) * factors[axis], counts[axis])
                    }
                    let dependencies = allIndices(ranges.map(\.count)).map { local in
                        keys[zip(zip(ranges, local), strides).reduce(0) { $0 + ($1.0.0.lowerBound + $1.0.1) * $1.1 }]
                    }
                    let keptShape = index.enumerated().map { axis, i in reduced[axis] ? 1 : source.chunks.sizes[axis][i] }
                    let positions = elementCount(keptShape)
                    let flops = Double(positions * reduction.fieldCount * dependencies.count)
                    if isFinal {
                        let outputIndex = index.enumerated().compactMap { axis, i in reduced[axis] && !keepDims ? nil : i }
                        let outputShape = outputChunks.blockShape(outputIndex)
                        let key = TaskKey(name, outputIndex)
                        tasks.append(GraphTask(key: key, dependencies: dependencies, operation: aggregateOperation,
                                               flops: flops, outputShape: outputShape) { partials in
                            reduction.finalize(reduction.combine(partials), outputShape: outputShape)
                        })
                    } else {
                        let key = TaskKey(combineName, index)
                        tasks.append(GraphTask(key: key, dependencies: dependencies, operation: combineOperation,
                                          flops: flops, outputShape: [reduction.fieldCount] + keptShape) { reduction.combine($0) })
                        nextKeys.append(key)
                    }
                }
                keys = nextKeys
                counts = next
                if isFinal { break }
            } while true
            return tasks
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
