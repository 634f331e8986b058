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
/// Tasks are records in flat arrays of integers: a layer described as a grid (`GridTasks`) makes
/// no key, closure or list per task, and keys of the others are hashed once, when ids are given.
/// Fusing links a task to the one it absorbs instead of making a new closure, so a graph of a
/// million tasks builds in a fraction of a second.
package enum Optimizer {
    package static func graph(for array: BlockArray, options: OptimizationOptions) -> TaskGraph {
        let (sets, chunkings) = LayerMaterializer(root: array, fuseElementwise: options.fuse).taskSets()
        var graph = IndexedTasks(sets, chunkings: chunkings)
        let counts = array.chunks.blockCounts
        let outputs = (0..<array.chunks.blockCount).map { graph.id(of: array.name, counts: counts, position: $0) }
        if options.cull { graph.keepOnlyWhatReaches(outputs) }
        if options.fuse { graph.fuseLinearChains(outputs: outputs) }
        return graph.ordered(outputs: outputs, outputChunks: array.chunks)
    }
}

/// Tasks as records numbered by id (the order their sets list them), with their dependencies as
/// ids, and which are still in the graph.
struct IndexedTasks {
    private let records: NumberedTaskSets
    private let ids: KeyIndex
    /// Task `id` reads `dependencyIDs[dependencyStart[id] ..< dependencyStart[id] + dependencyCount[id]]`.
    private var dependencyStart: [Int32]
    private var dependencyCount: [Int32]
    private var dependencyIDs: [Int32]
    /// The task fused into each (it runs first and its output is the only input), or -1.
    private var inner: [Int32]
    private var flops: [Double]
    /// Index in `operations` of what each task does.
    private var operation: [Int32]
    private var operations: [String]
    private var kept: [Bool]

    /// The tasks of `sets`; `chunkings[s]` lists the chunkings set `s`'s block indices may count in.
    init(_ sets: [TaskSet], chunkings: [[Chunks]]) {
        let records = NumberedTaskSets(sets, chunkings: chunkings)
        let ids = KeyIndex(records)
        let total = records.count
        self.records = records
        self.ids = ids
        var dependencyStart = [Int32](repeating: 0, count: total)
        var dependencyCount = [Int32](repeating: 0, count: total)
        var dependencyIDs: [Int32] = []
        dependencyIDs.reserveCapacity(total)
        var flops = [Double](repeating: 0, count: total)
        var operation = [Int32](repeating: 0, count: total)
        var operations: [String] = []
        var indexOfOperation: [String: Int32] = [:]
        func operationIndex(_ name: String) -> Int32 {
            if let index = indexOfOperation[name] { return index }
            let index = Int32(operations.count)
            operations.append(name)
            indexOfOperation[name] = index
            return index
        }
        for (setIndex, set) in sets.enumerated() {
            let first = records.firsts[setIndex]
            switch set {
            case .explicit(let tasks):
                for (local, task) in tasks.enumerated() {
                    let id = first + local
                    dependencyStart[id] = Int32(dependencyIDs.count)
                    for key in task.dependencies {
                        guard let dependency = ids[key] else { preconditionFailure("task \(task.key) reads missing \(key)") }
                        dependencyIDs.append(Int32(dependency))
                    }
                    dependencyCount[id] = Int32(task.dependencies.count)
                    flops[id] = task.flops
                    operation[id] = operationIndex(task.operation)
                }
            case .grid(let grid):
                let op = operationIndex(grid.operation)
                // Each input's first id when its tasks lie in a grid like the one it is read as.
                let bases = grid.inputs.map { ids.base(of: $0.name, counts: $0.blockCounts) }
                for local in 0..<grid.count {
                    let id = first + local
                    let start = dependencyIDs.count
                    dependencyStart[id] = Int32(start)
                    grid.forEachRead(local) { input, position in
                        if let base = bases[input] {
                            dependencyIDs.append(Int32(base + position))
                        } else {
                            let key = TaskKey(grid.inputs[input].name, unravel(position, grid.inputs[input].blockCounts))
                            guard let dependency = ids[key] else { preconditionFailure("task \(grid.name) reads missing \(key)") }
                            dependencyIDs.append(Int32(dependency))
                        }
                    }
                    dependencyCount[id] = Int32(dependencyIDs.count - start)
                    flops[id] = grid.flops(local)
                    operation[id] = op
                }
            }
        }
        self.dependencyStart = dependencyStart
        self.dependencyCount = dependencyCount
        self.dependencyIDs = dependencyIDs
        self.flops = flops
        self.operation = operation
        self.operations = operations
        inner = [Int32](repeating: -1, count: total)
        kept = [Bool](repeating: true, count: total)
    }

    /// The id of the block at row-major `position` of the array or layer `name` with `counts` blocks.
    func id(of name: String, counts: [Int], position: Int) -> Int {
        if let base = ids.base(of: name, counts: counts) { return base + position }
        let key = TaskKey(name, unravel(position, counts))
        guard let id = ids[key] else { preconditionFailure("no task \(key)") }
        return id
    }

    /// Keeps only the tasks that `roots` depend on, transitively.
    mutating func keepOnlyWhatReaches(_ roots: [Int]) {
        var reached = [Bool](repeating: false, count: records.count)
        var pending = roots.map(Int32.init)
        dependencyIDs.withUnsafeBufferPointer { ids in
            while let id32 = pending.popLast() {
                let id = Int(id32)
                guard !reached[id] else { continue }
                reached[id] = true
                let start = Int(dependencyStart[id])
                for position in start ..< start + Int(dependencyCount[id]) { pending.append(ids[position]) }
            }
        }
        for id in kept.indices where !reached[id] { kept[id] = false }
    }

    /// Merges each task that has one dependency into that dependency's only
    /// dependent, as dask's `fuse` does: a chain a → b → c becomes one task c.
    ///
    /// Whether a link fuses depends only on the graph before fusing (its lower task has one
    /// dependent, not an output; its upper task has one dependency), so links are found in one
    /// pass and each chain is then folded from its head up: its top task runs the chain, reads
    /// what the head read, and adds up their flops and operation names in order.
    mutating func fuseLinearChains(outputs: [Int]) {
        let total = records.count
        var dependentCount = [Int32](repeating: 0, count: total)
        var isOutput = [Bool](repeating: false, count: total)
        for id in outputs { isOutput[id] = true }
        var absorbed = [Bool](repeating: false, count: total)
        dependencyIDs.withUnsafeBufferPointer { ids in
            for id in 0..<total where kept[id] {
                let start = Int(dependencyStart[id])
                for position in start ..< start + Int(dependencyCount[id]) { dependentCount[Int(ids[position])] += 1 }
            }
            for id in 0..<total where kept[id] && dependencyCount[id] == 1 {
                let dependency = Int(ids[Int(dependencyStart[id])])
                if dependentCount[dependency] == 1 && !isOutput[dependency] {
                    inner[id] = Int32(dependency)
                    absorbed[dependency] = true
                }
            }
        }
        // Fused operation names, made once per pair: a chain repeats the same pair in every block.
        var fusedNames: [Int64: Int32] = [:]
        var chain: [Int] = []
        for top in 0..<total where inner[top] >= 0 && !absorbed[top] {
            chain.removeAll(keepingCapacity: true)
            var link = top
            while link >= 0 {
                chain.append(link)
                link = Int(inner[link])
            }
            let head = chain[chain.count - 1]
            var operationSoFar = operation[head], flopsSoFar = flops[head]
            for position in stride(from: chain.count - 2, through: 0, by: -1) {
                let id = chain[position]
                let pair = Int64(operationSoFar) << 32 | Int64(operation[id])
                if let fused = fusedNames[pair] {
                    operationSoFar = fused
                } else {
                    let fused = Int32(operations.count)
                    operations.append(fusedOperationName(operations[Int(operationSoFar)], operations[Int(operation[id])]))
                    fusedNames[pair] = fused
                    operationSoFar = fused
                }
                flopsSoFar += flops[id]
                kept[chain[position + 1]] = false
            }
            operation[top] = operationSoFar
            flops[top] = flopsSoFar
            dependencyStart[top] = dependencyStart[head]
            dependencyCount[top] = dependencyCount[head]
        }
    }

    /// The kept tasks' ids, each after its dependencies (Kahn's algorithm, ready tasks in id order).
    private func topologicalOrder() -> [Int32] {
        let total = records.count
        var remaining = [Int32](repeating: 0, count: total)
        // Dependents of each task, in id order, as one flat list.
        var dependentStart = [Int32](repeating: 0, count: total + 1)
        var order: [Int32] = []
        var keptCount = 0
        var fill: [Int32] = []
        var dependents: [Int32] = []
        dependencyIDs.withUnsafeBufferPointer { ids in
            for id in 0..<total where kept[id] {
                keptCount += 1
                remaining[id] = dependencyCount[id]
                if remaining[id] == 0 { order.append(Int32(id)) }
                let start = Int(dependencyStart[id])
                for position in start ..< start + Int(dependencyCount[id]) { dependentStart[Int(ids[position]) + 1] += 1 }
            }
            for id in 0..<total { dependentStart[id + 1] += dependentStart[id] }
            fill = dependentStart
            dependents = [Int32](repeating: 0, count: Int(dependentStart[total]))
            for id in 0..<total where kept[id] {
                let start = Int(dependencyStart[id])
                for position in start ..< start + Int(dependencyCount[id]) {
                    let dependency = Int(ids[position])
                    dependents[Int(fill[dependency])] = Int32(id)
                    fill[dependency] += 1
                }
            }
        }
        order.reserveCapacity(keptCount)
        var cursor = 0
        while cursor < order.count {
            let id = Int(order[cursor])
            for position in Int(dependentStart[id]) ..< Int(dependentStart[id + 1]) {
                let dependent = Int(dependents[position])
                remaining[dependent] -= 1
                if remaining[dependent] == 0 { order.append(Int32(dependent)) }
            }
            cursor += 1
        }
        precondition(order.count == keptCount, "task graph has a cycle")
        return order
    }

    /// The kept tasks as an executable graph, renumbered in dependency order.
    func ordered(outputs: [Int], outputChunks: Chunks) -> TaskGraph {
        let order = topologicalOrder()
        var position = [Int32](repeating: -1, count: records.count)
        for (index, id) in order.enumerated() { position[Int(id)] = Int32(index) }
        var starts = [Int32](repeating: 0, count: order.count + 1)
        var flat: [Int32] = []
        var taskFlops = [Double](repeating: 0, count: order.count)
        var operationOfTask = [Int32](repeating: 0, count: order.count)
        flat.reserveCapacity(order.count)
        dependencyIDs.withUnsafeBufferPointer { ids in
            for (index, id32) in order.enumerated() {
                let id = Int(id32)
                let start = Int(dependencyStart[id])
                for slot in start ..< start + Int(dependencyCount[id]) { flat.append(position[Int(ids[slot])]) }
                starts[index + 1] = Int32(flat.count)
                taskFlops[index] = flops[id]
                operationOfTask[index] = operation[id]
            }
        }
        return TaskGraph(records: records, inner: inner, recordOfTask: order,
                         dependencies: TaskAdjacency(starts: starts, ids: flat),
                         outputs: outputs.map { Int(position[$0]) }, outputChunks: outputChunks,
                         taskFlops: taskFlops, operations: operations, operationOfTask: operationOfTask)
    }
}

/// Task ids by key. A grid of tasks described once (`GridTasks`) is its first id and block
/// counts; tasks listed one by one whose keys count through a grid in row-major order under one
/// name get the same; others get a hash table. A million keys then cost no million-entry table.
private struct KeyIndex {
    private enum Layout {
        /// Ids `first ..< first + count` are the blocks of a grid of `extents`, row-major.
        case grid(first: Int, extents: [Int])
        case table([[Int]: Int])
    }

    private var layouts: [String: Layout] = [:]

    init(_ records: NumberedTaskSets) {
        // Layers list their tasks together: gather ids by runs of one name.
        var members: [String: [Int]] = [:]
        var listed: [Int: [GraphTask]] = [:]
        for (setIndex, set) in records.sets.enumerated() {
            let first = records.firsts[setIndex]
            switch set {
            case .grid(let grid):
                precondition(layouts[grid.name] == nil, "two grids of tasks named \(grid.name)")
                layouts[grid.name] = .grid(first: first, extents: grid.blockCounts)
            case .explicit(let tasks):
                var runStart = 0
                for local in tasks.indices where local + 1 == tasks.count || tasks[local + 1].key.name != tasks[runStart].key.name {
                    members[tasks[runStart].key.name, default: []].append(contentsOf: (first + runStart)...(first + local))
                    runStart = local + 1
                }
                listed[first] = tasks
            }
        }
        let starts = listed.keys.sorted()
        /// The task listed one by one with id `id`.
        func task(_ id: Int) -> GraphTask {
            var low = 0, high = starts.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if starts[mid] <= id { low = mid } else { high = mid - 1 }
            }
            return listed[starts[low]]![id - starts[low]]
        }
        for (name, ids) in members {
            precondition(layouts[name] == nil, "tasks named \(name) both listed and in a grid")
            layouts[name] = Self.grid(of: ids, task)
                ?? .table(Dictionary(uniqueKeysWithValues: ids.map { (task($0).key.index, $0) }))
        }
    }

    /// The grid layout of `ids`, if they are consecutive and their indices count through a grid.
    private static func grid(of ids: [Int], _ task: (Int) -> GraphTask) -> Layout? {
        guard let first = ids.first, ids.last == first + ids.count - 1 else { return nil }
        let rank = task(first).key.index.count
        var extents = [Int](repeating: 0, count: rank)
        for id in ids {
            let index = task(id).key.index
            guard index.count == rank else { return nil }
            for axis in 0..<rank { extents[axis] = max(extents[axis], index[axis] + 1) }
        }
        guard extents.reduce(1, *) == ids.count else { return nil }
        var expected = [Int](repeating: 0, count: rank)
        for id in ids {
            guard task(id).key.index == expected else { return nil }
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

    /// The first id of `name`'s tasks when they are a grid of `counts` blocks, row-major.
    func base(of name: String, counts: [Int]) -> Int? {
        if case .grid(let first, let extents)? = layouts[name], extents == counts { return first }
        return nil
    }

    subscript(key: TaskKey) -> Int? {
        switch layouts[key.name] {
        case .grid(let first, let extents)?:
            return ravel(key.index, extents).map { first + $0 }
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
