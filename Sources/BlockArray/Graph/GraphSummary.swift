/// What a monitor needs to know about a task graph, worked out once: each task's operation
/// and estimated flops, and the grid of blocks to draw with the block each task works on.
///
/// A local graph makes its summary with `TaskGraph.summary`; a remote one (a Dask cluster)
/// makes the same from its task keys with `init(tasks:dependents:)`, since keys such as
/// `('matmul-1f…', 2, 3)` give the layer and the block.
public struct GraphSummary: Sendable, Equatable {
    /// One task as the summary sees it.
    public struct TaskOutline: Sendable, Equatable {
        /// The layer its key names, e.g. `matmul-1f0e…`.
        public var layer: String
        /// Position of the block it works on in its layer's grid.
        public var blockIndex: [Int]
        /// Estimated floating-point operations (0 when unknown).
        public var flops: Double
        /// What it does (`GraphTask.operation`); by default the layer's name without its token.
        public var operation: String

        public init(layer: String, blockIndex: [Int], flops: Double, operation: String? = nil) {
            self.layer = layer
            self.blockIndex = blockIndex
            self.flops = flops
            self.operation = operation ?? operationName(ofLayer: layer)
        }
    }

    /// The grid a monitor draws: one stage's blocks, rows × columns.
    public struct Grid: Sendable, Equatable {
        /// The layer whose blocks these are.
        public var stage: String
        /// What that layer's tasks do (its most common operation).
        public var operation: String
        /// Blocks along each axis of the stage (`rows` × `columns` folds a rank above 2).
        public var extent: [Int]
        public var rows: Int
        public var columns: Int
        /// `blockOfTask[task]`: row-major block index, or -1 for tasks the grid does not show.
        public var blockOfTask: [Int32]
    }

    /// Estimated flops of each task, by task id.
    public let taskFlops: [Double]
    /// The distinct operations, in order of first appearance (`random`, `matmul`, `sum` …).
    public let operations: [String]
    /// `operationOfTask[task]`: index in `operations`.
    public let operationOfTask: [Int32]
    /// The grid of the heaviest stage, where most of the work is.
    public let grid: Grid

    /// The summary of `tasks`, where `dependents[i]` lists the ids of the tasks that read task `i`.
    ///
    /// The grid shows the heaviest stage: the layer with the most estimated flops (then the
    /// most tasks), each task counted on the block it works on. For `(x @ x.T).sum()` that is
    /// the product's blocks; the final scalar alone would be one cell. A stage of rank 1 is one
    /// row, of rank 3 or more is folded into rows × the rest. Blocks the stage leaves empty take
    /// the tasks downstream of it that work on them: `x @ x.T` multiplies only the blocks on and
    /// above the diagonal, and those below are shown by the tasks that copy them transposed.
    public init(tasks: [TaskOutline], dependents: [[Int]]) {
        taskFlops = tasks.map(\.flops)
        var indexOfOperation: [String: Int32] = [:]
        var operations: [String] = []
        operationOfTask = tasks.map { task in
            if let index = indexOfOperation[task.operation] { return index }
            let index = Int32(operations.count)
            operations.append(task.operation)
            indexOfOperation[task.operation] = index
            return index
        }
        self.operations = operations
        grid = Self.heaviestStageGrid(tasks, dependents: dependents)
    }

    private static func heaviestStageGrid(_ tasks: [TaskOutline], dependents: [[Int]]) -> Grid {
        var weight: [String: (flops: Double, tasks: Int)] = [:]
        for task in tasks {
            let sum = weight[task.layer, default: (0, 0)]
            weight[task.layer] = (sum.flops + task.flops, sum.tasks + 1)
        }
        let stage = weight.keys.max { a, b in
            (weight[a]!.flops, weight[a]!.tasks, b) < (weight[b]!.flops, weight[b]!.tasks, a)
        } ?? ""
        let members = tasks.indices.filter { tasks[$0].layer == stage }
        let rank = members.map { tasks[$0].blockIndex.count }.max() ?? 0
        var extent = [Int](repeating: 1, count: rank)
        for id in members {
            for (axis, position) in tasks[id].blockIndex.enumerated() { extent[axis] = max(extent[axis], position + 1) }
        }
        /// The row-major block of `index` in the stage's grid, or nil when it lies outside it.
        func block(_ index: [Int]) -> Int32? {
            guard index.count == rank, zip(index, extent).allSatisfy({ $0 >= 0 && $0 < $1 }) else { return nil }
            return Int32(zip(index, extent).reduce(0) { $0 * $1.1 + $1.0 })
        }
        var blockOfTask = [Int32](repeating: -1, count: tasks.count)
        for id in members { blockOfTask[id] = block(tasks[id].blockIndex) ?? -1 }
        let covered = Set(members.map { blockOfTask[$0] })
        var reached = [Bool](repeating: false, count: tasks.count)
        var pending = members
        var filled: [(id: Int, block: Int32)] = []
        while let id = pending.popLast() {
            for dependent in dependents[id] where !reached[dependent] {
                reached[dependent] = true
                pending.append(dependent)
                guard blockOfTask[dependent] < 0, let target = block(tasks[dependent].blockIndex),
                      !covered.contains(target) else { continue }
                filled.append((dependent, target))
            }
        }
        for (id, target) in filled { blockOfTask[id] = target }
        let rows = rank >= 2 ? extent[0] : 1
        let columns = rank == 0 ? 1 : extent[(rank >= 2 ? 1 : 0)...].reduce(1, *)
        var operationCounts: [String: Int] = [:]
        for id in members { operationCounts[tasks[id].operation, default: 0] += 1 }
        let operation = operationCounts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? operationName(ofLayer: stage)
        return Grid(stage: stage, operation: operation, extent: extent, rows: rows, columns: columns, blockOfTask: blockOfTask)
    }
}

/// The operation a layer name stands for: the name without its tokens, as dask's `key_split`
/// does (`matmul-1f0e9a8b7c6d5e4f` → `matmul`, `sum-1f0e9a8b7c6d5e4f-partial` → `sum-partial`).
public func operationName(ofLayer layer: String) -> String {
    let parts = layer.split(separator: "-", omittingEmptySubsequences: false)
    return ([parts[0]] + parts.dropFirst().filter { !isToken($0) }).joined(separator: "-")
}

/// Whether a part of a layer name is a token: 8 or more hex digits, or a number.
private func isToken(_ part: Substring) -> Bool {
    guard !part.isEmpty, part.allSatisfy(\.isHexDigit) else { return false }
    return part.count >= 8 || part.allSatisfy(\.isNumber)
}

extension TaskGraph {
    /// The summary a monitor shows of this graph.
    public var summary: GraphSummary {
        GraphSummary(tasks: tasks.map {
                         GraphSummary.TaskOutline(layer: $0.key.name, blockIndex: $0.blockIndex, flops: $0.flops, operation: $0.operation)
                     },
                     dependents: dependents)
    }
}
