/// Samples the CPU use and resident memory of one process from /proc/PID/stat and /proc/PID/statm.
///
/// CPU use is Δ(utime + stime) over Δ wall time, averaged over at least `window` (see
/// `SampleHistory`), in percent of one core.
public struct ProcessSampler: Sendable {
    /// The CPU-time file read, `<procRoot>/<process>/stat`.
    public let statPath: String
    /// The memory file read, `<procRoot>/<process>/statm`.
    public let statmPath: String
    private var reader = FileReader(initialCapacity: 1024)
    private var history: SampleHistory<ProcessStat>
    /// The most a reading can be: 100 per online CPU. Readings only go past it when tick
    /// rounding meets a very short interval.
    private let limitPercent: Double

    /// Takes the first reading, which the first sample is compared with.
    ///
    /// - Parameters:
    ///   - procRoot: where procfs is mounted; tests pass a directory of fixture files.
    ///   - process: the directory under `procRoot`: `self` or a process id.
    ///   - window: the shortest span a reading averages over; `.zero` compares with the previous sample.
    ///   - now: the time of the first reading.
    public init(
        procRoot: String = "/proc", process: String = "self",
        window: Duration = .seconds(1), at now: ContinuousClock.Instant = .now
    ) throws(TelemetryError) {
        statPath = "\(procRoot)/\(process)/stat"
        statmPath = "\(procRoot)/\(process)/statm"
        limitPercent = 100 * Double(Kernel.onlineCPUCount)
        history = SampleHistory(window: window)
        let path = statPath
        let first = try reader.withContents(of: path) { bytes throws(TelemetryError) in try ProcessStat.parse(bytes, path: path) }
        history.record(first, at: now)
    }

    /// Reads the process's files and returns its CPU use since the base reading and its memory now.
    public mutating func sample(at now: ContinuousClock.Instant = .now) throws(TelemetryError) -> ProcessReading {
        let (statPath, statmPath) = (self.statPath, self.statmPath)
        let current = try reader.withContents(of: statPath) { bytes throws(TelemetryError) in
            try ProcessStat.parse(bytes, path: statPath)
        }
        let residentPages = try reader.withContents(of: statmPath) { bytes throws(TelemetryError) in
            try Statm.residentPages(in: bytes, path: statmPath)
        }
        var user = 0.0, system = 0.0
        // A base with another start time belongs to an earlier process that had the same id.
        if let base = history.base(at: now, where: { $0.startTicks == current.startTicks }) {
            let seconds = (now - base.time) / .seconds(1)
            func change(_ old: UInt64, _ new: UInt64) -> UInt64 { new > old ? new - old : 0 }
            user = Kernel.percentOfOneCore(ticks: change(base.snapshot.userTicks, current.userTicks), seconds: seconds)
            system = Kernel.percentOfOneCore(ticks: change(base.snapshot.systemTicks, current.systemTicks), seconds: seconds)
            if user + system > limitPercent {
                let scale = limitPercent / (user + system)
                user *= scale
                system *= scale
            }
        }
        history.record(current, at: now)
        return ProcessReading(
            userPercent: user,
            systemPercent: system,
            residentBytes: residentPages * UInt64(Kernel.pageSize),
            threadCount: current.threadCount
        )
    }
}
