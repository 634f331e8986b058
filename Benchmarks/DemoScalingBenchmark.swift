import BlockArray
import Engine
import Foundation

/// Parallel efficiency of the classic demo, `(x @ x.T).sum()` with x random
/// n×n in 1000² blocks: time with 1 worker ÷ (workers × time with all of them).
/// dask reached 82% with 2 workers on the reference machine.
///
/// The same run also measures the machine's own ceiling: independent dgemm
/// loops on 1 and on `workers` plain threads, no scheduler at all. On a machine
/// whose cores slow down when all are busy (turbo, shared FPUs, a noisy host)
/// that ceiling is below 100%, and no scheduler can beat it.
func runDemoScalingBenchmark() throws {
    let n = Int(ProcessInfo.processInfo.environment["BENCH_DEMO_N"] ?? "") ?? 10_000
    let workers = Int(ProcessInfo.processInfo.environment["BENCH_WORKERS"] ?? "") ?? 2
    let ceiling = dgemmThroughput(threads: workers) / (Double(workers) * dgemmThroughput(threads: 1))
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
    let efficiency = seconds[1]! / (Double(workers) * seconds[workers]!)
    print(String(format: "parallel efficiency at %d workers: %.1f%%; machine ceiling (independent dgemm loops): %.1f%%; engine ÷ ceiling: %.1f%%",
                 workers, efficiency * 100, ceiling * 100, efficiency / ceiling * 100))
}

/// Total GFLOP/s of `threads` threads each multiplying 1000² blocks for about 4 s.
private func dgemmThroughput(threads: Int) -> Double {
    BLAS.pinToOneThread()
    let a = DenseArray(shape: [1_000, 1_000], repeating: 0.5)
    let duration: UInt64 = 4_000_000_000
    let done = DispatchGroup()
    let products = (0..<threads).map { _ in Counter() }
    let start = monotonicNanoseconds()
    for counter in products {
        done.enter()
        Thread {
            while monotonicNanoseconds() - start < duration {
                _ = multiplyBlocks(a, transposeA: false, a, transposeB: true)
                counter.increment()
            }
            done.leave()
        }.start()
    }
    done.wait()
    let elapsed = Double(monotonicNanoseconds() - start) / 1e9
    let total = products.reduce(0) { $0 + $1.value }
    print(String(format: "dgemm 1000², %d thread(s): %.1f GFLOP/s", threads, 2e9 * Double(total) / elapsed / 1e9))
    return Double(total) / elapsed
}

/// A count one thread increments and another reads after joining it.
private final class Counter: @unchecked Sendable {
    // Written by one thread only and read after `DispatchGroup.wait`, which orders the accesses.
    private(set) var value = 0
    func increment() { value += 1 }
}
