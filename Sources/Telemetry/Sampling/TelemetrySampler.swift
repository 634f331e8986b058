/// Takes a full `TelemetrySample` at each dashboard refresh: cores (with this process's share of
/// each), process, workers and memory.
///
/// Reads /proc/stat, /proc/self/stat, /proc/self/statm, /proc/meminfo, every
/// /proc/self/task/TID/stat for the per-core shares and once more per worker: a few tens of
/// microseconds in all.
public struct TelemetrySampler<WorkerID: Hashable & Sendable>: Sendable {
    private var cpu: CPUSampler
    private var process: ProcessSampler
    private var threads: ThreadSampler<WorkerID>
    private var reader = FileReader()
    /// The memory file read, `<procRoot>/meminfo`.
    public let meminfoPath: String

    /// Takes the first readings, which the first sample is compared with.
    ///
    /// - Parameters:
    ///   - procRoot: where procfs is mounted; tests pass a directory of fixture files.
    ///   - window: the shortest span CPU figures average over (see `SampleHistory`).
    ///   - now: the time of the first reading.
    public init(procRoot: String = "/proc", window: Duration = .seconds(1), at now: ContinuousClock.Instant = .now) throws(TelemetryError) {
        cpu = try CPUSampler(procRoot: procRoot, window: window, at: now, attributing: "self")
        process = try ProcessSampler(procRoot: procRoot, window: window, at: now)
        threads = ThreadSampler(procRoot: procRoot, window: window)
        meminfoPath = procRoot + "/meminfo"
    }

    /// Reads everything; `workers` maps each worker to its kernel thread id (see `ThreadID.current()`).
    public mutating func sample(workers: [WorkerID: Int32], at now: ContinuousClock.Instant = .now) throws(TelemetryError) -> TelemetrySample<WorkerID> {
        let path = meminfoPath
        return TelemetrySample(
            time: now,
            cpu: try cpu.sample(at: now),
            process: try process.sample(at: now),
            workers: try threads.sample(workers, at: now),
            memory: try reader.withContents(of: path) { bytes throws(TelemetryError) in try MachineMemory.parse(bytes, path: path) }
        )
    }
}
