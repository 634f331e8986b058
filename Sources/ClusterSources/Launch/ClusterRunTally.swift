/// Figures of a launched run, from the cluster's state at each poll between the run's
/// submission and its end: its duration on blocktop's clock, the workers' CPU and threads over
/// the worker sets read meanwhile (`ClusterState`'s sums, less what they held at the start),
/// the peaks of workers, threads and memory.
public struct ClusterRunTally: Sendable {
    /// Seconds between the first and the last poll counted (blocktop's clock).
    public private(set) var seconds = 0.0
    /// Workers' CPU-seconds, thread-seconds, and the seconds of worker sets they cover, during the run.
    public private(set) var cpuSeconds = 0.0
    public private(set) var threadSeconds = 0.0
    public private(set) var accountedSeconds = 0.0
    /// The most worker processes and threads seen present at once.
    public private(set) var peakWorkers = 0
    public private(set) var peakThreads = 0
    /// The most memory the workers held together at one reading.
    public private(set) var peakMemoryBytes = 0
    private var first: (time: UInt64, cpu: Double, threads: Double, accounted: Double)?

    public init() {}

    /// Counts the cluster's state at `now` (blocktop's monotonic clock, in nanoseconds).
    public mutating func add(_ state: ClusterState, now: UInt64) {
        let present = state.presentWorkers
        peakWorkers = max(peakWorkers, present.count)
        peakThreads = max(peakThreads, state.threads)
        peakMemoryBytes = max(peakMemoryBytes, present.reduce(0) { $0 + $1.reading.memory })
        guard let first else {
            self.first = (now, state.cpuSeconds, state.threadSeconds, state.accountedSeconds)
            return
        }
        seconds = Double(now - min(now, first.time)) / 1e9
        cpuSeconds = state.cpuSeconds - first.cpu
        threadSeconds = state.threadSeconds - first.threads
        accountedSeconds = state.accountedSeconds - first.accounted
    }

    /// The workers' average CPU over the run; 100 is one core.
    public var cpuPercent: Double { accountedSeconds > 0 ? cpuSeconds / accountedSeconds * 100 : 0 }
    /// CPU time over thread time: how much of the threads present the run kept busy, at most 1.
    public var parallelEfficiency: Double { threadSeconds > 0 ? min(1, cpuSeconds / threadSeconds) : 0 }
}
