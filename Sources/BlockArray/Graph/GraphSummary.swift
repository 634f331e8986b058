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
        grid = Self.heaviestStageGrid(layers: layers, layerOfTask: layerOfTask, flops: taskFlops,
                                      blockIndex: { tasks[$0].blockIndex }, dependents: dependents)
    }

    /// A summary from figures already worked out per task (`TaskGraph.summary`).
    init(taskFlops: [Double], operationNames: [String], operationOfTask: [Int32], layers: [String], layerOfTask: [Int32],
         blockIndex: (Int) -> [Int], dependents: TaskAdjacency) {
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
        grid = Self.heaviestStageGrid(layers: layers, layerOfTask: layerOfTask, flops: taskFlops,
                                      blockIndex: blockIndex, dependents: dependents)
    }

    private static func heaviestStageGrid<Dependents: RandomAccessCollection>(
        layers: [String], layerOfTask: [Int32], flops: [Double], blockIndex: (Int) -> [Int], dependents: Dependents
    ) -> Grid where Dependents.Index == Int, Dependents.Element: Collection, Dependents.Element.Element == Int {
        var weight = [(flops: Double, tasks: Int)](repeating: (0, 0), count: layers.count)
        for (task, layer) in layerOfTask.enumerated() {
            weight[Int(layer)].flops += flops[task]
            weight[Int(layer)].tasks += 1
        }
        let heaviest = weight.indices.filter { weight[$0].tasks > 0 }.max { a, b in
            (weight[a].flops, weight[a].tasks, layers[b]) < (weight[b].flops, weight[b].tasks, layers[a])
        }
        let stage = heaviest.map { layers[$0] } ?? ""
        let members = heaviest.map { layer in layerOfTask.indices.filter { layerOfTask[$0] == layer } } ?? []
        let memberIndices = members.map(blockIndex)
        let rank = memberIndices.map(\.count).max() ?? 0
        var extent = [Int](repeating: 1, count: rank)
        for index in memberIndices {
            for (axis, position) in index.enumerated() { extent[axis] = max(extent[axis], position + 1) }
        }
        /// The row-major block of `index` in the stage's grid, or nil when it lies outside it.
        func block(_ index: [Int]) -> Int32? {
            guard index.count == rank, zip(index, extent).allSatisfy({ $0 >= 0 && $0 < $1 }) else { return nil }
            return Int32(zip(index, extent).reduce(0) { $0 * $1.1 + $1.0 })
        }
        var blockOfTask = [Int32](repeating: -1, count: layerOfTask.count)
        for (id, index) in zip(members, memberIndices) { blockOfTask[id] = block(index) ?? -1 }
        let covered = Set(members.map { blockOfTask[$0] })
        var reached = [Bool](repeating: false, count: layerOfTask.count)
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
        let rows = rank >= 2 ? extent[0] : 1
        let columns = rank == 0 ? 1 : extent[(rank >= 2 ? 1 : 0)...].reduce(1, *)
        return Grid(stage: stage, rows: rows, columns: columns, blockOfTask: blockOfTask)
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
        func index(of layer: String) -> Int32 {
            if let index = layerIndex[layer] { return index }
            layers.append(layer)
            layerIndex[layer] = Int32(layers.count - 1)
            return Int32(layers.count - 1)
        }
        var layerOfSet = [Int32](repeating: -1, count: records.sets.count)
        for (set, tasks) in records.sets.enumerated() {
            if case .grid(let grid) = tasks { layerOfSet[set] = index(of: grid.name) }
        }
        let layerOfTask = recordOfTask.map { record -> Int32 in
            let layer = layerOfSet[Int(records.setOfRecord[Int(record)])]
            return layer >= 0 ? layer : index(of: records.layer(Int(record)))
        }
        return GraphSummary(taskFlops: taskFlops, operationNames: operationNames, operationOfTask: operationOfTask,
                            layers: layers, layerOfTask: layerOfTask, blockIndex: { blockIndex(of: $0) },
                            dependents: dependents)
    }
}
