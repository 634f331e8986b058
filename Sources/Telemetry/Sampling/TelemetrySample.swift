/// One reading of everything blocktop shows about the machine and the process.
public struct TelemetrySample<WorkerID: Hashable & Sendable>: Sendable {
    /// When the reading was taken.
    public var time: ContinuousClock.Instant
    /// Every core's utilization, each split into this process's share and others'.
    public var cpu: CPUReading
    /// This process's CPU use and resident memory.
    public var process: ProcessReading
    /// Each worker's CPU use in percent of one core; workers with no reading yet are absent.
    public var workers: [WorkerID: Double]
    /// The machine's memory.
    public var memory: MachineMemory

    /// A sample from its parts.
    public init(
        time: ContinuousClock.Instant, cpu: CPUReading, process: ProcessReading,
        workers: [WorkerID: Double], memory: MachineMemory
    ) {
        self.time = time
        self.cpu = cpu
        self.process = process
        self.workers = workers
        self.memory = memory
    }
}
