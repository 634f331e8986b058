import BlockArray
import BlocktopSupport
import Engine
import Foundation
import RunVocabulary
import Telemetry

/// What a run did, gathered while it runs: every task event, per-core CPU
/// readings over time, and over the run's active time the process's CPU time and
/// the CPU time other processes took on the CPUs it may use.
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
    /// CPU time the process may use per second (`CPUAvailability.capacity`), and the CPUs it may use.
    private let capacity: Double
    private let usableCores: [Int]?
    private let start: CPUTally
    /// The tally when the run was seen to end, and the CPU time spent while it was paused.
    private var end: CPUTally?
    private var paused = CPUTally()
    private var pausedAt: CPUTally?
    private var cpuSampler: CPUSampler?
    /// CPU readings are taken at most this often (ns), however often events come.
    private static let cpuSampleInterval: UInt64 = 100_000_000

    /// Starts recording a run of `graph` on `workers` workers.
    public init(graph: TaskGraph, workers: Int) {
        self.graph = graph
        self.workerCount = workers
        let availability = try? CPUAvailability.current()
        capacity = availability?.capacity ?? Double(workers)
        usableCores = availability?.allowedCPUs
        start = CPUTally.now(cores: usableCores)
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
        if pausedAt == nil && end == nil { pausedAt = CPUTally.now(cores: usableCores) }
    }

    public func noteResumed() {
        guard let since = pausedAt else { return }
        paused = paused + (CPUTally.now(cores: usableCores) - since)
        pausedAt = nil
    }

    /// The run was seen to end: the CPU time after this is not its own.
    public func noteEnded() {
        guard end == nil else { return }
        noteResumed()
        end = CPUTally.now(cores: usableCores)
    }

    /// Closes the books on `result`, over the run's active time; record the last events first.
    public func finish(_ result: RunResult) -> RunSummary {
        noteEnded()
        let spent = (end ?? start) - start - paused
        let flops = events.reduce(0.0) { $0 + ($1.kind == .finished ? graph.taskFlops[Int($1.task)] : 0) }
        // Others' time is averaged over the span the tallies cover (which ends when the end was
        // seen), not the engine's run time, so time after the end adds to both or neither.
        let ticks = Double((usableCores?.count ?? ProcessInfo.processInfo.activeProcessorCount) + 1)
        let span = max(spent.wall, 1e-9)
        return RunSummary(result: result, graph: graph, workers: workerCount, wallSeconds: result.activeSeconds,
                          cpuSeconds: max(0, spent.process), othersCPUs: spent.others / span,
                          othersCPUsMargin: ticks / Double(Kernel.clockTicksPerSecond) / span, capacity: capacity,
                          flops: flops, peakRSSBytes: peakResidentBytes())
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
    /// CPUs' worth of time other processes took, on average, on the CPUs this one may use while
    /// the run was going (1 is one CPU): those CPUs' busy time (/proc/stat) less this process's CPU time.
    public let othersCPUs: Double
    /// How far `othersCPUs` may be off from /proc's clock ticks alone: a tick for each usable CPU
    /// and one for the process, over the run. It matters only for short runs, and keeps a run of
    /// a tenth of a second from being called disturbed by a tick of someone else's.
    public let othersCPUsMargin: Double
    /// CPU time the process may use per second (its CPUs, or its cgroup quota if smaller).
    public let capacity: Double
    /// Estimated flops of the tasks that finished.
    public let flops: Double
    public let peakRSSBytes: Int

    /// How the run ended.
    package var outcome: RunOutcome { result.status.outcomeWhenStopped }

    /// CPU% of the process over the run; 100% is one core busy.
    public var cpuPercent: Double { wallSeconds > 0 ? cpuSeconds / wallSeconds * 100 : 0 }
    /// CPU% ÷ (100 × workers): how much of the workers' time was spent computing; at most 1,
    /// since the process's CPU also counts its threads that are not workers.
    public var parallelEfficiency: Double { min(1, cpuPercent / (100 * Double(workers))) }
    /// Whether others surely took enough of the usable CPUs (`othersCPUs` less its margin) to
    /// make the run's timing unfair (see `Competition`).
    package var isDisturbed: Bool {
        Competition.disturbs(othersCPUs: othersCPUs - othersCPUsMargin, capacity: capacity)
    }
    /// Estimated flops of the finished tasks per second, in billions.
    public var gflops: Double { wallSeconds > 0 ? flops / wallSeconds / 1e9 : 0 }
    public var tasksPerSecond: Double { wallSeconds > 0 ? Double(result.statistics.tasksRun) / wallSeconds : 0 }
}
