/// Samples the utilization of every core from /proc/stat.
///
/// Each `sample` reads /proc/stat once and compares it with an earlier reading, chosen so that
/// the figures average over at least `window` (see `SampleHistory` for the smoothing rule).
public struct CPUSampler: Sendable {
    /// The file read, `<procRoot>/stat`.
    public let path: String
    private var reader = FileReader()
    private var history: SampleHistory<CPUStatSnapshot>
    /// One more than the highest CPU id seen, so cores that go offline keep their place.
    private var coreCount: Int

    /// Takes the first reading, which the first sample is compared with.
    ///
    /// - Parameters:
    ///   - procRoot: where procfs is mounted; tests pass a directory of fixture files.
    ///   - window: the shortest span a reading averages over; `.zero` compares with the previous sample.
    ///   - now: the time of the first reading.
    public init(procRoot: String = "/proc", window: Duration = .seconds(1), at now: ContinuousClock.Instant = .now) throws(TelemetryError) {
        path = procRoot + "/stat"
        history = SampleHistory(window: window)
        let first = try Self.read(path, using: &reader)
        coreCount = first.cores.count
        history.record(first, at: now)
    }

    /// Reads /proc/stat and returns each core's usage since the base reading.
    public mutating func sample(at now: ContinuousClock.Instant = .now) throws(TelemetryError) -> CPUReading {
        let current = try Self.read(path, using: &reader)
        coreCount = max(coreCount, current.cores.count)
        let total = history.base(at: now) { _ in true }.map { CoreUsage(from: $0.snapshot.total, to: current.total) } ?? .idle
        var cores: [CoreUsage?] = []
        cores.reserveCapacity(coreCount)
        for id in 0..<coreCount {
            guard let times = current.core(id) else {
                cores.append(nil)
                continue
            }
            let base = history.base(at: now) { $0.core(id) != nil }
            cores.append(base.flatMap { $0.snapshot.core(id) }.map { CoreUsage(from: $0, to: times) } ?? .idle)
        }
        history.record(current, at: now)
        return CPUReading(total: total, cores: cores)
    }

    private static func read(_ path: String, using reader: inout FileReader) throws(TelemetryError) -> CPUStatSnapshot {
        try reader.withContents(of: path) { bytes throws(TelemetryError) in try CPUStatSnapshot.parse(bytes, path: path) }
    }
}
