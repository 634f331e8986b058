import BlockArray
import Engine
import Foundation
import Telemetry

/// What a run did, gathered while it runs: every task event, per-core CPU
/// readings over time, and the process's CPU time and wall time.
///
/// The observer thread calls `poll` at its refresh tick and `finish` once the
/// run has ended; reports and traces are made from the result.
public final class RunRecorder {
    public let graph: TaskGraph
    public let workerCount: Int
    public private(set) var events: [TaskEvent] = []
    /// Per-core busy % readings: (monotonic ns, one value per core, nil for an offline core).
    public private(set) var cpuSamples: [(time: UInt64, cores: [Double?])] = []
    public let startTime = monotonicNanoseconds()
    private let startCPUTicks: UInt64
    private var cpuSampler: CPUSampler?
    private let log: EventLog

    /// Starts recording a run whose events go to `log`.
    public init(graph: TaskGraph, workers: Int, log: EventLog) {
        self.graph = graph
        self.workerCount = workers
        self.log = log
        self.startCPUTicks = processCPUTicks()
        self.cpuSampler = try? CPUSampler(window: .milliseconds(500))
    }

    /// Drains new events and takes a CPU reading; returns how many tasks have finished so far.
    @discardableResult
    public func poll() -> Int {
        events += log.drain()
        if let reading = try? cpuSampler?.sample() {
            cpuSamples.append((monotonicNanoseconds(), reading.cores.map { $0?.busy }))
        }
        return finishedTasks
    }

    public var finishedTasks: Int { events.lazy.filter { $0.kind == .finished }.count }

    /// Drains the last events and closes the books on `result`.
    public func finish(_ result: RunResult) -> RunSummary {
        poll()
        let wall = Double(monotonicNanoseconds() - startTime) / 1e9
        let cpuSeconds = Double(processCPUTicks() - startCPUTicks) / Double(clockTicksPerSecond())
        let flops = events.reduce(0.0) { $0 + ($1.kind == .finished ? graph.tasks[Int($1.task)].flops : 0) }
        return RunSummary(result: result, graph: graph, workers: workerCount, wallSeconds: wall,
                          cpuSeconds: cpuSeconds, flops: flops, peakRSSBytes: peakResidentBytes())
    }
}

/// Figures of a finished run.
public struct RunSummary: Sendable {
    public let result: RunResult
    public let graph: TaskGraph
    public let workers: Int
    public let wallSeconds: Double
    /// User + system CPU time of the whole process during the run.
    public let cpuSeconds: Double
    /// Estimated flops of the tasks that finished.
    public let flops: Double
    public let peakRSSBytes: Int

    /// CPU% of the process over the run; 100% is one core busy.
    public var cpuPercent: Double { wallSeconds > 0 ? cpuSeconds / wallSeconds * 100 : 0 }
    /// CPU% ÷ (100 × workers): how much of the workers' time was spent computing.
    public var parallelEfficiency: Double { cpuPercent / (100 * Double(workers)) }
    /// Estimated flops of the finished tasks per second, in billions.
    public var gflops: Double { wallSeconds > 0 ? flops / wallSeconds / 1e9 : 0 }
    public var tasksPerSecond: Double { wallSeconds > 0 ? Double(result.statistics.tasksRun) / wallSeconds : 0 }
}

/// User + system clock ticks of this process so far (/proc/self/stat).
private func processCPUTicks() -> UInt64 {
    guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
          let stat = try? ProcessStat.parse(text) else { return 0 }
    return stat.userTicks + stat.systemTicks
}

private func clockTicksPerSecond() -> Int {
    max(1, sysconf(Int32(_SC_CLK_TCK)))
}

/// The most memory this process has held resident (getrusage's ru_maxrss, in KiB on Linux).
private func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}
