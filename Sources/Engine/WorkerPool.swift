import BlockArray
import Foundation

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
        while threadIDs.contains(0) { condition.wait() }
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

    /// Blocks until `run` has ended, then reads it under the lock.
    func waitForEnd<T>(of run: GraphRun, _ read: (GraphRun) -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        while !run.status.isFinal { condition.wait() }
        return read(run)
    }

    func shutdown() {
        condition.lock()
        isShuttingDown = true
        condition.broadcast()
        condition.unlock()
    }

    private func workerLoop(_ worker: Int16) {
        // Set from the thread itself, Foundation also gives the name to the kernel
        // (what top -H and /proc/…/comm show; at most 15 bytes).
        Thread.current.name = "blocktop-w\(worker)"
        BLAS.pinToOneThread()
        condition.lock()
        threadIDs[Int(worker)] = currentThreadID()
        condition.broadcast()
        var finished: (run: GraphRun, task: Int32, start: UInt64, outcome: Result<DenseArray, any Error>)?
        while true {
            if let (run, task, start, outcome) = finished {
                finished = nil
                if run.complete(task, worker: worker, startTime: start, outcome: outcome) {
                    if current === run { current = nil }
                    condition.broadcast()
                }
            }
            if isShuttingDown { break }
            guard let run = current, let task = run.next() else {
                idleWorkers += 1
                condition.wait()
                idleWorkers -= 1
                continue
            }
            // Pass the baton: another sleeping worker can take the next ready task.
            if idleWorkers > 0 && run.hasReadyTask { condition.signal() }
            condition.unlock()
            let start = monotonicNanoseconds()
            finished = (run, task, start, execute(task, of: run, on: worker, startTime: start))
            condition.lock()
        }
        condition.unlock()
    }

    /// Runs one task's kernel, unlocked, publishing its start and, on success, its end
    /// (a failure is published by `GraphRun.complete`, under the lock).
    private func execute(_ task: Int32, of run: GraphRun, on worker: Int16, startTime: UInt64) -> Result<DenseArray, any Error> {
        run.events?.publish(TaskEvent(kind: .started, worker: worker, task: task, time: startTime, startTime: startTime))
        let outcome = Result { try run.graph.tasks[Int(task)].run(run.inputs(of: task)) }
        if let events = run.events, case .success = outcome {
            events.publish(TaskEvent(kind: .finished, worker: worker, task: task, time: monotonicNanoseconds(), startTime: startTime))
        }
        return outcome
    }
}

/// The kernel's id of the calling thread (its TID), read from /proc/thread-self → "PID/task/TID".
private func currentThreadID() -> Int32 {
    if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self"),
       let tid = link.split(separator: "/").last.flatMap({ Int32($0) }) {
        return tid
    }
    return -1
}
