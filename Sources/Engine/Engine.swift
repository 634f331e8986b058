import BlockArray
import Foundation
import RunVocabulary
import Telemetry

/// blocktop's thread-pool executor: runs task graphs on long-lived worker
/// threads, one graph at a time, with OpenBLAS pinned to one thread per worker.
///
/// The same engine runs any number of graphs in turn. Results do not depend on
/// the number of workers: every task computes the same block from the same inputs.
public final class Engine: GraphExecutor, Sendable {
    private let pool: WorkerPool

    /// An engine with `workers` threads (≥ 1); by default one per CPU this process may use.
    public init(workers: Int? = nil) {
        BLAS.pinToOneThread()
        pool = WorkerPool(workers: max(1, workers ?? Engine.defaultWorkerCount))
    }

    /// The CPUs this process may actually use: its affinity mask, capped by its
    /// cgroup CPU quota (rounded up); 1 if they cannot be read.
    public static var defaultWorkerCount: Int {
        (try? CPUAvailability.current().usableCPUCount) ?? 1
    }

    deinit {
        pool.shutdown()
    }

    public var workerCount: Int { pool.workerCount }

    /// The kernel thread ids of the workers, by worker id (for per-thread CPU readings).
    public var workerThreadIDs: [Int32] { pool.threadIDs }

    /// Starts `graph` and returns at once; `events`, when given, receives every task's events.
    public func start(_ graph: TaskGraph, events: EventLog? = nil) -> RunHandle {
        let run = GraphRun(graph: graph, events: events)
        let handle = RunHandle(pool: pool, run: run)
        pool.start(run)
        return handle
    }

    /// A log sized for this engine's workers, to pass to `start`.
    public func makeEventLog() -> EventLog { EventLog(workers: workerCount) }

    /// Runs `graph` to the end: the outputs, or the failure (a `TaskFailure`), or `EngineError.cancelled`.
    public func execute(_ graph: TaskGraph) throws -> ExecutionResult {
        try start(graph).wait().get()
    }
}

/// Why a run gave no result besides a failing task.
public enum EngineError: Error, Equatable, CustomStringConvertible {
    case cancelled

    public var description: String { "the computation was cancelled" }
}

/// Control of a started run, from any thread (the dashboard's, say).
public final class RunHandle: Sendable {
    private let pool: WorkerPool
    private let run: GraphRun

    init(pool: WorkerPool, run: GraphRun) {
        self.pool = pool
        self.run = run
    }

    /// Stops scheduling: running tasks finish, nothing else starts, and `wait` returns `.cancelled`.
    public func cancel() { pool.update(run) { $0.cancel() } }
    /// Holds workers between tasks until `resume`.
    public func pause() { pool.update(run) { $0.pause() } }
    public func resume() { pool.update(run) { $0.resume() } }

    /// The run's status and counters now.
    public var progress: RunProgress {
        pool.condition.lock()
        defer { pool.condition.unlock() }
        return RunProgress(status: run.status, running: run.running, statistics: run.statistics,
                           activeSeconds: run.activeSeconds())
    }

    /// Blocks until none of this run's tasks is on a worker: after a cancel or a failure,
    /// until the kernels still running have returned (exiting the process under a running
    /// kernel can crash inside the library it calls).
    public func waitUntilIdle() {
        pool.waitUntilIdle(run)
    }

    /// Blocks until the run ends; returns at once when a task fails or the run is cancelled,
    /// without waiting for tasks still running.
    public func wait() -> RunResult {
        wait(timeout: .infinity)!
    }

    /// Like `wait()`, but gives up after `seconds`: nil when the run is still going.
    public func wait(timeout seconds: Double) -> RunResult? {
        let deadline = seconds.isFinite ? Date(timeIntervalSinceNow: seconds) : nil
        return pool.waitForEnd(of: run, until: deadline) { run in
            RunResult(status: run.status,
                      outputs: run.status == .done ? run.outputs() : [],
                      failure: run.failure,
                      statistics: run.statistics,
                      activeSeconds: run.activeSeconds())
        }
    }
}

/// A run's state at one moment.
public struct RunProgress: Sendable {
    public let status: RunState
    /// Tasks on a worker right now.
    public let running: Int
    public let statistics: ExecutionStatistics
    /// Seconds the run has been going so far, not counting pauses.
    public let activeSeconds: Double
}

/// How a run ended.
public struct RunResult: Sendable {
    public let status: RunState
    /// The output blocks in `graph.outputs` order; empty unless `status == .done`.
    public let outputs: [DenseArray]
    public let failure: TaskFailure?
    public let statistics: ExecutionStatistics
    /// Seconds from the start to the end of the run, not counting pauses.
    public let activeSeconds: Double

    /// The result as `GraphExecutor` reports it: outputs, or the error that ended the run.
    public func get() throws -> ExecutionResult {
        switch status {
        case .done: return ExecutionResult(outputs: outputs, statistics: statistics)
        case .failed: throw failure!
        default: throw EngineError.cancelled
        }
    }
}
