/// How many tasks of each block of the grid are in each state, kept up to date from events.
///
/// A task's state only moves forward (waiting → ready → running → done or failed), so events
/// that arrive out of order across workers' queues (a start before its ready) count once.
public struct BlockStates: Sendable, Equatable {
    /// Per task: 0 waiting, 1 ready, 2 running, 3 done, 4 failed.
    private var taskState: [UInt8]
    private let blockOfTask: [Int32]
    /// Per block: tasks in all, and in each state.
    public private(set) var total, ready, running, done, failed: [Int32]
    /// Per block: the worker that last started one of its tasks, or -1.
    public private(set) var worker: [Int16]

    public init(_ map: BlockGridMap) {
        taskState = Array(repeating: 0, count: map.blockOfTask.count)
        blockOfTask = map.blockOfTask
        let zeros = [Int32](repeating: 0, count: map.blockCount)
        total = zeros
        for block in map.blockOfTask where block >= 0 { total[Int(block)] += 1 }
        ready = zeros
        running = zeros
        done = zeros
        failed = zeros
        worker = Array(repeating: -1, count: map.blockCount)
    }

    /// Records `event`; returns whether it moved its task forward.
    @discardableResult
    public mutating func apply(_ event: ActivityEvent) -> Bool {
        guard event.task >= 0, event.task < taskState.count else { return false }
        let new: UInt8 = switch event.kind {
        case .ready: 1
        case .started: 2
        case .finished: 3
        case .failed: 4
        }
        let old = taskState[event.task]
        guard new > old, old < 3 else { return false }
        taskState[event.task] = new
        let block = Int(blockOfTask[event.task])
        guard block >= 0 else { return true }
        if old == 1 { ready[block] -= 1 }
        if old == 2 { running[block] -= 1 }
        switch new {
        case 1: ready[block] += 1
        case 2:
            running[block] += 1
            worker[block] = Int16(clamping: event.worker)
        case 3: done[block] += 1
        default: failed[block] += 1
        }
        return true
    }
}
