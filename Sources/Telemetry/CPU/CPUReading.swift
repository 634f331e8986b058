/// How busy every core was over the last sampling window.
public struct CPUReading: Sendable, Equatable {
    /// All cores together, from the aggregate `cpu` line: 100 means every core busy.
    public var total: CoreUsage
    /// Core N at index N, from 0 to the highest CPU id seen so far; nil for a core that is
    /// offline now (absent from /proc/stat). A core that has just appeared reads idle until
    /// it has a reading to compare with.
    public var cores: [CoreUsage?]

    /// A reading from per-core usages, indexed by CPU id.
    public init(total: CoreUsage, cores: [CoreUsage?]) {
        self.total = total
        self.cores = cores
    }

    /// CPUs' worth of time that other processes took on the cores `ids` (100% of one core is
    /// 1): the sum of their `others` shares; nil when this reading has no attribution.
    public func othersCPUs(on ids: [Int]) -> Double? {
        var sum = 0.0
        for id in ids where id < cores.count {
            guard let core = cores[id] else { continue }
            guard let others = core.others else { return nil }
            sum += others
        }
        return sum / 100
    }
}
