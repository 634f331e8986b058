import DashboardModel
import Telemetry

/// This machine as a watched program sees it: every core's load (the program's share of each
/// core attributed from its main process's threads), the CPU of the program's whole process
/// tree, the main process's resident memory and the machine's memory.
public struct WatchedMachine: Sendable {
    private var cores: CPUSampler?
    private var tree: ProcessTreeSampler
    private var main: ProcessSampler?

    /// Samples for the program whose main process is `pid`.
    public init(pid: Int32) {
        cores = try? CPUSampler(attributing: String(pid))
        tree = ProcessTreeSampler(rootID: pid)
        main = try? ProcessSampler(process: String(pid))
        _ = tree.sample()
    }

    /// A reading now; `lanes` is how many lanes the dashboard shows (each gets an equal share of the program's CPU).
    public mutating func sample(lanes: Int) -> MachineReading {
        let cpu = try? cores?.sample()
        let processCPU = tree.sample().cpuPercent
        let resident = (try? main?.sample())?.residentBytes ?? 0
        let memory = try? MachineMemory.current()
        return MachineReading(
            cores: cpu?.cores.map { $0.map { CoreLoad(own: $0.own ?? 0, others: $0.others ?? $0.busy) } } ?? [],
            processCPU: processCPU, residentBytes: resident,
            workerCPU: [Double?](repeating: processCPU / Double(max(1, lanes)), count: max(1, lanes)),
            memoryTotal: memory?.totalBytes ?? 0, memoryAvailable: memory?.availableBytes ?? 0)
    }
}
