/// Each task's state, and for every stage the grid can show, how many tasks of each of its
/// blocks are in each state; kept up to date from events.
///
/// A task's state only moves forward (waiting → ready → running → done or failed), so events
/// that arrive out of order across workers' queues (a start before its ready) count once; only
/// a `recomputing` event takes a done task back, to ready.
public struct BlockStates: Sendable, Equatable {
    /// One stage's blocks: tasks in all, and in each state.
    public struct Counts: Sendable, Equatable {
        public private(set) var total, ready, running, done, failed: [Int32]
        /// Per block: the worker that last started one of its tasks, or -1.
        public private(set) var worker: [Int16]
        /// Tasks running, and ready, in the whole stage now (kept as tasks move, not summed per frame).
        public private(set) var runningTasks: Int32 = 0
        private var readyTasks: Int32 = 0

        init(_ map: BlockGridMap) {
            let zeros = [Int32](repeating: 0, count: map.blockCount)
            total = zeros
            for block in map.blockOfTask where block >= 0 { total[Int(block)] += 1 }
            ready = zeros
            running = zeros
            done = zeros
            failed = zeros
            worker = Array(repeating: -1, count: map.blockCount)
        }

        /// The same stage grown to `map`: every task counted again in its state `taskState`.
        init(_ map: BlockGridMap, taskState: [UInt8]) {
            self.init(map)
            for (task, block) in map.blockOfTask.enumerated() where block >= 0 && task < taskState.count && taskState[task] > 0 {
                move(Int(block), from: 0, to: taskState[task], worker: -1)
            }
        }

        /// Moves one task of `block` from state `old` to `new`.
        mutating func move(_ block: Int, from old: UInt8, to new: UInt8, worker id: Int) {
            switch old {
            case 1:
                ready[block] -= 1
                readyTasks -= 1
            case 2:
                running[block] -= 1
                runningTasks -= 1
            case 3: done[block] -= 1
            default: break
            }
            switch new {
            case 1:
                ready[block] += 1
                readyTasks += 1
            case 2:
                running[block] += 1
                runningTasks += 1
                worker[block] = Int16(clamping: id)
            case 3: done[block] += 1
            default: failed[block] += 1
            }
        }

        /// Tasks ready or running in the stage now.
        public var activeTasks: Int32 { runningTasks + readyTasks }
    }

    /// Per task: 0 waiting, 1 ready, 2 running, 3 done, 4 failed.
    private var taskState: [UInt8]
    private var maps: [BlockGridMap]
    /// Per stage, in the order of the maps given.
    public private(set) var stages: [Counts]

    public init(stages maps: [BlockGridMap]) {
        taskState = Array(repeating: 0, count: maps.map(\.blockOfTask.count).max() ?? 0)
        self.maps = maps
        stages = maps.map(Counts.init)
    }

    /// Takes `maps` as the stages, with more tasks or blocks than before; every known task keeps its state.
    public mutating func grow(stages maps: [BlockGridMap]) {
        let tasks = maps.map(\.blockOfTask.count).max() ?? 0
        if tasks > taskState.count { taskState += Array(repeating: 0, count: tasks - taskState.count) }
        let state = taskState
        self.maps = maps
        stages = maps.map { Counts($0, taskState: state) }
    }

    /// The states of one stage's blocks.
    public init(_ map: BlockGridMap) {
        self.init(stages: [map])
    }

    /// Where a task is in its life.
    public enum TaskState: UInt8, Sendable {
        case waiting, ready, running, done, failed
    }

    /// The state of `task` (waiting for an id the run does not have).
    public func state(ofTask task: Int) -> TaskState {
        task >= 0 && task < taskState.count ? TaskState(rawValue: taskState[task]) ?? .waiting : .waiting
    }

    /// Records `event`; returns whether it moved its task (forward, or a done one back to ready).
    @discardableResult
    public mutating func apply(_ event: ActivityEvent) -> Bool {
        guard event.task >= 0, event.task < taskState.count else { return false }
        let new: UInt8 = switch event.kind {
        case .ready, .recomputing: 1
        case .started: 2
        case .finished: 3
        case .failed: 4
        }
        let old = taskState[event.task]
        guard event.kind == .recomputing ? old == 3 : new > old && old < 3 else { return false }
        taskState[event.task] = new
        for stage in stages.indices {
            let block = Int(maps[stage].blockOfTask[event.task])
            if block >= 0 { stages[stage].move(block, from: old, to: new, worker: event.worker) }
        }
        return true
    }
}
