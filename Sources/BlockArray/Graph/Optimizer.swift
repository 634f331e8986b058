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
    private var tasks: [GraphTask]
    private var dependencies: [[Int]]
    private var kept: [Bool]
    private let ids: KeyIndex

    init(_ tasks: [GraphTask]) {
        let ids = KeyIndex(tasks)
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
        // Fused operation names, made once per pair: a chain repeats the same pair in every block.
        var fusedNames: [String: [String: String]] = [:]
        // In dependency order, so a chain's head is already fused when its next link is reached.
        for id in topologicalOrder() {
            guard dependencies[id].count == 1 else { continue }
            let dependency = dependencies[id][0]
            guard dependentCount[dependency] == 1, !outputs.contains(dependency) else { continue }
            let inner = tasks[dependency].kernel, outer = tasks[id].kernel
            let first = tasks[dependency].operation, then = tasks[id].operation
            let operation = fusedNames[first, default: [:]][then] ?? fusedOperationName(first, then)
            fusedNames[first, default: [:]][then] = operation
            tasks[id] = GraphTask(fusing: tasks[dependency], into: tasks[id], operation: operation,
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

/// Task ids by key. Most layers list their blocks in row-major order under one name, so
/// a key's id is arithmetic on its index; a name whose tasks are laid out otherwise gets a
/// hash table. A million keys then cost no million-entry table missed in cache.
private struct KeyIndex {
    private enum Layout {
        /// Ids `first ..< first + count` are the blocks of a grid of `extents`, row-major.
        case grid(first: Int, extents: [Int])
        case table([[Int]: Int])
    }

    private var layouts: [String: Layout] = [:]

    init(_ tasks: [GraphTask]) {
        // Layers list their tasks together: gather ids by runs of one name.
        var members: [String: [Int]] = [:]
        var runStart = 0
        for id in tasks.indices where id + 1 == tasks.count || tasks[id + 1].key.name != tasks[runStart].key.name {
            members[tasks[runStart].key.name, default: []].append(contentsOf: runStart...id)
            runStart = id + 1
        }
        for (name, ids) in members {
            layouts[name] = Self.grid(of: ids, in: tasks)
                ?? .table(Dictionary(uniqueKeysWithValues: ids.map { (tasks[$0].key.index, $0) }))
        }
    }

    /// The grid layout of `ids`, if they are consecutive and their indices count through a grid.
    private static func grid(of ids: [Int], in tasks: [GraphTask]) -> Layout? {
        guard let first = ids.first, ids.last == first + ids.count - 1 else { return nil }
        let rank = tasks[first].key.index.count
        var extents = [Int](repeating: 0, count: rank)
        for id in ids {
            let index = tasks[id].key.index
            guard index.count == rank else { return nil }
            for axis in 0..<rank { extents[axis] = max(extents[axis], index[axis] + 1) }
        }
        guard extents.reduce(1, *) == ids.count else { return nil }
        var expected = [Int](repeating: 0, count: rank)
        for id in ids {
            guard tasks[id].key.index == expected else { return nil }
            var axis = rank - 1
            while axis >= 0 {
                expected[axis] += 1
                if expected[axis] < extents[axis] { break }
                expected[axis] = 0
                axis -= 1
            }
        }
        return .grid(first: first, extents: extents)
    }

    subscript(key: TaskKey) -> Int? {
        switch layouts[key.name] {
        case .grid(let first, let extents)?:
            guard key.index.count == extents.count else { return nil }
            var offset = 0
            for (position, extent) in zip(key.index, extents) {
                guard position >= 0, position < extent else { return nil }
                offset = offset * extent + position
            }
            return first + offset
        case .table(let ids)?:
            return ids[key.index]
        case nil:
            return nil
        }
    }
}

/// The operation of a fused task that does `first`, then `then`: their names joined by `+`, each
/// operation once (`random` then `sin+mean-partial` gives `random+sin+mean-partial`).
func fusedOperationName(_ first: String, _ then: String) -> String {
    var parts = first.split(separator: "+").map(String.init)
    for part in then.split(separator: "+") where !parts.contains(String(part)) { parts.append(String(part)) }
    return parts.joined(separator: "+")
}
