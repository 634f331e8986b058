import BlocktopSupport
import Dashboard
import DashboardModel
import RunVocabulary
import Themes

/// Models and views in fixed states, for snapshot tests.
enum Fixtures {
    /// A run of `rows`×`columns` blocks, `tasksPerBlock` tasks each, on `workers` workers.
    static func run(rows: Int, columns: Int, tasksPerBlock: Int = 2, workers: Int = 2) -> RunDescription {
        let blocks = rows * columns
        let map = BlockGridMap(stage: "matmul", rows: rows, columns: columns,
                               blockOfTask: (0..<(blocks * tasksPerBlock)).map { Int32($0 / tasksPerBlock) })
        return RunDescription(title: "(x @ x.T).sum()", arrayShape: [rows * 1000, columns * 1000], blockShape: [1000, 1000],
                              blockCount: blocks, workerCount: workers, capacity: Double(workers),
                              taskFlops: Array(repeating: 2e9, count: blocks * tasksPerBlock), grid: map,
                              operations: ["random", "matmul"],
                              operationOfTask: (0..<(blocks * tasksPerBlock)).map { Int32($0 % tasksPerBlock == 0 ? 0 : 1) })
    }

    /// A machine with `cores` cores at varied loads, the process at `processCPU`%, others taking `othersCPUs`.
    static func machine(cores: Int, workers: Int, processCPU: Double = 198, othersCPUs: Double? = nil) -> MachineReading {
        MachineReading(cores: (0..<cores).map { CoreLoad(own: Double(($0 * 37) % 90), others: Double($0 % 10)) },
                       processCPU: processCPU, othersCPUs: othersCPUs, residentBytes: 812_000_000,
                       workerCPU: (0..<workers).map { Double(90 + $0 % 10) },
                       memoryTotal: 24_000_000_000, memoryAvailable: 20_000_000_000)
    }

    /// A model a third of the way through: the first third of the tasks done, then one running per
    /// worker, then some ready; `state` as the source reports it.
    static func model(rows: Int = 10, columns: Int = 10, cores: Int = 2, workers: Int = 2,
                      state: RunState = .running, failure: String? = nil, othersCPUs: Double? = nil) -> DashboardModel {
        let run = run(rows: rows, columns: columns, workers: workers)
        var model = DashboardModel(run: run)
        let second: UInt64 = 1_000_000_000
        var events: [ActivityEvent] = []
        let done = run.taskCount / 3
        for task in 0..<done {
            let worker = task % workers
            let start = UInt64(task) * second / 100
            events.append(ActivityEvent(.ready, worker: -1, task: task, time: start))
            events.append(ActivityEvent(.started, worker: worker, task: task, time: start))
            events.append(ActivityEvent(.finished, worker: worker, task: task, time: start + second / 200, startTime: start))
        }
        let now = UInt64(done) * second / 100 + second
        for worker in 0..<workers where done + worker < run.taskCount {
            events.append(ActivityEvent(.ready, worker: -1, task: done + worker, time: now - second / 2))
            events.append(ActivityEvent(.started, worker: worker, task: done + worker, time: now - second / 2))
        }
        for task in (done + workers)..<min(run.taskCount, done + workers + 10) {
            events.append(ActivityEvent(.ready, worker: -1, task: task, time: now - second / 4))
        }
        if state == .failed {
            events.append(ActivityEvent(.failed, worker: 0, task: done, time: now, startTime: now - second / 2))
        }
        model.apply(SourceUpdate(time: 0, events: [], state: .running, activeSeconds: 0, bytesHeld: 0, peakBytesHeld: 0, machine: nil))
        model.apply(SourceUpdate(time: now, events: events, state: state, activeSeconds: Double(now) / 1e9, failure: failure, bytesHeld: 96_000_000,
                                 peakBytesHeld: 240_000_000, machine: machine(cores: cores, workers: workers, othersCPUs: othersCPUs)))
        return model
    }

    /// `random((1000, 1000), chunks=((100, 300, 600), (500, 500))).sum()`: 3×2 blocks of unequal
    /// heights, a task each, then the sum's task.
    static func irregularRun() -> RunDescription {
        RunDescription(title: "random((1000, 1000), chunks=((100, 300, 600), (500, 500))).sum()", arrayShape: [1000, 1000],
                       blockShape: [600, 500], blockCount: 6, workerCount: 2, capacity: 2,
                       taskFlops: Array(repeating: 1e6, count: 7),
                       grid: BlockGridMap(stage: "random", extent: [3, 2], blockOfTask: [0, 1, 2, 3, 4, 5, -1],
                                          blockSizes: [[100, 300, 600], [500, 500]]),
                       operations: ["random", "sum"], operationOfTask: [0, 0, 0, 0, 0, 0, 1])
    }

    /// The irregular run part-way, at 1 s: blocks 0 to 2 done, 3 running on w1, 4 ready, 5 waiting.
    static func irregularUpdate() -> SourceUpdate {
        let millisecond: UInt64 = 1_000_000
        let done = (0..<3).map { task in
            ActivityEvent(.finished, worker: task % 2, task: task, time: UInt64(task + 1) * 100 * millisecond,
                          startTime: UInt64(task) * 100 * millisecond)
        }
        return SourceUpdate(time: 1000 * millisecond,
                            events: done + [ActivityEvent(.started, worker: 1, task: 3, time: 300 * millisecond),
                                            ActivityEvent(.ready, worker: -1, task: 4, time: 300 * millisecond)],
                            state: .running, activeSeconds: 1, bytesHeld: 0, peakBytesHeld: 0,
                            machine: machine(cores: 2, workers: 2))
    }

    static func render(_ model: DashboardModel, width: Int, height: Int, glyphs: Glyphs = .unicode,
                       theme: Theme = .standard, help: Bool = false) -> Frame {
        var state = ViewState(theme: theme, glyphs: glyphs)
        state.showHelp = help
        return DashboardView(model: model, state: state).render(width: width, height: height)
    }
}

/// A source that gives its updates one a poll, then the last one again without its events;
/// the launcher of such a source.
final class ReplaySource: DashboardSource, RunLauncher {
    let run: RunDescription
    private var updates: [SourceUpdate]
    private var last: SourceUpdate?

    init(run: RunDescription, updates: [SourceUpdate]) {
        self.run = run
        self.updates = updates
    }

    func poll() -> SourceUpdate {
        guard !updates.isEmpty else {
            var again = last!
            again.events = []
            return again
        }
        last = updates.removeFirst()
        return last!
    }

    func pause() {}
    func resume() {}
    var capabilities: SourceCapabilities { .localRun }
    func refusal(of capability: SourceCapabilities) -> String { SourceCapabilities.standardRefusal(of: capability) }
    func cancel() {}

    func prepare(_ settings: RunSettings) throws -> PreparedRun { PreparedRun { self } }
}
