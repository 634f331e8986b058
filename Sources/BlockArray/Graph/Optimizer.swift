/// Which graph optimizations to apply; tests switch them off to compare task counts.
public struct OptimizationOptions: Sendable {
    /// Merge elementwise chains into one expression and fuse linear task chains.
    public var fuse: Bool
    /// Drop tasks the result does not need.
    public var cull: Bool

    public init(fuse: Bool = true, cull: Bool = true) {
        self.fuse = fuse
        self.cull = cull
    }
}

/// Turns a lazy array into an executable graph: materialize layers (merging
/// elementwise chains), give every task an integer id, drop unneeded tasks, fuse
/// linear chains, and order the rest so each task follows its dependencies.
///
/// Keys are hashed once, when ids are given; the passes after that work on ids,
/// so a graph of a million tasks builds in about a second.
package enum Optimizer {
    package static func graph(for array: BlockArray, options: OptimizationOptions) -> TaskGraph {
        var graph = IndexedTasks(LayerMaterializer(root: array, fuseElementwise: options.fuse).tasks())
        let outputs = array.chunks.blockIndices.map { graph.id(of: array.key($0)) }
        if options.cull { graph.keepOnlyWhatReaches(outputs) }
        if options.fuse { graph.fuseLinearChains(outputs: Set(outputs)) }
        return graph.ordered(outputs: outputs, outputChunks: array.chunks)
    }
}

/// Tasks with their dependencies as ids (positions in `tasks`), and which are still in the graph.
struct IndexedTasks {
    private var tasks: [Task]
    private var dependencies: [[Int]]
    private var kept: [Bool]
    private let ids: [TaskKey: Int]

    init(_ tasks: [Task]) {
        var ids: [TaskKey: Int] = [:]
        ids.reserveCapacity(tasks.count)
        for (id, task) in tasks.enumerated() { ids[task.key] = id }
        self.tasks = tasks
        self.ids = ids
        dependencies = tasks.map { task in
            task.dependencies.map { key in
                guard let id = ids[key] else { preconditionFailure("task \(task.key) reads missing \(key)") }
                return id
            }
        }
        kept = [Bool](repeating: true, count: tasks.count)
    }

    func id(of key: TaskKey) -> Int {
        guard let id = ids[key] else { preconditionFailure("no task \(key)") }
        return id
    }

    /// Keeps only the tasks that `roots` depend on, transitively.
    mutating func keepOnlyWhatReaches(_ roots: [Int]) {
        var reached = [Bool](repeating: false, count: tasks.count)
        var pending = roots
        while let id = pending.popLast() {
            guard !reached[id] else { continue }
            reached[id] = true
            pending.append(contentsOf: dependencies[id])
        }
        kept = zip(kept, reached).map { $0 && $1 }
    }

    /// Merges each task that has one dependency into that dependency's only
    /// dependent, as dask's `fuse` does: a chain a → b → c becomes one task c.
    mutating func fuseLinearChains(outputs: Set<Int>) {
        var dependentCount = [Int](repeating: 0, count: tasks.count)
        for id in tasks.indices where kept[id] {
            for dependency in dependencies[id] { dependentCount[dependency] += 1 }
        }
        // In dependency order, so a chain's head is already fused when its next link is reached.
        for id in topologicalOrder() {
            guard dependencies[id].count == 1 else { continue }
            let dependency = dependencies[id][0]
            guard dependentCount[dependency] == 1, !outputs.contains(dependency) else { continue }
            let inner = tasks[dependency].kernel, outer = tasks[id].kernel
            tasks[id] = Task(fusing: tasks[dependency], into: tasks[id],
                             kernel: { inputs in try outer([try inner(inputs)]) },
                             dependencies: tasks[dependency].dependencies)
            dependencies[id] = dependencies[dependency]
            kept[dependency] = false
            tasks[dependency] = tasks[id]  // drops the old closure; the slot is no longer in the graph
        }
    }

    /// The kept tasks' ids, each after its dependencies (Kahn's algorithm, ready tasks in id order).
    private func topologicalOrder() -> [Int] {
        var remaining = [Int](repeating: 0, count: tasks.count)
        var dependents = [[Int]](repeating: [], count: tasks.count)
        var order: [Int] = []
        for id in tasks.indices where kept[id] {
            remaining[id] = dependencies[id].count
            if remaining[id] == 0 { order.append(id) }
            for dependency in dependencies[id] { dependents[dependency].append(id) }
        }
        var cursor = 0
        while cursor < order.count {
            for dependent in dependents[order[cursor]] {
                remaining[dependent] -= 1
                if remaining[dependent] == 0 { order.append(dependent) }
            }
            cursor += 1
        }
        precondition(order.count == kept.lazy.filter { $0 }.count, "task graph has a cycle")
        return order
    }

    /// The kept tasks as an executable graph, renumbered in dependency order.
    func ordered(outputs: [Int], outputChunks: Chunks) -> TaskGraph {
        let order = topologicalOrder()
        var position = [Int](repeating: -1, count: tasks.count)
        for (index, id) in order.enumerated() { position[id] = index }
        return TaskGraph(tasks: order.map { tasks[$0] },
                         dependencies: order.map { dependencies[$0].map { position[$0] } },
                         outputs: outputs.map { position[$0] },
                         outputChunks: outputChunks)
    }
}
