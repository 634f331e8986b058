import BlockArray

extension BlockGridMap {
    /// The grid of the graph's heaviest stage: the layer (task key name) with the most
    /// estimated flops, tasks counted by the block they work on.
    ///
    /// For `(x @ x.T).sum()` that is the matrix product's blocks, each standing for the
    /// partial products that make it; the final scalar alone would be a single cell.
    /// A stage of rank 1 is one row, of rank 3 or more is folded into rows × the rest.
    /// Blocks the stage leaves empty take the tasks downstream of it that work on them:
    /// `x @ x.T` multiplies only the blocks on and above the diagonal, and the blocks
    /// below are shown by the tasks that copy them transposed.
    public init(graph: TaskGraph) {
        var flopsByStage: [String: Double] = [:]
        var tasksByStage: [String: Int] = [:]
        for task in graph.tasks {
            flopsByStage[task.key.name, default: 0] += task.flops
            tasksByStage[task.key.name, default: 0] += 1
        }
        let stage = flopsByStage.keys.max { a, b in
            (flopsByStage[a]!, tasksByStage[a]!, b) < (flopsByStage[b]!, tasksByStage[b]!, a)
        } ?? ""
        let members = graph.tasks.indices.filter { graph.tasks[$0].key.name == stage }
        let rank = members.map { graph.tasks[$0].blockIndex.count }.max() ?? 0
        var extent = [Int](repeating: 1, count: rank)
        for id in members {
            for (axis, position) in graph.tasks[id].blockIndex.enumerated() { extent[axis] = max(extent[axis], position + 1) }
        }
        let rows = rank >= 2 ? extent[0] : 1
        let columns = rank == 0 ? 1 : extent[(rank >= 2 ? 1 : 0)...].reduce(1, *)
        var blockOfTask = [Int32](repeating: -1, count: graph.count)
        for id in members {
            let index = graph.tasks[id].blockIndex
            guard index.count == rank else { continue }
            var block = 0
            for (axis, position) in index.enumerated() { block = block * extent[axis] + position }
            blockOfTask[id] = Int32(block)
        }
        let covered = Set(members.map { blockOfTask[$0] })
        var reached = [Bool](repeating: false, count: graph.count)
        var pending = members
        var filled: [(id: Int, block: Int32)] = []
        while let id = pending.popLast() {
            for dependent in graph.dependents[id] where !reached[dependent] {
                reached[dependent] = true
                pending.append(dependent)
                let index = graph.tasks[dependent].blockIndex
                guard blockOfTask[dependent] < 0, index.count == rank, zip(index, extent).allSatisfy({ $0 < $1 }) else { continue }
                let block = Int32(zip(index, extent).reduce(0) { $0 * $1.1 + $1.0 })
                if !covered.contains(block) { filled.append((dependent, block)) }
            }
        }
        for (id, block) in filled { blockOfTask[id] = block }
        self.init(stage: stage, rows: rows, columns: columns, blockOfTask: blockOfTask)
    }
}
