import BlockArray
import BlocktopSupport
import Engine
import Foundation

/// Scheduler overhead: `(ones(n, chunks=1) + 1).sum()`, the workload dask was
/// timed on (~190 µs per task, ~5,200 tasks/s on the reference machine).
/// Each task touches one element, so the time is almost all scheduling.
func runSchedulerBenchmark() throws {
    let n = Int(ProcessInfo.processInfo.environment["BENCH_TASKS"] ?? "") ?? 1_000_000
    let graph = try (BlockArray.ones([n], chunks: 1) + 1).sum().graph()
    print("graph: \(graph.count) tasks for n = \(n)")
    for workers in [1, 2] {
        let engine = Engine(workers: workers)
        _ = try engine.execute(graph)  // warm-up
        var best = Double.infinity
        for _ in 0..<3 {
            let start = monotonicNanoseconds()
            let result = try engine.execute(graph)
            best = min(best, Double(monotonicNanoseconds() - start) / 1e9)
            precondition(result.outputs[0].storage[0] == Double(2 * n), "wrong sum")
        }
        print(String(format: "workers %d: %.3f s, %.2f µs per task, %.0f tasks/s (best of 3)",
                     workers, best, best / Double(graph.count) * 1e6, Double(graph.count) / best))
    }
}
