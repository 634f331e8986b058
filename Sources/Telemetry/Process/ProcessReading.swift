/// CPU and memory use of a process over the last sampling window.
public struct ProcessReading: Sendable, Equatable {
    /// CPU use in user mode, in percent of one core.
    public var userPercent: Double
    /// CPU use in kernel mode, in percent of one core.
    public var systemPercent: Double
    /// Resident memory in bytes.
    public var residentBytes: UInt64
    /// Threads in the process.
    public var threadCount: Int

    /// CPU use in percent of one core: 200 means two cores busy, as top and htop count it.
    public var cpuPercent: Double { userPercent + systemPercent }

    /// A reading from its parts.
    public init(userPercent: Double, systemPercent: Double, residentBytes: UInt64, threadCount: Int) {
        self.userPercent = userPercent
        self.systemPercent = systemPercent
        self.residentBytes = residentBytes
        self.threadCount = threadCount
    }
}
