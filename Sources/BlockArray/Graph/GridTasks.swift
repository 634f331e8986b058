/// The tasks of one layer described once, not task by task: one task per block of a grid, each
/// named `(name, index)` for its row-major position in the grid, all doing `operation`.
///
/// A million blocks then cost no million closures, keys or dependency lists: a task is its
/// position (`local`, row-major), and what it reads, its flops and its kernel are functions of it.
package final class GridTasks: Sendable {
    /// A grid of blocks the tasks read: an array's blocks, or another grid of tasks.
    package struct Input: Sendable {
        package let name: String
        package let blockCounts: [Int]

        package init(name: String, blockCounts: [Int]) {
            self.name = name
            self.blockCounts = blockCounts
        }

        package init(_ array: BlockArray) {
            self.init(name: array.name, blockCounts: array.chunks.blockCounts)
        }
    }

    /// Calls `visit(input, position)` for each block the task at `local` reads, in kernel-argument
    /// order: `input` indexes `inputs`, `position` is row-major in that input's grid.
    package typealias Reads = @Sendable (_ local: Int, _ visit: (_ input: Int, _ position: Int) -> Void) -> Void

    package let name: String
    package let operation: String
    /// Block counts of the grid: task `local` is the block at the row-major position `local`.
    package let blockCounts: [Int]
    /// How many layers of the unoptimized graph each task stands for.
    package let fusedCount: Int
    /// The grids its tasks read from.
    package let inputs: [Input]
    /// What each task reads; nil: the block at its own position in every input, in order.
    package let reads: Reads?
    package let flops: @Sendable (_ local: Int) -> Double
    package let outputBytes: @Sendable (_ local: Int) -> Int
    package let kernel: @Sendable (_ local: Int, _ inputs: [DenseArray]) throws -> DenseArray

    package init(name: String, operation: String, blockCounts: [Int], fusedCount: Int = 1, inputs: [Input], reads: Reads? = nil,
                 flops: @escaping @Sendable (Int) -> Double, outputBytes: @escaping @Sendable (Int) -> Int,
                 kernel: @escaping @Sendable (Int, [DenseArray]) throws -> DenseArray) {
        self.name = name
        self.operation = operation
        self.blockCounts = blockCounts
        self.fusedCount = fusedCount
        self.inputs = inputs
        self.reads = reads
        self.flops = flops
        self.outputBytes = outputBytes
        self.kernel = kernel
    }

    package var count: Int { blockCounts.reduce(1, *) }

    /// Calls `visit(input, position)` for each block the task at `local` reads, in order.
    @inline(__always)
    package func forEachRead(_ local: Int, _ visit: (_ input: Int, _ position: Int) -> Void) {
        if let reads {
            reads(local, visit)
        } else {
            for input in inputs.indices { visit(input, local) }
        }
    }

    /// The block index of the task at `local`.
    package func index(_ local: Int) -> [Int] { unravel(local, blockCounts) }
}

/// What a `.tasks` layer makes: tasks one by one, or a grid of them described once.
package enum TaskSet: Sendable {
    case explicit([GraphTask])
    case grid(GridTasks)

    package var count: Int {
        switch self {
        case .explicit(let tasks): return tasks.count
        case .grid(let grid): return grid.count
        }
    }
}

/// The multi-index of row-major position `position` in a grid of `counts`.
package func unravel(_ position: Int, _ counts: [Int]) -> [Int] {
    var rest = position
    var index = [Int](repeating: 0, count: counts.count)
    var axis = counts.count - 1
    while axis >= 0 {
        let count = counts[axis]
        index[axis] = rest % count
        rest /= count
        axis -= 1
    }
    return index
}

/// The row-major position of `index` in a grid of `counts`, or nil when it lies outside.
package func ravel(_ index: [Int], _ counts: [Int]) -> Int? {
    guard index.count == counts.count else { return nil }
    var offset = 0
    for axis in 0..<counts.count {
        let position = index[axis], count = counts[axis]
        guard position >= 0, position < count else { return nil }
        offset = offset * count + position
    }
    return offset
}

extension Chunks {
    /// Elements in the block at row-major position `local`, with no array made.
    package func blockElementCount(at local: Int) -> Int {
        var rest = local, count = 1
        var axis = sizes.count - 1
        while axis >= 0 {
            let axisSizes = sizes[axis]
            count *= axisSizes[rest % axisSizes.count]
            rest /= axisSizes.count
            axis -= 1
        }
        return count
    }

    /// Shape of the block at row-major position `local`.
    package func blockShape(at local: Int) -> [Int] {
        var rest = local
        var shape = [Int](repeating: 0, count: sizes.count)
        var axis = sizes.count - 1
        while axis >= 0 {
            let axisSizes = sizes[axis]
            shape[axis] = axisSizes[rest % axisSizes.count]
            rest /= axisSizes.count
            axis -= 1
        }
        return shape
    }
}
