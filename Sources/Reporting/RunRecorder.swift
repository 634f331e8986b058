import BlockArray
import BlocktopSupport
import Engine
import Foundation
import Telemetry

/// What a run did, gathered while it runs: every task event, per-core CPU
/// readings over time, and the process's CPU time over the run's active time.
///
/// Whoever drains the run's event log (a headless loop, or the dashboard's
/// source) hands the events to `record`, and says when the run is paused, resumed
/// and seen to end: CPU time spent while paused or after the end (a dashboard left
/// open) is not the run's. Reports and traces are made from the result of `finish`.
/// Use from one thread.
public final class RunRecorder {
    public let graph: TaskGraph
    public let workerCount: Int
    public private(set) var events: [TaskEvent] = []
    /// Tasks finished so far.
    public private(set) var finishedTasks = 0
    /// Per-core busy % readings: (monotonic ns, one value per core, nil for an offline core).
    public private(set) var cpuSamples: [(time: UInt64, cores: [Double?])] = []
    public let startTime = monotonicNanoseconds()
    private let startCPUSeconds: Double
    /// Process CPU seconds when the run was seen to end, and spent while it was paused.
    private var endCPUSeconds: Double?
    private var pausedCPUSeconds = 0.0
    private var pausedAtCPUSeconds: Double?
    private var cpuSampler: CPUSampler?
    /// CPU readings are taken at most this often (ns), however often events come.
    private static let cpuSampleInterval: UInt64 = 100_000_000

    /// Starts recording a run of `graph` on `workers` workers.
    public init(graph: TaskGraph, workers: Int) {
        self.graph = graph
        self.workerCount = workers
        self.startCPUSeconds = processCPUSeconds()
        self.cpuSampler = try? CPUSampler(window: .milliseconds(500))
    }

    /// Adds newly drained events, and takes a CPU reading when the last is old enough.
    public func record(_ newEvents: [TaskEvent]) {
        events += newEvents
        finishedTasks += newEvents.lazy.filter { $0.kind == .finished }.count
        let now = monotonicNanoseconds()
        if cpuSamples.last.map({ now - $0.time >= Self.cpuSampleInterval }) ?? true,
           let reading = try? cpuSampler?.sample() {
            cpuSamples.append((now, reading.cores.map { $0?.busy }))
        }
    }

    /// The run was paused: the CPU time until `noteResumed` is not its own.
    public func notePaused() {
        if pausedAtCPUSeconds == nil && endCPUSeconds == nil { pausedAtCPUSeconds = processCPUSeconds() }
    }

    public func noteResumed() {
        guard let since = pausedAtCPUSeconds else { return }
        pausedCPUSeconds += processCPUSeconds() - since
        pausedAtCPUSeconds = nil
    }

    /// The run was seen to end: the process CPU time after this is not its own.
    public func noteEnded() {
        guard endCPUSeconds == nil else { return }
        noteResumed()
        endCPUSeconds = processCPUSeconds()
    }

    /// Closes the books on `result`, over the run's active time; record the last events first.
    public func finish(_ result: RunResult) -> RunSummary {
        noteEnded()
        let cpuSeconds = max(0, (endCPUSeconds ?? startCPUSeconds) - startCPUSeconds - pausedCPUSeconds)
        let flops = events.reduce(0.0) { $0 + ($1.kind == .finished ? graph.tasks[Int($1.task)].flops : 0) }
        return RunSummary(result: result, graph: graph, workers: workerCount, wallSeconds: result.activeSeconds,
                          cpuSeconds: cpuSeconds, flops: flops, peakRSSBytes: peakResidentBytes())
    }
}

/// Figures of a finished run.
public struct RunSummary: Sendable {
    public let result: RunResult
    public let graph: TaskGraph
    public let workers: Int
    /// Seconds the run was going, from its start to its end, not counting pauses.
    public let wallSeconds: Double
    /// User + system CPU time of the whole process while the run was going.
    public let cpuSeconds: Double
    /// Estimated flops of the tasks that finished.
    public let flops: Double
    public let peakRSSBytes: Int

    /// How the run ended.
    package var outcome: RunOutcome { result.status.outcomeWhenStopped }

    /// CPU% of the process over the run; 100% is one core busy.
    public var cpuPercent: Double { wallSeconds > 0 ? cpuSeconds / wallSeconds * 100 : 0 }
    /// CPU% ÷ (100 × workers): how much of the workers' time was spent computing.
    public var parallelEfficiency: Double { cpuPercent / (100 * Double(workers)) }
    /// Estimated flops of the finished tasks per second, in billions.
    public var gflops: Double { wallSeconds > 0 ? flops / wallSeconds / 1e9 : 0 }
    public var tasksPerSecond: Double { wallSeconds > 0 ? Double(result.statistics.tasksRun) / wallSeconds : 0 }
}

/// User + system CPU time of this process so far, in seconds; 0 when /proc cannot be read.
private func processCPUSeconds() -> Double {
    (try? ProcessStat.current())?.cpuSeconds ?? 0
}
