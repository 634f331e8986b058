/// An optimized task graph ready to execute: tasks indexed by integer id, with
/// dependency and dependent lists, and the ids of the output blocks.
public struct TaskGraph: Sendable {
    public let tasks: [GraphTask]
    /// `dependencies[i]`: ids of the tasks whose outputs task `i` reads, in kernel-argument order.
    public let dependencies: [[Int]]
    /// `dependents[i]`: ids of the tasks that read task `i`'s output.
    public let dependents: [[Int]]
    /// Ids of the tasks producing the result's blocks, in row-major block order.
    public let outputs: [Int]
    /// Chunking of the result.
    public let outputChunks: Chunks

    /// A graph of `tasks`, each after its dependencies; `dependencies[i]` lists task `i`'s inputs by id.
    package init(tasks: [GraphTask], dependencies: [[Int]], outputs: [Int], outputChunks: Chunks) {
        var dependents = [[Int]](repeating: [], count: tasks.count)
        for (id, inputs) in dependencies.enumerated() {
            for input in inputs { dependents[input].append(id) }
        }
        self.tasks = tasks
        self.dependencies = dependencies
        self.dependents = dependents
        self.outputs = outputs
        self.outputChunks = outputChunks
    }

    public var count: Int { tasks.count }
    /// Estimated floating-point operations of the whole graph.
    public var totalFlops: Double { tasks.reduce(0) { $0 + $1.flops } }

    /// A depth-first order that finishes one output before starting the next,
    /// so intermediates are released early: each task comes after its dependencies.
    public func depthFirstOrder() -> [Int] {
        var order: [Int] = []
        order.reserveCapacity(tasks.count)
        var visited = [Bool](repeating: false, count: tasks.count)
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
}
