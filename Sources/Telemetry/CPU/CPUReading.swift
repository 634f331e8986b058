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
}
