/// Figures of a launched run, gathered from the cluster's state at each poll between the run's
/// submission and its end: the workers' CPU and threads integrated over time, the peak of their
/// memory, and the tasks done.
public struct ClusterRunTally: Sendable {
    /// Seconds between the first and the last poll counted.
    public private(set) var seconds = 0.0
    /// Workers' CPU time over those seconds (a core busy for a second is 1).
    public private(set) var cpuSeconds = 0.0
    /// Worker threads present, integrated over those seconds: what the cluster could have computed.
    public private(set) var threadSeconds = 0.0
    /// The most worker processes and threads seen present at once.
    public private(set) var peakWorkers = 0
    public private(set) var peakThreads = 0
    /// The most memory the workers held together at one reading.
    public private(set) var peakMemoryBytes = 0
    private var last: UInt64?

    public init() {}

    /// Counts the interval since the previous call at the cluster's readings now: `now` is
    /// blocktop's monotonic clock in nanoseconds. Each interval is counted at its end's readings
    /// (the workers' CPU from their last heartbeat covers the time before it).
    public mutating func add(_ state: ClusterState, now: UInt64) {
        let present = state.presentWorkers
        peakWorkers = max(peakWorkers, present.count)
        peakThreads = max(peakThreads, state.threads)
        peakMemoryBytes = max(peakMemoryBytes, present.reduce(0) { $0 + $1.reading.memory })
        defer { last = now }
        guard let last, now > last else { return }
        let interval = Double(now - last) / 1e9
        seconds += interval
        cpuSeconds += state.cpuPercent / 100 * interval
        threadSeconds += Double(state.threads) * interval
    }

    /// The workers' average CPU over the run; 100 is one core.
    public var cpuPercent: Double { seconds > 0 ? cpuSeconds / seconds * 100 : 0 }
    /// CPU time over thread time: how much of the threads present the run kept busy, at most 1.
    public var parallelEfficiency: Double { threadSeconds > 0 ? min(1, cpuSeconds / threadSeconds) : 0 }
}
