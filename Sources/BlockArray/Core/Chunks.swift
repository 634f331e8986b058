/// How a user asks for chunking: the same size on every axis, a size per axis,
/// or explicit block sizes per axis (as in dask). A size of -1 means "the whole axis".
public enum ChunkSpec: Sendable, Hashable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral
{
    case uniform(Int)
    case perAxis([Int])
    case explicit([[Int]])

    public init(integerLiteral value: Int) { self = .uniform(value) }
    public init(arrayLiteral elements: Int...) { self = .perAxis(elements) }

    public var description: String {
        switch self {
        case .uniform(let size): return "\(size)"
        case .perAxis(let sizes): return "\(sizes)"
        case .explicit(let sizes): return "\(sizes)"
        }
    }
}

/// The resolved block sizes of an array along each axis.
///
/// Blocks tile the array in row-major block order; the last block on an axis
/// may be smaller (ragged). An axis of extent 0 has a single empty block.
public struct Chunks: Sendable, Hashable, CustomStringConvertible {
    /// Block sizes per axis.
    public let sizes: [[Int]]
    /// Start of each block per axis (prefix sums of `sizes`).
    public let offsets: [[Int]]

    /// Resolves `spec` against `shape`, rejecting sizes that do not tile it and arrays past `Limits`.
    public init(shape: [Int], spec: ChunkSpec) throws {
        try validate(shape: shape)
        try Limits.checkElements(shape)
        func fail(_ reason: String) -> BlockArrayError {
            .invalidChunks(shape: shape, chunks: spec.description, reason: reason)
        }
        let sizes: [Int]
        switch spec {
        case .uniform(let size):
            sizes = shape.map { _ in size }
        case .perAxis(let perAxis):
            guard perAxis.count == shape.count else {
                throw fail("\(perAxis.count) sizes for \(shape.count) axes")
            }
            sizes = perAxis
        case .explicit(let lists):
            guard lists.count == shape.count else {
                throw fail("\(lists.count) lists for \(shape.count) axes")
            }
            for (axis, list) in lists.enumerated() {
                let sum = Limits.sum(list)
                guard sum == shape[axis] else {
                    throw fail("axis \(axis) sizes sum to \(sum.map(String.init) ?? "more than \(Int.max)"), not \(shape[axis])")
                }
                guard shape[axis] == 0 ? list == [0] : list.allSatisfy({ $0 > 0 }) else {
                    throw fail("axis \(axis) has a block size ≤ 0")
                }
            }
            try Limits.checkBlocks(lists.map(\.count), shape: shape, chunks: spec)
            self.init(validSizes: lists)
            return
        }
        // Count the blocks before making a list of them.
        let counts = try zip(shape, sizes).map { extent, size in
            if extent == 0 || size == -1 { return 1 }
            guard size > 0 else { throw fail("block size \(size) must be > 0 (or -1 for the whole axis)") }
            return extent / size + (extent % size == 0 ? 0 : 1)
        }
        try Limits.checkBlocks(counts, shape: shape, chunks: spec)
        self.init(validSizes: zip(shape, sizes).map(Chunks.split))
    }

    /// Chunks from sizes already known to be valid.
    package init(validSizes sizes: [[Int]]) {
        self.sizes = sizes
        self.offsets = sizes.map { list in
            var running = 0
            return list.map { size in
                defer { running += size }
                return running
            }
        }
    }

    /// Chunks from sizes derived from other arrays', checked against `Limits`. In an error, an extent
    /// past `Int.max` shows as `Int.max` and the largest block per axis stands for the sizes.
    package init(derivedSizes sizes: [[Int]]) throws(BlockArrayError) {
        let shape = sizes.map { Limits.sum($0) ?? Int.max }
        try Limits.checkElements(shape)
        try Limits.checkBlocks(sizes.map(\.count), shape: shape, chunks: .perAxis(sizes.map { $0.max() ?? 0 }))
        self.init(validSizes: sizes)
    }

    /// The blocks of an axis of `extent` in blocks of `size` (valid for it).
    private static func split(_ extent: Int, size: Int) -> [Int] {
        if extent == 0 { return [0] }
        if size == -1 { return [extent] }
        var result = [Int](repeating: size, count: extent / size)
        if extent % size != 0 { result.append(extent % size) }
        return result
    }

    public var rank: Int { sizes.count }
    /// Array extent per axis.
    public var shape: [Int] { sizes.map { $0.reduce(0, +) } }
    /// Number of blocks per axis.
    public var blockCounts: [Int] { sizes.map(\.count) }
    /// Total number of blocks.
    public var blockCount: Int { blockCounts.reduce(1, *) }

    /// Shape of the block at `index`.
    public func blockShape(_ index: [Int]) -> [Int] {
        zip(sizes, index).map { $0[$1] }
    }

    /// Global start of the block at `index`.
    public func blockOffset(_ index: [Int]) -> [Int] {
        zip(offsets, index).map { $0[$1] }
    }

    /// Every block index in row-major order.
    public var blockIndices: [[Int]] { allIndices(blockCounts) }

    /// Index of the block holding global coordinate `position` along `axis`.
    package func blockContaining(_ position: Int, axis: Int) -> Int {
        let starts = offsets[axis]
        var low = 0, high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= position { low = mid } else { high = mid - 1 }
        }
        return low
    }

    public var description: String { "\(sizes)" }
}

/// Every multi-index of a grid with `counts` per axis, in row-major order.
package func allIndices(_ counts: [Int]) -> [[Int]] {
    let total = counts.reduce(1, *)
    guard total > 0 else { return [] }
    var result: [[Int]] = []
    result.reserveCapacity(total)
    var index = [Int](repeating: 0, count: counts.count)
    repeat { result.append(index) } while advanceRowMajor(&index, within: counts)
    return result
}

/// Moves `index` to the next multi-index of a grid with `counts` per axis, the last axis fastest;
/// returns false, with `index` back at all zeros, when it was the last.
package func advanceRowMajor(_ index: inout [Int], within counts: [Int]) -> Bool {
    var axis = counts.count - 1
    while axis >= 0 {
        index[axis] += 1
        if index[axis] < counts[axis] { return true }
        index[axis] = 0
        axis -= 1
    }
    return false
}
