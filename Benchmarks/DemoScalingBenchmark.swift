import BlockArray
import Engine
import Foundation

/// Parallel efficiency of the classic demo, `(x @ x.T).sum()` with x random
/// n×n in 1000² blocks: time with 1 worker ÷ (workers × time with all of them).
/// dask reached 82% with 2 workers on the reference machine.
func runDemoScalingBenchmark() throws {
    let n = Int(ProcessInfo.processInfo.environment["BENCH_DEMO_N"] ?? "") ?? 10_000
    let workers = Int(ProcessInfo.processInfo.environment["BENCH_WORKERS"] ?? "") ?? 2
    let x = try BlockArray.random([n, n], chunks: 1_000, seed: 0)
    let graph = try x.matmul(x.T).sum().graph()
    var seconds: [Int: Double] = [:]
    for count in [1, workers] {
        let engine = Engine(workers: count)
        let start = monotonicNanoseconds()
        let result = try engine.execute(graph)
        seconds[count] = Double(monotonicNanoseconds() - start) / 1e9
        print(String(format: "workers %d: %.2f s, %.1f GFLOP/s, result %.6e",
                     count, seconds[count]!, graph.totalFlops / seconds[count]! / 1e9, result.outputs[0].storage[0]))
    }
    print(String(format: "parallel efficiency at %d workers: %.1f%%",
                 workers, seconds[1]! / (Double(workers) * seconds[workers]!) * 100))
}
