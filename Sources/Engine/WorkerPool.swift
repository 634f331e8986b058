import BlockArray
import BlocktopSupport
import Foundation
import Telemetry

/// Long-lived, named worker threads (`blocktop-w0`, `blocktop-w1`, …) that run
/// the tasks of one graph run at a time.
///
/// One lock (`condition`) guards the current run and every run's scheduling
/// state. A worker holds it only to take a task and to record one: the kernel
/// itself runs unlocked. Workers that find nothing to do sleep on the condition
/// and are woken one by one as tasks become ready.
final class WorkerPool: @unchecked Sendable {
    // All mutable state below is guarded by `condition` (that is why the class
    // is `@unchecked Sendable`); `threadIDs` is written once before `init` returns.
    let condition = NSCondition()
    let workerCount: Int
    private(set) var threadIDs: [Int32]
    private var current: GraphRun?
    private var idleWorkers = 0
    private var isShuttingDown = false

    init(workers: Int) {
        precondition(workers >= 1, "a pool needs at least one worker")
        workerCount = workers
        threadIDs = [Int32](repeating: 0, count: workers)
        for worker in 0..<workers {
            Thread { [self] in workerLoop(Int16(worker)) }.start()
        }
        condition.lock()
        while threadIDs.contains(0) { condition.wait() }  // each worker reports its TID (or -1)
        condition.unlock()
    }

    /// Makes `run` the current run once the previous one has ended, and wakes the workers.
    func start(_ run: GraphRun) {
        condition.lock()
        while current != nil { condition.wait() }
        current = run
        condition.broadcast()
        condition.unlock()
    }

    /// Applies `change` to `run` under the lock, detaches it if it ended, and wakes everyone.
    func update(_ run: GraphRun, _ change: (GraphRun) -> Void) {
        condition.lock()
        change(run)
        if run.status.isFinal && current === run { current = nil }
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until `run` has ended (or `deadline`, if any, has passed: nil), then reads it under the lock.
    func waitForEnd<T>(of run: GraphRun, until deadline: Date?, _ read: (GraphRun) -> T) -> T? {
        condition.lock()
        defer { condition.unlock() }
        while !run.status.isFinal {
            if let deadline {
                if !condition.wait(until: deadline) && !run.status.isFinal { return nil }
            } else {
                condition.wait()
            }
        }
        return read(run)
    }

    /// Blocks until none of `run`'s tasks is on a worker.
    func waitUntilIdle(_ run: GraphRun) {
        condition.lock()
        while run.running > 0 { condition.wait() }
        condition.unlock()
    }

    func shutdown() {
        condition.lock()
        isShuttingDown = true
        condition.broadcast()
        condition.unlock()
    }

    /// Tasks shorter than this on average are taken in batches, to pay for the lock once per batch.
    private static let batchingThreshold: UInt64 = 20_000
    private static let largestBatch = 32

    private func workerLoop(_ worker: Int16) {
        nameCurrentThread("blocktop-w\(worker)")
        BLAS.pinToOneThread()
        condition.lock()
        threadIDs[Int(worker)] = (try? ThreadID.current()) ?? -1
        condition.broadcast()
        var finishedRun: GraphRun?
        var finished: [(task: Int32, start: UInt64, outcome: Result<DenseArray, any Error>)] = []
        var batch: [Int32] = []
        // Recent mean task duration in nanoseconds (exponentially weighted); starts high,
        // so a worker takes one task at a time until it has seen short ones.
        var meanDuration = UInt64.max / 2
        while true {
            if let run = finishedRun {
                // A batch given back after an interruption may leave an ended run idle: news too.
                var ended = run.status.isFinal && run.running == 0
                for (task, start, outcome) in finished {
                    ended = run.complete(task, worker: worker, startTime: start, outcome: outcome) || ended
                }
                if ended {
                    if current === run { current = nil }
                    condition.broadcast()
                }
                finished.removeAll(keepingCapacity: true)
                finishedRun = nil
            }
            if isShuttingDown { break }
            let share = meanDuration < Self.batchingThreshold ? Self.largestBatch : 1
            guard let run = current, run.next(upTo: share, workers: workerCount, into: &batch) else {
                idleWorkers += 1
                condition.wait()
                idleWorkers -= 1
                continue
            }
            // Pass the baton: another sleeping worker can take the next ready task.
            if idleWorkers > 0 && run.hasReadyTask { condition.signal() }
            condition.unlock()
            finishedRun = run
            for (position, task) in batch.enumerated() {
                // A pause, cancel or failure stops a batch between tasks. The clock is read
                // before the check, so a task never starts later than the interruption.
                let start = monotonicNanoseconds()
                if run.isInterrupted {
                    condition.lock()
                    run.giveBack(batch[position...])
                    condition.unlock()
                    break
                }
                let outcome = execute(task, of: run, on: worker, startTime: start)
                finished.append((task, start, outcome))
                let duration = monotonicNanoseconds() - start
                meanDuration = meanDuration / 8 * 7 + duration / 8
                if case .failure = outcome {
                    condition.lock()
                    run.giveBack(batch[(position + 1)...])
                    condition.unlock()
                    break
                }
            }
            condition.lock()
        }
        condition.unlock()
    }

    /// Runs one task's kernel, unlocked, publishing its start and, on success, its end
    /// (a failure is published by `GraphRun.complete`, under the lock).
    private func execute(_ task: Int32, of run: GraphRun, on worker: Int16, startTime: UInt64) -> Result<DenseArray, any Error> {
        run.events?.publish(TaskEvent(kind: .started, worker: worker, task: task, time: startTime, startTime: startTime))
        let outcome = Result { try run.graph.run(Int(task), run.inputs(of: task)) }
        if let events = run.events, case .success = outcome {
            events.publish(TaskEvent(kind: .finished, worker: worker, task: task, time: monotonicNanoseconds(), startTime: startTime))
        }
        return outcome
    }
}

/// Gives the calling thread its kernel name (what top -H and /proc/…/comm show; at most
/// 15 bytes) through /proc, since glibc's pthread_setname_np is not visible to Swift.
private func nameCurrentThread(_ name: String) {
    let descriptor = open("/proc/thread-self/comm", O_WRONLY)
    guard descriptor >= 0 else { return }
    _ = name.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
    close(descriptor)
}
