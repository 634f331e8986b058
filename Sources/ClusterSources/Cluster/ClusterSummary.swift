
/// What was seen of a cluster or a watched program, printed when `attach` or `watch` ends
/// (headless, or after the dashboard): its workers, its tasks per prefix and state, its CPU,
/// and whether the feed was healthy. Its JSON and text are in ClusterSummary+JSON.swift and
/// ClusterSummary+Text.swift.
public struct ClusterSummary: Sendable {
    /// One worker as last seen.
    public struct Worker: Sendable {
        public var address, name, host: String
        public var threads: Int
        /// CPU use at the last reading; 100 is one core.
        public var cpuPercent: Double
        public var memoryBytes: Int
        public var executing: Int
        /// Whether it was still in the cluster at the end.
        public var present: Bool
    }

    /// A prefix's tasks: all seen, done (reached memory), and how many are in each state now.
    public struct Tasks: Sendable {
        public var total = 0
        public var done = 0
        public var states: [String: Int] = [:]
    }

    public var scheduler: String?
    /// Where the task news came from.
    public var events: TaskEvents
    /// How the cluster was watched, when not through the bridge's events.
    public var notice: String?
    public var seconds: Double
    public var workers: [Worker]
    public var workersPresent: Int
    public var threads: Int
    public var cpuPercent: Double
    public var tasks: Tasks
    public var prefixes: [String: Tasks]
    /// Times a done task was computed again because its result was lost (a worker died).
    public var recomputed: Int
    /// CPU-seconds over the thread-seconds of the workers there at each moment (0…1); absent
    /// before two readings of the workers.
    public var efficiency: Double?
    public var erred: [[String: String]]
    public var skippedLines: Int
    public var lastSkipReason: String?
    /// Why the feed ended (the scheduler went away …); nil while it was still going.
    public var ended: String?
    /// A watched program: its command line, process id and exit status (absent for a cluster).
    public var program: [String]?
    public var pid: Int?
    public var exitStatus: Int?

    /// The summary of `state` after `seconds` of watching.
    public init(_ state: ClusterState, events: TaskEvents, scheduler: String?, notice: String?, seconds: Double) {
        self.scheduler = scheduler
        self.events = events
        self.notice = notice
        self.seconds = seconds
        workers = state.workers.map {
            Worker(address: $0.reading.address, name: $0.reading.name, host: $0.reading.host, threads: $0.reading.threads,
                   cpuPercent: $0.reading.cpu, memoryBytes: $0.reading.memory, executing: $0.reading.executing, present: $0.present)
        }
        workersPresent = state.presentWorkers.count
        threads = state.threads
        cpuPercent = state.cpuPercent
        var all = Tasks(), byPrefix: [String: Tasks] = [:]
        for task in state.tasks {
            for index in [nil, task.prefix] as [String?] {
                var tasks = index.map { byPrefix[$0] ?? Tasks() } ?? all
                tasks.total += 1
                if task.done { tasks.done += 1 }
                tasks.states[task.phase.rawValue, default: 0] += 1
                if let index { byPrefix[index] = tasks } else { all = tasks }
            }
        }
        tasks = all
        prefixes = byPrefix
        recomputed = state.recomputed
        efficiency = state.efficiency
        erred = state.erred.map { ["key": $0.key, "exception": $0.exception] }
        skippedLines = state.skippedLines
        lastSkipReason = state.lastSkipReason
        ended = state.ended
    }
}
