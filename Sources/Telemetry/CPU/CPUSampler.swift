import Glibc

/// Samples the utilization of every core from /proc/stat and, when asked, how much of each
/// core's busy time was one process's and how much was other processes'.
///
/// Each `sample` reads /proc/stat once and compares it with an earlier reading, chosen so that
/// the figures average over at least `window` (see `SampleHistory` for the smoothing rule).
/// A sampler that attributes a process also reads `<procRoot>/<process>/task/*/stat` at each
/// sample and adds each thread's CPU time since the previous sample to the core it last ran on
/// (see `CoreAttribution`); that per-sample attribution is then averaged over the same window.
public struct CPUSampler: Sendable {
    /// One reading: the `cpu` lines, and the ticks attributed to each core so far.
    struct Snapshot: Sendable {
        var stat: CPUStatSnapshot
        var ownTicks: [UInt64]
    }

    /// The file read, `<procRoot>/stat`.
    public let path: String
    /// The attributed process's thread directory, `<procRoot>/<process>/task`; nil when none is.
    public let taskDirectory: String?
    private var reader = FileReader()
    private var history: SampleHistory<Snapshot>
    private var attribution = CoreAttribution()
    /// One more than the highest CPU id seen, so cores that go offline keep their place.
    private var coreCount = 0

    /// Takes the first reading, which the first sample is compared with.
    ///
    /// - Parameters:
    ///   - procRoot: where procfs is mounted; tests pass a directory of fixture files.
    ///   - window: the shortest span a reading averages over; `.zero` compares with the previous sample.
    ///   - now: the time of the first reading.
    ///   - process: the directory under `procRoot` (`self` or a process id) of the process whose
    ///     share of each core to measure; nil measures busy time only.
    public init(
        procRoot: String = "/proc", window: Duration = .seconds(1), at now: ContinuousClock.Instant = .now,
        attributing process: String? = nil
    ) throws(TelemetryError) {
        path = procRoot + "/stat"
        taskDirectory = process.map { "\(procRoot)/\($0)/task" }
        history = SampleHistory(window: window)
        let first = try read()
        coreCount = first.stat.cores.count
        history.record(first, at: now)
    }

    /// Reads /proc/stat (and the attributed process's threads) and returns each core's usage since the base reading.
    ///
    /// With a process attributed, every core's usage has `own` and `others`; the aggregate `total` has neither.
    public mutating func sample(at now: ContinuousClock.Instant = .now) throws(TelemetryError) -> CPUReading {
        let current = try read()
        coreCount = max(coreCount, current.stat.cores.count)
        let attributes = taskDirectory != nil
        let total = history.base(at: now) { _ in true }.map { CoreUsage(from: $0.snapshot.stat.total, to: current.stat.total) } ?? .idle
        var cores: [CoreUsage?] = []
        cores.reserveCapacity(coreCount)
        for id in 0..<coreCount {
            guard let times = current.stat.core(id) else {
                cores.append(nil)
                continue
            }
            guard let base = history.base(at: now, where: { $0.stat.core(id) != nil }), let earlier = base.snapshot.stat.core(id) else {
                cores.append(CoreUsage(user: 0, system: 0, steal: 0, own: attributes ? 0 : nil))
                continue
            }
            let ownTicks = attributes ? Self.ticks(onCore: id, since: base.snapshot.ownTicks, until: current.ownTicks) : nil
            cores.append(CoreUsage(from: earlier, to: times, ownTicks: ownTicks))
        }
        history.record(current, at: now)
        return CPUReading(total: total, cores: cores)
    }

    /// The ticks attributed to core `id` between two snapshots' running totals.
    private static func ticks(onCore id: Int, since earlier: [UInt64], until later: [UInt64]) -> UInt64 {
        let (old, new) = (id < earlier.count ? earlier[id] : 0, id < later.count ? later[id] : 0)
        return new > old ? new - old : 0
    }

    private mutating func read() throws(TelemetryError) -> Snapshot {
        let path = self.path
        let stat = try reader.withContents(of: path) { bytes throws(TelemetryError) in try CPUStatSnapshot.parse(bytes, path: path) }
        if let taskDirectory {
            attribution.record(try threads(in: taskDirectory))
        }
        return Snapshot(stat: stat, ownTicks: attribution.ticksByCore)
    }

    /// Every thread of the attributed process that is still there when its stat is read.
    private mutating func threads(in taskDirectory: String) throws(TelemetryError) -> [CoreAttribution.Thread] {
        var threads: [CoreAttribution.Thread] = []
        for id in try ThreadID.all(in: taskDirectory) {
            let path = "\(taskDirectory)/\(id)/stat"
            let stat: ProcessStat
            do {
                stat = try reader.withContents(of: path) { bytes throws(TelemetryError) in try ProcessStat.parse(bytes, path: path) }
            } catch .unreadable(_, let code) where code == ENOENT || code == ESRCH {
                continue  // the thread exited after the directory was listed
            }
            guard let processor = stat.processor else { continue }
            threads.append(CoreAttribution.Thread(id: id, startTicks: stat.startTicks,
                                                  ticks: stat.userTicks + stat.systemTicks, processor: processor))
        }
        return threads
    }
}
