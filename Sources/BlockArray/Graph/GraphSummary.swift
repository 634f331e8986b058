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

    /// A grid a monitor draws: one stage's blocks and the tasks that work on each.
    public struct Grid: Sendable, Equatable {
        /// The first layer of the stage.
        public var stage: String
        /// What the stage's tasks do (their most common operation).
        public var operation: String
        /// Blocks along each axis of the stage.
        public var extent: [Int]
        /// How many layers the stage joins: the steps of a stencil, one layer each.
        public var steps: Int
        /// `blockOfTask[task]`: row-major block index over `extent`, or -1 for tasks the grid does not show.
        public var blockOfTask: [Int32]

        /// Rows and columns of the grid as a 2-D one: a rank above 2 folds its trailing axes into the columns.
        public var rows: Int { extent.count >= 2 ? extent[0] : 1 }
        public var columns: Int { extent.isEmpty ? 1 : extent[(extent.count >= 2 ? 1 : 0)...].reduce(1, *) }
    }

    /// Estimated flops of each task, by task id.
    public let taskFlops: [Double]
    /// The distinct operations, in order of first appearance (`random`, `matmul`, `sum` …).
    public let operations: [String]
    /// `operationOfTask[task]`: index in `operations`.
    public let operationOfTask: [Int32]
    /// The stages a monitor can show, in graph order (inputs, then what is made of them …): at
    /// most `maximumStages`, those of more than one block (or the one stage there is).
    public let stages: [Grid]
    /// Index in `stages` of the heaviest one, where most of the work is.
    public let heaviestStage: Int

    /// The heaviest stage's grid.
    public var grid: Grid { stages[heaviestStage] }

    /// Stages kept: each costs a block index per task.
    public static let maximumStages = 8

    /// The summary of `tasks`, where `dependents[i]` lists the ids of the tasks that read task `i`.
    ///
    /// A stage is the layers of one operation over the same blocks: a product's layer, a
    /// reduction's partial sums, or the many layers of a stencil's steps (a block then has a task
    /// per step, and fills up step by step). Each task counts on the block it works on. Blocks
    /// a stage leaves empty take the tasks downstream of it that work on them: `x @ x.T`
    /// multiplies only the blocks on and above the diagonal, and those below are shown by the
    /// tasks that copy them transposed. The heaviest stage has the most estimated flops (then
    /// the most tasks): for `(x @ x.T).sum()` the product's blocks.
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
        (stages, heaviestStage) = Self.stages(tasks, dependents: dependents)
    }

    /// The stages of `tasks` and the index of the heaviest.
    private static func stages(_ tasks: [TaskOutline], dependents: [[Int]]) -> ([Grid], Int) {
        // Each layer: its tasks, its grid's extent and its most common operation.
        var layerOrder: [String] = []
        var membersOfLayer: [String: [Int]] = [:]
        for (id, task) in tasks.enumerated() {
            if membersOfLayer[task.layer] == nil { layerOrder.append(task.layer) }
            membersOfLayer[task.layer, default: []].append(id)
        }
        struct Stage {
            var layers: [String] = []
            var members: [Int] = []
            var extent: [Int]
            var operation: String
            var flops = 0.0
        }
        var stages: [Stage] = []
        var stageOfKey: [String: Int] = [:]
        for layer in layerOrder {
            let members = membersOfLayer[layer]!
            let rank = members.map { tasks[$0].blockIndex.count }.max() ?? 0
            var extent = [Int](repeating: 1, count: rank)
            for id in members {
                for (axis, position) in tasks[id].blockIndex.enumerated() { extent[axis] = max(extent[axis], position + 1) }
            }
            var counts: [String: Int] = [:]
            for id in members { counts[tasks[id].operation, default: 0] += 1 }
            let operation = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }!.key
            let key = operation + "\u{0}" + extent.map(String.init).joined(separator: ",")
            let index = stageOfKey[key] ?? stages.count
            if index == stages.count {
                stages.append(Stage(extent: extent, operation: operation))
                stageOfKey[key] = index
            }
            stages[index].layers.append(layer)
            stages[index].members += members
            stages[index].flops += members.reduce(0) { $0 + tasks[$1].flops }
        }
        let weight = { (stage: Stage) in (stage.flops, stage.members.count) }
        let heaviest = stages.indices.max { weight(stages[$0]) < weight(stages[$1]) }
        // More than one block, the heaviest kept whatever it is; then the heaviest others, in graph order.
        var kept = stages.indices.filter { $0 == heaviest || stages[$0].extent.reduce(1, *) > 1 }
        if kept.count > maximumStages {
            let others = kept.filter { $0 != heaviest }.sorted { weight(stages[$0]) > weight(stages[$1]) }
            kept = ([heaviest].compactMap { $0 } + others.prefix(maximumStages - 1)).sorted()
        }
        let grids = kept.map { grid(of: stages[$0].members, extent: stages[$0].extent, stage: stages[$0].layers[0],
                                    operation: stages[$0].operation, steps: stages[$0].layers.count, tasks, dependents: dependents) }
        guard !grids.isEmpty else {
            return ([Grid(stage: "", operation: "", extent: [], steps: 0, blockOfTask: Array(repeating: -1, count: tasks.count))], 0)
        }
        return (grids, kept.firstIndex(of: heaviest ?? kept[0]) ?? 0)
    }

    /// The grid of a stage whose tasks are `members`, with the blocks they leave empty taken by
    /// the tasks downstream of them that work on those blocks.
    private static func grid(of members: [Int], extent: [Int], stage: String, operation: String, steps: Int,
                             _ tasks: [TaskOutline], dependents: [[Int]]) -> Grid {
        let rank = extent.count
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
        return Grid(stage: stage, operation: operation, extent: extent, steps: steps, blockOfTask: blockOfTask)
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
