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
/// elementwise chains), drop unneeded tasks, fuse linear chains, index.
package enum Optimizer {
    package static func graph(for array: BlockArray, options: OptimizationOptions) -> TaskGraph {
        var tasks = LayerMaterializer(root: array, fuseElementwise: options.fuse).tasks()
        let outputKeys = array.chunks.blockIndices.map(array.key)
        if options.cull { tasks = cull(tasks, keeping: outputKeys) }
        if options.fuse { tasks = fuseLinearChains(tasks, outputs: Set(outputKeys)) }
        return TaskGraph(tasks: topologicalOrder(tasks), outputKeys: outputKeys, outputChunks: array.chunks)
    }

    /// Only the tasks that the `roots` depend on, transitively.
    package static func cull(_ tasks: [TaskKey: Task], keeping roots: [TaskKey]) -> [TaskKey: Task] {
        var kept: [TaskKey: Task] = [:]
        var pending = roots
        while let key = pending.popLast() {
            guard kept[key] == nil, let task = tasks[key] else { continue }
            kept[key] = task
            pending.append(contentsOf: task.dependencies)
        }
        return kept
    }

    /// Merges each task that has one dependency into that dependency's only
    /// dependent, as dask's `fuse` does: a chain a → b → c becomes one task c.
    package static func fuseLinearChains(_ tasks: [TaskKey: Task], outputs: Set<TaskKey>) -> [TaskKey: Task] {
        var dependentCount: [TaskKey: Int] = [:]
        for task in tasks.values {
            for dependency in task.dependencies { dependentCount[dependency, default: 0] += 1 }
        }
        var fused = tasks
        for task in topologicalOrder(tasks) {
            guard task.dependencies.count == 1,
                  let dependencyKey = task.dependencies.first,
                  dependentCount[dependencyKey] == 1,
                  !outputs.contains(dependencyKey),
                  let dependency = fused[dependencyKey],
                  let current = fused[task.key]
            else { continue }
            let inner = dependency.kernel, outer = current.kernel
            fused[task.key] = Task(
                fusing: dependency, into: current,
                kernel: { inputs in try outer([try inner(inputs)]) },
                dependencies: dependency.dependencies)
            fused[dependencyKey] = nil
        }
        return fused
    }

    /// The tasks ordered so each comes after its dependencies (Kahn's algorithm, stable by key order of discovery).
    package static func topologicalOrder(_ tasks: [TaskKey: Task]) -> [Task] {
        var remaining: [TaskKey: Int] = [:]
        var dependents: [TaskKey: [TaskKey]] = [:]
        var ready: [TaskKey] = []
        for task in tasks.values {
            remaining[task.key] = task.dependencies.count
            if task.dependencies.isEmpty { ready.append(task.key) }
            for dependency in task.dependencies { dependents[dependency, default: []].append(task.key) }
        }
        var order: [Task] = []
        order.reserveCapacity(tasks.count)
        var cursor = 0
        while cursor < ready.count {
            let key = ready[cursor]
            cursor += 1
            order.append(tasks[key]!)
            for dependent in dependents[key] ?? [] {
                remaining[dependent]! -= 1
                if remaining[dependent] == 0 { ready.append(dependent) }
            }
        }
        precondition(order.count == tasks.count, "task graph has a cycle")
        return order
    }
}
