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
        /// Each block's size along each axis, dask's `chunks` (`[[100, 300, 600], [500, 500]]`), so a
        /// monitor can draw blocks in proportion; nil when the graph does not say (a summary made
        /// from task keys), and a monitor then draws the blocks alike.
        public var blockSizes: [[Int]]?

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
    public init<Dependents: RandomAccessCollection>(tasks: [TaskOutline], dependents: Dependents)
    where Dependents.Index == Int, Dependents.Element: Collection, Dependents.Element.Element == Int {
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
        var layerIndex: [String: Int32] = [:]
        var layers: [String] = []
        let layerOfTask = tasks.map { task in
            if let index = layerIndex[task.layer] { return index }
            layers.append(task.layer)
            layerIndex[task.layer] = Int32(layers.count - 1)
            return Int32(layers.count - 1)
        }
        (stages, heaviestStage) = Self.stages(layers: layers, layerOfTask: layerOfTask, operationOfTask: operationOfTask,
                                              operations: operations, flops: taskFlops,
                                              blockIndex: { tasks[$0].blockIndex }, chunkings: { _ in [] }, dependents: dependents)
    }

    /// A summary from figures already worked out per task (`TaskGraph.summary`); `chunkings(layer)`
    /// lists the block sizes per axis the layer's block indices may count in, the likeliest first.
    init(taskFlops: [Double], operationNames: [String], operationOfTask: [Int32], layers: [String], layerOfTask: [Int32],
         blockIndex: (Int) -> [Int], chunkings: (_ layer: Int) -> [[[Int]]], dependents: TaskAdjacency) {
        self.taskFlops = taskFlops
        // The operations tasks do, in order of first appearance.
        var renumbered = [Int32](repeating: -1, count: operationNames.count)
        var operations: [String] = []
        self.operationOfTask = operationOfTask.map { index in
            if renumbered[Int(index)] < 0 {
                renumbered[Int(index)] = Int32(operations.count)
                operations.append(operationNames[Int(index)])
            }
            return renumbered[Int(index)]
        }
        self.operations = operations
        (stages, heaviestStage) = Self.stages(layers: layers, layerOfTask: layerOfTask, operationOfTask: self.operationOfTask,
                                              operations: operations, flops: taskFlops, blockIndex: blockIndex,
                                              chunkings: chunkings, dependents: dependents)
    }

    /// Layers of one operation over the same blocks, as they are gathered into a stage.
    private struct StageLayers {
        var layers: [Int] = []
        var members: [Int] = []
        var extent: [Int]
        var operation: Int
        var flops = 0.0
    }

    /// The stages of a graph whose task `i` is of layer `layerOfTask[i]` and does
    /// `operations[operationOfTask[i]]`, and the index of the heaviest. A stage's block sizes are
    /// the first of its first layer's `chunkings` with as many blocks per axis as the stage.
    private static func stages<Dependents: RandomAccessCollection>(
        layers: [String], layerOfTask: [Int32], operationOfTask: [Int32], operations: [String], flops: [Double],
        blockIndex: (Int) -> [Int], chunkings: (_ layer: Int) -> [[[Int]]], dependents: Dependents
    ) -> ([Grid], Int) where Dependents.Index == Int, Dependents.Element: Collection, Dependents.Element.Element == Int {
        var membersOfLayer = [[Int]](repeating: [], count: layers.count)
        for (task, layer) in layerOfTask.enumerated() { membersOfLayer[Int(layer)].append(task) }
        var stages: [StageLayers] = []
        var stageOfKey: [[Int]: Int] = [:]
        // Layers in graph order: by their first task.
        let order = membersOfLayer.indices.filter { !membersOfLayer[$0].isEmpty }.sorted { membersOfLayer[$0][0] < membersOfLayer[$1][0] }
        for layer in order {
            let members = membersOfLayer[layer]
            var extent: [Int] = []
            for task in members {
                let index = blockIndex(task)
                if index.count > extent.count { extent += Array(repeating: 1, count: index.count - extent.count) }
                for (axis, position) in index.enumerated() { extent[axis] = max(extent[axis], position + 1) }
            }
            var counts = [Int](repeating: 0, count: operations.count)
            for task in members { counts[Int(operationOfTask[task])] += 1 }
            let operation = counts.indices.max { (counts[$0], -$0) < (counts[$1], -$1) } ?? 0
            let key = [operation] + extent
            let index = stageOfKey[key] ?? stages.count
            if index == stages.count {
                stages.append(StageLayers(extent: extent, operation: operation))
                stageOfKey[key] = index
            }
            stages[index].layers.append(layer)
            stages[index].members += members
            stages[index].flops += members.reduce(0) { $0 + flops[$1] }
        }
        let weight = { (stage: StageLayers) in (stage.flops, stage.members.count) }
        let heaviest = stages.indices.max { weight(stages[$0]) < weight(stages[$1]) }
        // More than one block, the heaviest kept whatever it is; then the heaviest others, in graph order.
        var kept = stages.indices.filter { $0 == heaviest || stages[$0].extent.reduce(1, *) > 1 }
        if kept.count > maximumStages {
            let others = kept.filter { $0 != heaviest }.sorted { weight(stages[$0]) > weight(stages[$1]) }
            kept = ([heaviest].compactMap { $0 } + others.prefix(maximumStages - 1)).sorted()
        }
        let grids = kept.map { index in
            let stage = stages[index]
            var grid = grid(of: stage.members, extent: stage.extent, stage: layers[stage.layers[0]],
                            operation: operations.isEmpty ? "" : operations[stage.operation], steps: stage.layers.count,
                            taskCount: layerOfTask.count, blockIndex: blockIndex, dependents: dependents)
            grid.blockSizes = chunkings(stage.layers[0]).first { $0.map(\.count) == stage.extent }
            return grid
        }
        guard let heaviest, !grids.isEmpty else {
            return ([Grid(stage: "", operation: "", extent: [], steps: 0, blockOfTask: Array(repeating: -1, count: layerOfTask.count))], 0)
        }
        return (grids, kept.firstIndex(of: heaviest) ?? 0)
    }

    /// The grid of a stage whose tasks are `members`, with the blocks they leave empty taken by
    /// the tasks downstream of them that work on those blocks.
    private static func grid<Dependents: RandomAccessCollection>(
        of members: [Int], extent: [Int], stage: String, operation: String, steps: Int, taskCount: Int,
        blockIndex: (Int) -> [Int], dependents: Dependents
    ) -> Grid where Dependents.Index == Int, Dependents.Element: Collection, Dependents.Element.Element == Int {
        let rank = extent.count
        /// The row-major block of `index` in the stage's grid, or nil when it lies outside it.
        func block(_ index: [Int]) -> Int32? {
            guard index.count == rank, zip(index, extent).allSatisfy({ $0 >= 0 && $0 < $1 }) else { return nil }
            return Int32(zip(index, extent).reduce(0) { $0 * $1.1 + $1.0 })
        }
        var blockOfTask = [Int32](repeating: -1, count: taskCount)
        for task in members { blockOfTask[task] = block(blockIndex(task)) ?? -1 }
        let covered = Set(members.map { blockOfTask[$0] })
        var reached = [Bool](repeating: false, count: taskCount)
        var pending = members
        var filled: [(id: Int, block: Int32)] = []
        while let id = pending.popLast() {
            for dependent in dependents[id] where !reached[dependent] {
                reached[dependent] = true
                pending.append(dependent)
                guard blockOfTask[dependent] < 0, let target = block(blockIndex(dependent)),
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
    /// The summary a monitor shows of this graph, made from the graph's records: no key or
    /// outline per task, block indices only for the stage drawn and the tasks around it.
    public var summary: GraphSummary {
        // Layers by record set: a grid is one layer; tasks listed one by one name theirs.
        var layers: [String] = []
        var layerIndex: [String: Int32] = [:]
        // The set that made each layer, whose chunkings its block indices count in.
        var setOfLayer: [Int] = []
        func index(of layer: String, set: Int) -> Int32 {
            if let index = layerIndex[layer] { return index }
            layers.append(layer)
            setOfLayer.append(set)
            layerIndex[layer] = Int32(layers.count - 1)
            return Int32(layers.count - 1)
        }
        var layerOfSet = [Int32](repeating: -1, count: records.sets.count)
        for (set, tasks) in records.sets.enumerated() {
            if case .grid(let grid) = tasks { layerOfSet[set] = index(of: grid.name, set: set) }
        }
        let layerOfTask = recordOfTask.map { record -> Int32 in
            let set = Int(records.setOfRecord[Int(record)])
            return layerOfSet[set] >= 0 ? layerOfSet[set] : index(of: records.layer(Int(record)), set: set)
        }
        return GraphSummary(taskFlops: taskFlops, operationNames: operationNames, operationOfTask: operationOfTask,
                            layers: layers, layerOfTask: layerOfTask, blockIndex: { blockIndex(of: $0) },
                            chunkings: { records.chunkings[setOfLayer[$0]].map(\.sizes) }, dependents: dependents)
    }
}
