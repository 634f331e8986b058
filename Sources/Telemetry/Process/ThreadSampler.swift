import Glibc

/// Samples the CPU use of chosen threads of a process from /proc/PID/task/TID/stat.
///
/// The caller names the threads at each sample, keyed as it likes (blocktop keys them by
/// worker id), so threads can come and go. Each reading averages over at least `window`
/// (see `SampleHistory`).
public struct ThreadSampler<Key: Hashable & Sendable>: Sendable {
    /// CPU ticks of one thread, with its start time to tell a reused thread id from the original.
    struct ThreadTicks: Sendable {
        var start: UInt64
        var ticks: UInt64
    }

    /// The directory of the process's threads, `<procRoot>/<process>/task`.
    public let taskDirectory: String
    private var reader = FileReader(initialCapacity: 1024)
    private var history: SampleHistory<[Int32: ThreadTicks]>

    /// - Parameters:
    ///   - procRoot: where procfs is mounted; tests pass a directory of fixture files.
    ///   - process: the directory under `procRoot`: `self` or a process id.
    ///   - window: the shortest span a reading averages over; `.zero` compares with the previous sample.
    public init(procRoot: String = "/proc", process: String = "self", window: Duration = .seconds(1)) {
        taskDirectory = "\(procRoot)/\(process)/task"
        history = SampleHistory(window: window)
    }

    /// Reads each thread's CPU use, in percent of one core (at most 100), under the caller's keys.
    ///
    /// A thread seen for the first time has no reading until a later sample; a thread that has
    /// exited (its task directory is gone) is left out.
    public mutating func sample(_ threads: [Key: Int32], at now: ContinuousClock.Instant = .now) throws(TelemetryError) -> [Key: Double] {
        var current: [Int32: ThreadTicks] = [:]
        current.reserveCapacity(threads.count)
        var readings: [Key: Double] = [:]
        readings.reserveCapacity(threads.count)
        for (key, thread) in threads {
            let path = "\(taskDirectory)/\(thread)/stat"
            let stat: ProcessStat
            do {
                stat = try reader.withContents(of: path) { bytes throws(TelemetryError) in try ProcessStat.parse(bytes, path: path) }
            } catch .unreadable(_, let code) where code == ENOENT || code == ESRCH {
                continue
            }
            let ticks = ThreadTicks(start: stat.startTicks, ticks: stat.userTicks + stat.systemTicks)
            current[thread] = ticks
            guard let base = history.base(at: now, where: { $0[thread]?.start == ticks.start }),
                  let earlier = base.snapshot[thread]
            else { continue }
            let seconds = (now - base.time) / .seconds(1)
            let change = ticks.ticks > earlier.ticks ? ticks.ticks - earlier.ticks : 0
            readings[key] = min(100, Kernel.percentOfOneCore(ticks: change, seconds: seconds))
        }
        history.record(current, at: now)
        return readings
    }
}
