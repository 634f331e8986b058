import RunVocabulary

/// Everything the dashboard shows about one run, updated from a source's polls.
///
/// A plain value: tests build one from a description and a list of updates, then render it.
public struct DashboardModel: Sendable {
    /// What runs; it grows when the source learns of more tasks (see `SourceUpdate.grownRun`).
    public private(set) var run: RunDescription
    /// What the run's source can do and show: which keys are offered, cores or workers.
    public let capabilities: SourceCapabilities
    public private(set) var state: RunState = .running
    public private(set) var failure: String?
    /// The computed value in a few words, once done.
    public private(set) var result: String?
    /// Time of the first update and of the latest, in the source's clock.
    public private(set) var startTime: UInt64?
    public private(set) var time: UInt64 = 0
    /// Seconds the run has been going, not counting pauses; frozen at its end.
    public private(set) var elapsedSeconds = 0.0
    public private(set) var blocks: BlockStates
    /// When and where each task ran, for a block's detail.
    public private(set) var taskRecords: TaskRecords
    /// The stage where work is happening now: it stays while it has tasks ready or running, then
    /// moves to the stage with the most tasks running.
    public private(set) var activeStage: Int
    public private(set) var stream: TaskStream
    public private(set) var tasksDone = 0
    public private(set) var tasksFailed = 0
    /// Times a finished task ran again because its result was lost (a cluster's worker died).
    public private(set) var tasksRecomputed = 0
    /// Each operation's tasks so far, by index in `run.operations`.
    public private(set) var operationProgress: [OperationProgress]
    public private(set) var flopsDone = 0.0
    /// The run's estimated flops, summed once per description rather than at every frame; 0 when
    /// its tasks have no flop counts (a cluster's).
    public private(set) var totalFlops: Double
    public private(set) var bytesHeld = 0
    public private(set) var peakBytesHeld = 0
    public private(set) var machine: MachineReading?
    /// Process CPU% at each update with a reading, oldest first (at most `historyLength`).
    public private(set) var cpuHistory: [Double] = []
    /// Each core's busy % at each update with a reading, oldest first, by core; an offline core
    /// counts as idle. At least the last `historyLength` readings (trimmed in steps, not each time).
    public private(set) var coreHistory: [[Double]] = []
    /// The times of those readings, in the source's clock.
    public private(set) var coreHistoryTimes: [UInt64] = []
    /// Sum and count of the CPU readings taken while the run was going (not paused), for its average.
    private var runningCPU = (sum: 0.0, count: 0)
    /// (time, tasks done, flops done) over the last few seconds, for rates.
    private var progressHistory: [(time: UInt64, tasks: Int, flops: Double)] = []
    /// Others' CPU readings over the last `othersWindow`, and their sum and count while the run was going.
    private var othersHistory: [(time: UInt64, cpus: Double)] = []
    private var runningOthers = (sum: 0.0, count: 0)

    public static let historyLength = 512
    /// Rates average over this span.
    static let rateWindow: UInt64 = 3_000_000_000
    /// Others' CPU use averages over this span for the header's warning, so that a short burst
    /// (a compiler starting, a cron job) does not flash it.
    static let othersWindow: UInt64 = 3_000_000_000

    /// The model of `run`, from a source with `capabilities`.
    public init(run: RunDescription, capabilities: SourceCapabilities = .localRun) {
        self.run = run
        self.capabilities = capabilities
        totalFlops = run.totalFlops
        blocks = BlockStates(stages: run.stages)
        taskRecords = TaskRecords(tasks: run.taskCount)
        activeStage = run.heaviestStage
        stream = TaskStream(workers: run.workerCount)
        operationProgress = run.tasksPerOperation.map { OperationProgress(total: $0) }
    }

    public mutating func apply(_ update: SourceUpdate) {
        if startTime == nil { startTime = update.time }
        time = max(time, update.time)
        if let grown = update.grownRun { grow(to: grown) }
        for event in update.events {
            let operation = run.operation(ofTask: event.task)
            stream.apply(event, operation: operation)
            guard blocks.apply(event) else { continue }
            taskRecords.apply(event)
            switch event.kind {
            case .finished:
                tasksDone += 1
                if event.task < run.taskFlops.count { flopsDone += run.taskFlops[event.task] }
                if operation < operationProgress.count {
                    operationProgress[operation].finish(seconds: Double(event.time &- event.startTime) / 1e9)
                }
            case .failed:
                tasksFailed += 1
                if operation < operationProgress.count { operationProgress[operation].failed += 1 }
            case .recomputing:
                // Done no more until it finishes again; the time its first run took stays spent.
                tasksDone -= 1
                tasksRecomputed += 1
                if event.task < run.taskFlops.count { flopsDone -= run.taskFlops[event.task] }
                if operation < operationProgress.count { operationProgress[operation].done -= 1 }
            default: break
            }
        }
        stream.prune(now: time)
        followTheWork()
        if !state.isFinal {
            state = update.state
            failure = update.failure
            elapsedSeconds = max(elapsedSeconds, update.activeSeconds)
        }
        // Once done, the blocks left are the result's: nothing is held for tasks any more.
        bytesHeld = state == .done ? 0 : update.bytesHeld
        peakBytesHeld = max(peakBytesHeld, update.peakBytesHeld)
        if let value = update.result { result = value }
        if let reading = update.machine {
            machine = reading
            if state == .running { runningCPU = (runningCPU.sum + reading.processCPU, runningCPU.count + 1) }
            cpuHistory.append(reading.processCPU)
            if cpuHistory.count > Self.historyLength { cpuHistory.removeFirst(cpuHistory.count - Self.historyLength) }
            recordCores(reading.cores)
            if let others = reading.othersCPUs {
                if state == .running { runningOthers = (runningOthers.sum + others, runningOthers.count + 1) }
                othersHistory.append((time, others))
                let horizon = time > Self.othersWindow ? time - Self.othersWindow : 0
                othersHistory.removeAll { $0.time < horizon }
            }
        }
        progressHistory.append((time, tasksDone, flopsDone))
        let horizon = time > Self.rateWindow ? time - Self.rateWindow : 0
        if let keep = progressHistory.firstIndex(where: { $0.time >= horizon }), keep > 0 {
            progressHistory.removeFirst(keep)
        }
    }

    /// Takes `grown` as the run's description, keeping what every known task did.
    private mutating func grow(to grown: RunDescription) {
        run = grown
        totalFlops = grown.totalFlops
        blocks.grow(stages: grown.stages)
        taskRecords.grow(tasks: grown.taskCount)
        stream.grow(workers: grown.workerCount)
        let totals = grown.tasksPerOperation
        for (operation, total) in totals.enumerated() {
            if operation < operationProgress.count {
                operationProgress[operation].total = total
            } else {
                operationProgress.append(OperationProgress(total: total))
            }
        }
        if activeStage >= grown.stages.count { activeStage = grown.heaviestStage }
    }

    /// The stage the grid shows: `pinned` when the user chose one, else the active stage while
    /// the run goes and the heaviest once it ended.
    public func shownStage(pinned: Int?) -> Int {
        if let pinned, pinned >= 0, pinned < run.stages.count { return pinned }
        return state.isFinal ? run.heaviestStage : activeStage
    }

    private mutating func followTheWork() {
        let stages = blocks.stages
        guard stages.count > 1, stages[activeStage].activeTasks == 0 else { return }
        let busiest = stages.indices.max { (stages[$0].runningTasks, stages[$0].activeTasks) < (stages[$1].runningTasks, stages[$1].activeTasks) }
        if let busiest, stages[busiest].activeTasks > 0 { activeStage = busiest }
    }

    /// Appends each core's load to `coreHistory`; a different number of cores starts it again.
    private mutating func recordCores(_ cores: [CoreLoad?]) {
        if coreHistory.count != cores.count {
            coreHistory = Array(repeating: [], count: cores.count)
            coreHistoryTimes = []
        }
        for (index, core) in cores.enumerated() { coreHistory[index].append(core?.busy ?? 0) }
        coreHistoryTimes.append(time)
        // Trimmed by half a history at a time, so that a reading costs no shift of every core's list.
        if coreHistoryTimes.count >= 2 * Self.historyLength {
            let drop = coreHistoryTimes.count - Self.historyLength
            coreHistoryTimes.removeFirst(drop)
            for index in coreHistory.indices { coreHistory[index].removeFirst(drop) }
        }
    }

    /// Finished tasks per second over the last few seconds (the whole run once it ended).
    public var tasksPerSecond: Double { rate { Double($0.tasks) } }

    /// Floating-point operations per second, same span as `tasksPerSecond`.
    public var flopsPerSecond: Double { rate { $0.flops } }

    private func rate(_ value: ((time: UInt64, tasks: Int, flops: Double)) -> Double) -> Double {
        if state.isFinal {
            let seconds = elapsedSeconds
            return seconds > 0 ? value((0, tasksDone, flopsDone)) / seconds : 0
        }
        guard let first = progressHistory.first, let last = progressHistory.last, last.time > first.time else { return 0 }
        return (value(last) - value(first)) / (Double(last.time - first.time) / 1e9)
    }

    /// Done fraction of the work, by flops when the tasks have them, else by tasks.
    public var fractionDone: Double {
        let total = totalFlops
        if total > 0 { return min(1, flopsDone / total) }
        return run.taskCount > 0 ? Double(tasksDone) / Double(run.taskCount) : 1
    }

    /// Seconds left at the current rate; nil when unknown or finished.
    public var etaSeconds: Double? {
        guard !state.isFinal else { return nil }
        let total = totalFlops
        if total > 0 {
            let rate = flopsPerSecond
            return rate > 0 ? (total - flopsDone) / rate : nil
        }
        let rate = tasksPerSecond
        return rate > 0 ? Double(run.taskCount - tasksDone) / rate : nil
    }

    /// Process CPU% now; once the run has ended, its average over the run.
    public var processCPU: Double? {
        if state.isFinal && runningCPU.count > 0 { return runningCPU.sum / Double(runningCPU.count) }
        return machine?.processCPU
    }

    /// CPUs' worth of time other processes took on the CPUs the run may use (1 is one CPU):
    /// averaged over the last `othersWindow` while the run goes, over the run once it ended;
    /// nil without readings.
    public var othersCPUs: Double? {
        if state.isFinal && runningOthers.count > 0 { return runningOthers.sum / Double(runningOthers.count) }
        guard !othersHistory.isEmpty else { return nil }
        return othersHistory.reduce(0) { $0 + $1.cpus } / Double(othersHistory.count)
    }

    /// Whether others take enough of the usable CPUs to warn about (see `Competition`).
    public var othersDisturb: Bool {
        othersCPUs.map { Competition.disturbs(othersCPUs: $0, capacity: run.capacity) } ?? false
    }

    /// Process CPU% divided by the workers' 100% each: 1 when every worker keeps a core busy;
    /// the source's own measure when its reading has one.
    ///
    /// At most 1: the process's CPU also counts its threads that are not workers (the dashboard's
    /// own, the sampler's), which can take it a little over the workers' share.
    public var efficiency: Double? {
        if let measured = machine?.efficiency { return min(1, measured) }
        guard let cpu = processCPU, run.workerCount > 0 else { return nil }
        return min(1, cpu / (100 * Double(run.workerCount)))
    }
}

/// One operation's tasks in a run: how many, how many ended, and the worker time they took.
public struct OperationProgress: Sendable, Equatable {
    public var total: Int
    public var done: Int
    public var failed: Int
    /// Seconds of worker time spent in its finished tasks.
    public var busySeconds: Double

    public init(total: Int, done: Int = 0, failed: Int = 0, busySeconds: Double = 0) {
        self.total = total
        self.done = done
        self.failed = failed
        self.busySeconds = busySeconds
    }

    mutating func finish(seconds: Double) {
        done += 1
        busySeconds += seconds
    }
}
