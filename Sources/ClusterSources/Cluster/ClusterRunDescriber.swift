import DashboardModel

/// Describes a cluster's run as `ClusterState.runDescription(title:)` does, but at each call only
/// looks at the tasks that arrived since the previous one: a key group's grid is laid out again
/// only when its extent grew, the other groups' block maps and the per-task lists are extended.
///
/// It relies on what `ClusterState` guarantees: `tasks` only grows, and a task's key, prefix,
/// group and index never change. A state with fewer tasks than seen, or another task where the
/// last seen one was, is described from scratch.
package struct ClusterRunDescriber {
    /// A key group whose tasks have block indices.
    private struct Group {
        /// The first task's prefix and index rank: the stage's name and the grid's rank.
        var stage: String
        var rank: Int
        /// Its tasks with indices, and those of them with the grid's rank (the ones it shows).
        var members = 0
        var inGrid: [Int32] = []
        var extent: [Int]
        /// Row-major block of every task over `extent` (-1 off the grid), for `mappedTasks`
        /// tasks; nil when not kept (or not computed yet).
        var blockOfTask: [Int32]?
        var mappedTasks = 0
    }

    private var seen = 0
    private var lastKey: String?
    private var groups: [Group] = []
    private var groupNumber: [String: Int] = [:]
    private var operationOfTask: [Int32] = []
    private var taskFlops: [Double] = []
    /// The one-block-per-task stage for a run without block indices.
    private var plainTasks: [Int32] = []

    package init() {}

    /// Everything seen so far as one run called `title`; the same as `state.runDescription(title:)`.
    package mutating func describe(_ state: ClusterState, title: String) -> RunDescription {
        let tasks = state.tasks
        if tasks.count < seen || (seen > 0 && tasks[seen - 1].key != lastKey) { self = ClusterRunDescriber() }
        for id in seen..<tasks.count { take(tasks[id], id: id, state: state) }
        seen = tasks.count
        lastKey = tasks.last?.key
        let lanes = max(1, state.laneCount)

        let kept = Set(groups.indices.sorted { groups[$0].members > groups[$1].members }.prefix(ClusterState.maximumStages))
        var stages: [BlockGridMap] = [], shown: [Int] = []
        for number in groups.indices {
            guard kept.contains(number) else {
                groups[number].blockOfTask = nil
                continue
            }
            guard let map = stage(number, tasks: tasks) else { continue }
            stages.append(map)
            shown.append(groups[number].inGrid.count)
        }
        if stages.isEmpty {
            if plainTasks.count < tasks.count { plainTasks += (plainTasks.count..<tasks.count).map { Int32($0) } }
            stages = [BlockGridMap(stage: "tasks", extent: [max(1, tasks.count)], blockOfTask: plainTasks)]
            shown = [tasks.count]
        }
        let heaviest = shown.indices.max { shown[$0] < shown[$1] } ?? 0
        return RunDescription(title: title, arrayShape: [], blockShape: [], blockCount: stages[heaviest].blockCount, workerCount: lanes,
                              capacity: Double(max(lanes, state.threads)), taskFlops: taskFlops,
                              stages: stages, heaviest: heaviest, operations: state.prefixes.isEmpty ? ["task"] : state.prefixes,
                              operationOfTask: operationOfTask)
    }

    /// Notes task `id`: its operation, and its group's members and extent.
    private mutating func take(_ task: ClusterState.Task, id: Int, state: ClusterState) {
        operationOfTask.append(Int32(state.prefixNumber(task.prefix)))
        taskFlops.append(0)
        guard !task.index.isEmpty, task.index.allSatisfy({ $0 >= 0 }) else { return }
        let number: Int
        if let known = groupNumber[task.group] {
            number = known
        } else {
            number = groups.count
            groupNumber[task.group] = number
            groups.append(Group(stage: task.prefix, rank: task.index.count,
                                extent: Array(repeating: 1, count: task.index.count)))
        }
        groups[number].members += 1
        guard task.index.count == groups[number].rank else { return }
        groups[number].inGrid.append(Int32(id))
        for (axis, position) in task.index.enumerated() where position + 1 > groups[number].extent[axis] {
            groups[number].extent[axis] = position + 1
            // The blocks are numbered over the extent: every one moves.
            groups[number].blockOfTask = nil
        }
    }

    /// Group `number`'s grid over all `tasks`; nil when it has too many blocks to draw.
    private mutating func stage(_ number: Int, tasks: [ClusterState.Task]) -> BlockGridMap? {
        let extent = groups[number].extent
        let blocks = extent.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        guard blocks <= ClusterState.maximumGridBlocks else { return nil }
        let from = groups[number].blockOfTask == nil ? 0 : groups[number].mappedTasks
        var map = groups[number].blockOfTask ?? []
        // One reference fewer: growing it copies only when the previous description still holds it.
        groups[number].blockOfTask = nil
        map += repeatElement(-1, count: tasks.count - map.count)
        // inGrid is in task order: the tasks not mapped yet are at its end.
        let inGrid = groups[number].inGrid
        var position = inGrid.endIndex
        while position > inGrid.startIndex && Int(inGrid[position - 1]) >= from { position -= 1 }
        for id in inGrid[position...] { map[Int(id)] = Int32(zip(tasks[Int(id)].index, extent).reduce(0) { $0 * $1.1 + $1.0 }) }
        groups[number].blockOfTask = map
        groups[number].mappedTasks = tasks.count
        return BlockGridMap(stage: groups[number].stage, extent: extent, blockOfTask: map)
    }
}
