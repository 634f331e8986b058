import BlockArray
import BlocktopSupport
import RunVocabulary
import Synchronization

/// The scheduling state of one graph run.
///
/// Every mutable field is read and written only while the pool's lock is held
/// (the methods below are called under it), except the result slots, which
/// follow the graph's edges: a slot is written under the lock when its task
/// completes and read, lock-free, only by tasks that became ready after that,
/// so the lock orders every write before its reads. That is why this class can
/// be `@unchecked Sendable`.
final class GraphRun: @unchecked Sendable {
    let graph: TaskGraph
    let events: EventLog?
    private let priority: [Int32]
    private var remainingInputs: [Int32]
    private var remainingReaders: [Int32]
    private let isOutput: [Bool]
    private var ready: ReadyQueue
    private let results: UnsafeMutablePointer<DenseArray?>

    private(set) var status = RunState.running
    private(set) var failure: TaskFailure?
    private(set) var statistics = ExecutionStatistics()
    /// Tasks handed to workers and not yet completed (including those of a run that already ended).
    private(set) var running = 0
    private var completed = 0
    /// When the run started and ended, and the time it spent paused: its active time is the rest.
    private let startTime = monotonicNanoseconds()
    private var endTime: UInt64?
    private var pausedTotal: UInt64 = 0
    private var pausedSince: UInt64?

    init(graph: TaskGraph, events: EventLog?) {
        self.graph = graph
        self.events = events
        let order = graph.depthFirstOrder()
        var priority = [Int32](repeating: 0, count: graph.count)
        for (rank, id) in order.enumerated() { priority[id] = Int32(rank) }
        self.priority = priority
        ready = ReadyQueue(sorted: order.enumerated().compactMap { rank, id in
            graph.dependencies[id].isEmpty ? (Int32(id), Int32(rank)) : nil
        })
        remainingInputs = graph.dependencies.map { Int32($0.count) }
        remainingReaders = graph.dependents.map { Int32($0.count) }
        var isOutput = [Bool](repeating: false, count: graph.count)
        for id in graph.outputs { isOutput[id] = true }
        self.isOutput = isOutput
        results = .allocate(capacity: graph.count)
        results.initialize(repeating: nil, count: graph.count)
        if let events {
            let now = monotonicNanoseconds()
            for id in 0..<graph.count where remainingInputs[id] == 0 {
                events.publish(TaskEvent(kind: .ready, worker: TaskEvent.controller, task: Int32(id), time: now, startTime: now))
            }
        }
    }

    deinit {
        results.deinitialize(count: graph.count)
        results.deallocate()
    }

    var hasReadyTask: Bool { status == .running && !ready.isEmpty }

    /// Takes the next tasks to run into `batch`: up to `limit`, and no more than a
    /// fair share of the ready tasks among `workers`. False when paused, ended or nothing is ready.
    func next(upTo limit: Int, workers: Int, into batch: inout [Int32]) -> Bool {
        batch.removeAll(keepingCapacity: true)
        guard status == .running else { return false }
        let count = min(limit, max(1, ready.count / workers))
        while batch.count < count, let task = ready.pop() { batch.append(task) }
        running += batch.count
        return !batch.isEmpty
    }

    /// Returns tasks taken by `next` but not started (their batch was interrupted).
    func giveBack(_ tasks: ArraySlice<Int32>) {
        running -= tasks.count
        for task in tasks { ready.push(task, priority: priority[Int(task)]) }
    }

    /// Whether workers should stop between tasks: the run is paused, cancelled or failed.
    /// Read without the lock; set with each status change, before the time of that change is read.
    var isInterrupted: Bool { interrupted.load(ordering: .sequentiallyConsistent) }
    private let interrupted = Atomic<Bool>(false)

    /// The input blocks of `task`; call without the lock, after `next()` returned it.
    func inputs(of task: Int32) -> [DenseArray] {
        graph.dependencies[Int(task)].map { results[$0]! }
    }

    /// Records the outcome of `task` run by `worker`; returns whether the run just ended, or
    /// its last running task did after it ended (either is news for waiters).
    func complete(_ task: Int32, worker: Int16, startTime: UInt64, outcome: Result<DenseArray, any Error>) -> Bool {
        running -= 1
        guard status == .running || status == .paused else { return running == 0 }
        let id = Int(task)
        switch outcome {
        case .failure(let error):
            failure = TaskFailure(key: graph.key(of: id), blockIndex: graph.blockIndex(of: id), underlying: error)
            end(.failed)
            interrupted.store(true, ordering: .sequentiallyConsistent)
            // Published under the lock, after the status change: no task starts later than this event.
            events?.publish(TaskEvent(kind: .failed, worker: worker, task: task, time: monotonicNanoseconds(), startTime: startTime))
            return true
        case .success(let block):
            results[id] = block
            statistics.tasksRun += 1
            statistics.bytesHeld += block.byteCount
            statistics.peakBytesHeld = max(statistics.peakBytesHeld, statistics.bytesHeld)
            for dependency in graph.dependencies[id] {
                remainingReaders[dependency] -= 1
                if remainingReaders[dependency] == 0 && !isOutput[dependency] {
                    statistics.bytesHeld -= results[dependency]?.byteCount ?? 0
                    results[dependency] = nil
                }
            }
            var now: UInt64 = 0
            for dependent in graph.dependents[id] {
                remainingInputs[dependent] -= 1
                if remainingInputs[dependent] == 0 {
                    ready.push(Int32(dependent), priority: priority[dependent])
                    if let events {
                        if now == 0 { now = monotonicNanoseconds() }
                        events.publish(TaskEvent(kind: .ready, worker: worker, task: Int32(dependent), time: now, startTime: now))
                    }
                }
            }
            completed += 1
            if completed == graph.count {
                end(.done)
                return true
            }
            return false
        }
    }

    func pause() {
        if status == .running {
            status = .paused
            pausedSince = monotonicNanoseconds()
        }
        interrupted.store(status != .running, ordering: .sequentiallyConsistent)
    }

    func resume() {
        if status == .paused {
            status = .running
            foldPause(at: monotonicNanoseconds())
        }
        interrupted.store(status != .running, ordering: .sequentiallyConsistent)
    }

    func cancel() {
        if !status.isFinal { end(.cancelled) }
        interrupted.store(true, ordering: .sequentiallyConsistent)
    }

    /// Seconds the run has been going, not counting pauses: until now, or until it ended.
    func activeSeconds(at now: UInt64 = monotonicNanoseconds()) -> Double {
        let until = endTime ?? now
        let paused = pausedTotal + (pausedSince.map { until > $0 ? until - $0 : 0 } ?? 0)
        return Double(until - startTime - min(paused, until - startTime)) / 1e9
    }

    /// Moves the run to the final `state` and stops its clock.
    private func end(_ state: RunState) {
        let now = monotonicNanoseconds()
        foldPause(at: now)
        endTime = now
        status = state
    }

    private func foldPause(at now: UInt64) {
        guard let since = pausedSince else { return }
        pausedTotal += now > since ? now - since : 0
        pausedSince = nil
    }

    /// The output blocks, in `graph.outputs` order (only once done).
    func outputs() -> [DenseArray] {
        graph.outputs.map { results[$0]! }
    }
}
