/// An optimized task graph ready to execute: tasks indexed by integer id, with
/// dependency and dependent lists, and the ids of the output blocks.
///
/// Tasks are kept compact: a task is the record it was made as (a position in a grid of tasks
/// described once, or a task listed by its layer) and the record fused into it, if any; its key,
/// block index and kernel are made from that when asked for (`tasks[id]`), so only what is
/// displayed or traced ever gets a key.
public struct TaskGraph: Sendable {
    let records: NumberedTaskSets
    /// The record fused into each record (it runs first; its output is the only input), or -1.
    let inner: [Int32]
    /// The record each task runs.
    let recordOfTask: [Int32]
    /// `dependencies[i]`: ids of the tasks whose outputs task `i` reads, in kernel-argument order.
    public let dependencies: TaskAdjacency
    /// `dependents[i]`: ids of the tasks that read task `i`'s output, in increasing order.
    public let dependents: TaskAdjacency
    /// Ids of the tasks producing the result's blocks, in row-major block order.
    public let outputs: [Int]
    /// Chunking of the result.
    public let outputChunks: Chunks
    /// Estimated floating-point operations of each task.
    public let taskFlops: [Double]
    /// What the tasks do: `operationOfTask[i]` indexes this (names may repeat none, some may be unused).
    let operationNames: [String]
    let operationOfTask: [Int32]

    init(records: NumberedTaskSets, inner: [Int32], recordOfTask: [Int32], dependencies: TaskAdjacency,
         outputs: [Int], outputChunks: Chunks, taskFlops: [Double], operations: [String], operationOfTask: [Int32]) {
        self.records = records
        self.inner = inner
        self.recordOfTask = recordOfTask
        self.dependencies = dependencies
        self.dependents = dependencies.reversed()
        self.outputs = outputs
        self.outputChunks = outputChunks
        self.taskFlops = taskFlops
        self.operationNames = operations
        self.operationOfTask = operationOfTask
    }

    public var count: Int { recordOfTask.count }
    /// Estimated floating-point operations of the whole graph.
    public var totalFlops: Double { taskFlops.reduce(0, +) }

    /// The tasks, each made from its record when read.
    public var tasks: Tasks { Tasks(graph: self) }

    /// What task `id` does, as `GraphTask.operation`.
    public func operation(of id: Int) -> String { operationNames[Int(operationOfTask[id])] }

    /// The key of task `id`'s output.
    public func key(of id: Int) -> TaskKey { records.key(Int(recordOfTask[id])) }

    /// The block task `id` works on.
    public func blockIndex(of id: Int) -> [Int] { records.blockIndex(Int(recordOfTask[id])) }

    /// Bytes of the block task `id` produces.
    public func outputBytes(of id: Int) -> Int { records.outputBytes(Int(recordOfTask[id])) }

    /// Runs task `id`'s kernel (and those fused into it, innermost first) on its inputs.
    public func run(_ id: Int, _ inputs: [DenseArray]) throws -> DenseArray {
        try run(record: Int(recordOfTask[id]), inputs)
    }

    private func run(record: Int, _ inputs: [DenseArray]) throws -> DenseArray {
        let link = Int(inner[record])
        if link < 0 { return try records.run(record, inputs) }
        return try records.run(record, [try run(record: link, inputs)])
    }

    /// A depth-first order that finishes one output before starting the next,
    /// so intermediates are released early: each task comes after its dependencies.
    public func depthFirstOrder() -> [Int] {
        var order: [Int] = []
        order.reserveCapacity(count)
        var visited = [Bool](repeating: false, count: count)
        var stack: [(id: Int, next: Int)] = []
        for root in outputs where !visited[root] {
            visited[root] = true
            stack.append((root, 0))
            while let top = stack.last {
                let deps = dependencies[top.id]
                if top.next < deps.count {
                    stack[stack.count - 1].next += 1
                    let child = deps[top.next]
                    if !visited[child] {
                        visited[child] = true
                        stack.append((child, 0))
                    }
                } else {
                    order.append(top.id)
                    stack.removeLast()
                }
            }
        }
        return order
    }

    /// The tasks of a graph as `GraphTask` values, each made when read.
    public struct Tasks: RandomAccessCollection, Sendable {
        let graph: TaskGraph
        public var startIndex: Int { 0 }
        public var endIndex: Int { graph.count }

        public subscript(id: Int) -> GraphTask {
            let record = Int(graph.recordOfTask[id])
            let graph = graph
            return GraphTask(key: graph.records.key(record), dependencies: graph.dependencies[id].map { graph.key(of: $0) },
                             blockIndex: graph.records.blockIndex(record), operation: graph.operation(of: id),
                             flops: graph.taskFlops[id], outputBytes: graph.records.outputBytes(record),
                             fusedCount: graph.fusedCount(ofRecord: record)) { try graph.run(id, $0) }
        }
    }

    private func fusedCount(ofRecord record: Int) -> Int {
        var count = 0
        var link = record
        while link >= 0 {
            count += records.fusedCount(link)
            link = Int(inner[link])
        }
        return count
    }
}

/// Lists of task ids, one per task, in one flat array.
///
/// Inlinable, so the engine's loops over a task's lists are specialized in its module.
@frozen
public struct TaskAdjacency: RandomAccessCollection, Sendable {
    /// List `i` is `ids[starts[i] ..< starts[i + 1]]`.
    @usableFromInline let starts: [Int32]
    @usableFromInline let ids: [Int32]

    init(starts: [Int32], ids: [Int32]) {
        self.starts = starts
        self.ids = ids
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { starts.count - 1 }

    @inlinable public subscript(task: Int) -> TaskIDs {
        TaskIDs(ids: ids, start: Int(starts[task]), end: Int(starts[task + 1]))
    }

    /// The reverse lists: for each id, the lists that hold it, in increasing order.
    func reversed() -> TaskAdjacency {
        let count = starts.count - 1
        var reverseStarts = [Int32](repeating: 0, count: count + 1)
        for id in ids { reverseStarts[Int(id) + 1] += 1 }
        for i in 0..<count { reverseStarts[i + 1] += reverseStarts[i] }
        var fill = reverseStarts
        var reverseIDs = [Int32](repeating: 0, count: ids.count)
        for list in 0..<count {
            for position in Int(starts[list]) ..< Int(starts[list + 1]) {
                let id = Int(ids[position])
                reverseIDs[Int(fill[id])] = Int32(list)
                fill[id] += 1
            }
        }
        return TaskAdjacency(starts: reverseStarts, ids: reverseIDs)
    }
}

/// One task's list of task ids.
@frozen
public struct TaskIDs: RandomAccessCollection, Sendable, Equatable {
    @usableFromInline let ids: [Int32]
    @usableFromInline let start: Int
    public let count: Int

    @inlinable init(ids: [Int32], start: Int, end: Int) {
        self.ids = ids
        self.start = start
        self.count = end - start
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }
    @inlinable public subscript(position: Int) -> Int { Int(ids[start + position]) }

    public static func == (a: TaskIDs, b: TaskIDs) -> Bool { a.elementsEqual(b) }
}

/// Every task made for a graph, as its layer made it: sets of tasks, each set a grid described
/// once or a list, and each task numbered by its position in the sets, one after another.
final class NumberedTaskSets: Sendable {
    let sets: [TaskSet]
    /// `firsts[s]`: the first record of set `s`.
    let firsts: [Int]
    /// The set of each record.
    let setOfRecord: [Int32]
    /// `chunkings[s]`: the chunkings set `s`'s block indices may count in (the array its layer
    /// makes, then the layer's inputs), for the block sizes a monitor draws.
    let chunkings: [[Chunks]]
    let count: Int

    init(_ sets: [TaskSet], chunkings: [[Chunks]]) {
        var firsts: [Int] = []
        var total = 0
        for set in sets {
            firsts.append(total)
            total += set.count
        }
        var setOfRecord = [Int32](repeating: 0, count: total)
        for (index, set) in sets.enumerated() where set.count > 0 {
            for record in firsts[index] ..< firsts[index] + set.count { setOfRecord[record] = Int32(index) }
        }
        self.sets = sets
        self.firsts = firsts
        self.setOfRecord = setOfRecord
        self.chunkings = chunkings
        count = total
    }

    @inline(__always)
    private func locate(_ record: Int) -> (set: TaskSet, local: Int) {
        let set = Int(setOfRecord[record])
        return (sets[set], record - firsts[set])
    }

    func run(_ record: Int, _ inputs: [DenseArray]) throws -> DenseArray {
        let (set, local) = locate(record)
        switch set {
        case .explicit(let tasks): return try tasks[local].run(inputs)
        case .grid(let grid): return try grid.kernel(local, inputs)
        }
    }

    func key(_ record: Int) -> TaskKey {
        let (set, local) = locate(record)
        switch set {
        case .explicit(let tasks): return tasks[local].key
        case .grid(let grid): return TaskKey(grid.name, grid.index(local))
        }
    }

    func blockIndex(_ record: Int) -> [Int] {
        let (set, local) = locate(record)
        switch set {
        case .explicit(let tasks): return tasks[local].blockIndex
        case .grid(let grid): return grid.index(local)
        }
    }

    /// The layer name of a record's key, with no key made.
    func layer(_ record: Int) -> String {
        let (set, local) = locate(record)
        switch set {
        case .explicit(let tasks): return tasks[local].key.name
        case .grid(let grid): return grid.name
        }
    }

    func outputBytes(_ record: Int) -> Int {
        let (set, local) = locate(record)
        switch set {
        case .explicit(let tasks): return tasks[local].outputBytes
        case .grid(let grid): return grid.outputBytes(local)
        }
    }

    func fusedCount(_ record: Int) -> Int {
        let (set, local) = locate(record)
        switch set {
        case .explicit(let tasks): return tasks[local].fusedCount
        case .grid(let grid): return grid.fusedCount
        }
    }
}
