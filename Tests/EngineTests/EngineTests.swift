import BlockArray
import Engine
import Foundation
import Synchronization
import Testing
import TestSupport

/// The thread-pool engine: results, reuse, events, memory, failure, cancel and pause.
@Suite struct EngineTests {
    /// A mix of every kind of layer: elementwise, reductions, products, rechunks, stencils.
    static func mixedExpression() throws -> BlockArray {
        let x = try BlockArray.random([120, 90], chunks: [25, 20], seed: 7)
        let y = try (x + x.sin()) * 0.5
        let centered = try y - y.mean(axes: [0], keepDims: true)
        let product = try centered.matmul(centered.T.rechunk([30, 40]))
        let stencil = try product.mapOverlap(depth: [1, 1], boundary: .periodic, name: "laplacian") { block in
            var out = block
            let (rows, columns) = (block.shape[0], block.shape[1])
            for i in 1..<(rows - 1) {
                for j in 1..<(columns - 1) {
                    out[[i, j]] = block[[i - 1, j]] + block[[i + 1, j]] + block[[i, j - 1]] + block[[i, j + 1]] - 4 * block[[i, j]]
                }
            }
            return out
        }
        return try BlockArray.concatenate([stencil.std(axes: [1]), product.max(axes: [0])])
    }

    @Test(arguments: [1, 2, 7])
    func resultsAreIdenticalForEveryWorkerCount(workers: Int) throws {
        let expression = try Self.mixedExpression()
        let serial = try expression.compute()
        let parallel = try expression.compute(using: Engine(workers: workers))
        #expect(parallel == serial)
    }

    @Test func thePoolIsReusedAcrossComputations() throws {
        let engine = Engine(workers: 3)
        let threads = engine.workerThreadIDs
        #expect(threads.count == 3 && Set(threads).count == 3 && threads.allSatisfy { $0 > 0 })
        for seed: UInt64 in 0..<5 {
            let x = try BlockArray.random([200, 200], chunks: 50, seed: seed)
            let total = try x.sum()
            #expect(try total.computeScalar(using: engine) == (try total.computeScalar()))
        }
        #expect(engine.workerThreadIDs == threads)
    }

    @Test func workerThreadsAreNamedAndVisibleToTheKernel() throws {
        let engine = Engine(workers: 2)
        for (worker, tid) in engine.workerThreadIDs.enumerated() {
            let comm = try String(contentsOfFile: "/proc/self/task/\(tid)/comm", encoding: .utf8)
            #expect(comm.trimmingCharacters(in: .whitespacesAndNewlines) == "blocktop-w\(worker)")
        }
    }

    @Test func everyTaskHasOneReadyOneStartAndOneFinishEvent() throws {
        let engine = Engine(workers: 2)
        let graph = try Self.mixedExpression().graph()
        let log = engine.makeEventLog()
        let handle = engine.start(graph, events: log)
        var events: [TaskEvent] = []
        while handle.progress.status == .running { events += log.drain() }  // drained while running
        #expect(handle.wait().status == .done)
        events += log.drain()
        for kind in [TaskEvent.Kind.ready, .started, .finished] {
            let tasks = events.filter { $0.kind == kind }.map(\.task)
            #expect(tasks.count == graph.count, "\(kind) events")
            #expect(Set(tasks) == Set((0..<Int32(graph.count))), "\(kind) covers every task")
        }
        #expect(!events.contains { $0.kind == .failed })
        let started = Dictionary(uniqueKeysWithValues: events.filter { $0.kind == .started }.map { ($0.task, $0) })
        for finish in events where finish.kind == .finished {
            let start = try #require(started[finish.task])
            #expect(finish.worker == start.worker && (0..<2).contains(Int(finish.worker)))
            #expect(finish.startTime == start.time && finish.time >= start.time)
        }
    }

    @Test func aSlowObserverLosesNoEvents() throws {
        // Far more events than one queue segment holds, drained only at the end.
        let engine = Engine(workers: 2)
        let graph = try (BlockArray.ones([30_000], chunks: 1) + 1).sum().graph()
        let log = engine.makeEventLog()
        #expect(try engine.start(graph, events: log).wait().get().outputs[0].storage == [60_000])
        let events = log.drain()
        #expect(events.count == 3 * graph.count)
        #expect(Set(events.filter { $0.kind == .finished }.map(\.task)).count == graph.count)
        #expect(log.drain().isEmpty)
    }

    @Test func peakBytesHeldStayNearWorkersTimesBlockSize() throws {
        let blockBytes = 250 * 250 * 8
        for workers in [1, 2, 4] {
            let engine = Engine(workers: workers)
            let x = try BlockArray.random([4_000, 4_000], chunks: 250, seed: 1)
            // Unfused, each random block is a separate task whose output is held until its partial runs.
            let graph = try x.sum(axes: [0]).graph(options: OptimizationOptions(fuse: false))
            let result = try engine.execute(graph)
            #expect(result.statistics.tasksRun == graph.count)
            #expect(result.statistics.peakBytesHeld <= 3 * workers * blockBytes,
                    "peak \(result.statistics.peakBytesHeld) B with \(workers) workers, block \(blockBytes) B, array \(x.byteCount) B")
        }
    }

    struct Boom: Error, Equatable {}

    @Test func aFailingTaskFailsTheRunWithoutWaitingForSlowTasks() throws {
        let engine = Engine(workers: 2)
        let started = Atomic<Int>(0)
        let failingBlock = Mutex<[Int]?>(nil)
        // The slow tasks hold until the test releases them, after wait() has returned.
        let release = DispatchSemaphore(value: 0)
        let slowFinished = Atomic<Bool>(false)
        let x = try BlockArray.ones([4], chunks: 1)
        let y = x.mapBlocks(name: "fail-one") { block, info in
            // The first task to start fails, once a second one runs beside it.
            if started.add(1, ordering: .sequentiallyConsistent).oldValue == 0 {
                failingBlock.withLock { $0 = info.index }
                try waitUntil(within: .seconds(30), every: .milliseconds(1), "a second task to start beside the failing one") {
                    started.load(ordering: .sequentiallyConsistent) >= 2
                }
                throw Boom()
            }
            // Released by the test; a wait() that waited for this task ends only when this gives up.
            _ = release.wait(timeout: .now() + 30)
            release.signal()
            slowFinished.store(true, ordering: .sequentiallyConsistent)
            return block
        }
        let graph = y.graph()
        let log = engine.makeEventLog()
        let handle = engine.start(graph, events: log)
        let result = handle.wait()
        #expect(result.status == .failed)
        let slowTaskHadEnded = slowFinished.load(ordering: .sequentiallyConsistent)
        #expect(!slowTaskHadEnded, "wait() returned before the slow task ended")
        release.signal()
        handle.waitUntilIdle()
        let slowTaskEndedWhenIdle = slowFinished.load(ordering: .sequentiallyConsistent)
        #expect(slowTaskEndedWhenIdle, "waitUntilIdle() returns once the running tasks have")
        #expect(handle.progress.running == 0)
        #expect(started.load(ordering: .sequentiallyConsistent) == 2, "no task starts after the failure")
        let failing = try #require(failingBlock.withLock { $0 })
        let failure = try #require(result.failure)
        #expect(failure.blockIndex == failing)
        #expect(failure.key == graph.tasks[graph.outputs[failing[0]]].key)
        #expect(failure.underlying as? Boom == Boom(), "\(failure)")
        #expect(throws: TaskFailure.self) { try result.get() }
        let events = log.drain()
        let failed = try #require(events.first { $0.kind == .failed })
        #expect(events.filter { $0.kind == .started }.allSatisfy { $0.time < failed.time }, "no task starts after the failure")
        // The pool stays usable.
        #expect(try (x + 1).sum().computeScalar(using: engine) == 8)
    }

    @Test func cancelStopsSchedulingAndReportsCancelled() throws {
        let engine = Engine(workers: 2)
        let started = Atomic<Int>(0)
        // Tasks after the fourth hold until the run is cancelled; each released one releases the next.
        let cancelled = DispatchSemaphore(value: 0)
        let x = try BlockArray.ones([200], chunks: 1)
        let graph = x.mapBlocks(name: "held") { block, _ in
            if started.add(1, ordering: .sequentiallyConsistent).oldValue >= 4 {
                _ = cancelled.wait(timeout: .now() + 30)
                cancelled.signal()
            }
            return block
        }.graph()
        let handle = engine.start(graph)
        try waitUntil(every: .milliseconds(1), "four tasks to finish") { handle.progress.statistics.tasksRun >= 4 }
        handle.cancel()
        cancelled.signal()
        let result = handle.wait()
        #expect(result.status == .cancelled)
        #expect(result.outputs.isEmpty)
        #expect(throws: EngineError.cancelled) { try result.get() }
        handle.waitUntilIdle()
        // Four free tasks, then at most one held task per worker: nothing starts after cancel().
        #expect(started.load(ordering: .sequentiallyConsistent) <= 4 + 2)
        #expect(handle.progress.statistics.tasksRun <= 4 + 2, "\(handle.progress.statistics.tasksRun) of \(graph.count) tasks ran")
        #expect(try (x * 2).sum().computeScalar(using: engine) == 400)
    }

    @Test func pauseHoldsWorkersBetweenTasksUntilResume() throws {
        let engine = Engine(workers: 2)
        let x = try BlockArray.ones([100], chunks: 1)
        // Tasks hold until pause() has been called, so the pause lands mid-run.
        let paused = Atomic<Bool>(false)
        let graph = x.mapBlocks(name: "pausable") { block, _ in
            try waitUntil(every: .milliseconds(1), "the test to call pause()") { paused.load(ordering: .sequentiallyConsistent) }
            return block
        }.graph()
        let handle = engine.start(graph)
        handle.pause()
        paused.store(true, ordering: .sequentiallyConsistent)
        try waitUntil(every: .milliseconds(1), "the running tasks to end after pause()") { handle.progress.running == 0 }
        let held = handle.progress
        #expect(held.status == .paused)
        // At most one task per worker was under way when pause() came.
        #expect(held.statistics.tasksRun <= 2, "\(held.statistics.tasksRun) tasks ran after pause()")
        // Not running is an absence: watching a window for a task to start is the measurement itself.
        let stayedStill = holdsThroughout(.milliseconds(200)) {
            let now = handle.progress
            return now.running == 0 && now.statistics.tasksRun == held.statistics.tasksRun
        }
        #expect(stayedStill, "a task ran while paused")
        handle.resume()
        let result = handle.wait()
        #expect(result.status == .done && result.statistics.tasksRun == graph.count)
    }

    @Test func openBLASIsPinnedToOneThread() {
        _ = Engine(workers: 2)
        #expect(BLAS.threadCount == 1)
    }
}
