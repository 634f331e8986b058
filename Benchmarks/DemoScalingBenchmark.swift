import BlockArray
import BlocktopSupport
import CBLAS
import Engine
import Foundation

/// Parallel efficiency of the classic demo, `(x @ x.T).sum()` with x random
/// n×n in 1000² blocks: time with 1 worker ÷ (workers × time with all of them).
/// dask reached 82% with 2 workers on the reference machine.
///
/// To tell scheduling losses from hardware ones, each run also reports how busy
/// its workers were (task time ÷ wall time) and the mean time of one block
/// product; and the machine's dgemm throughput on 1 and on all threads with no
/// scheduler at all. When products get slower as more cores work (shared caches,
/// memory bandwidth, clock limits), efficiency drops with busy workers.
func runDemoScalingBenchmark() throws {
    let n = Int(ProcessInfo.processInfo.environment["BENCH_DEMO_N"] ?? "") ?? 10_000
    let workers = Int(ProcessInfo.processInfo.environment["BENCH_WORKERS"] ?? "") ?? 2
    let alone = dgemmThroughput(threads: 1), together = dgemmThroughput(threads: workers)
    print(String(format: "dgemm 1000² without a scheduler: %.1f GFLOP/s on 1 thread, %.1f on %d (%.0f%% per thread)",
                 alone, together, workers, together / Double(workers) / alone * 100))
    let x = try BlockArray.random([n, n], chunks: 1_000, seed: 0)
    let graph = try x.matmul(x.T).sum().graph()
    var seconds: [Int: Double] = [:]
    for count in [1, workers] {
        let engine = Engine(workers: count)
        let log = engine.makeEventLog()
        let result = try engine.start(graph, events: log).wait().get()
        let events = log.drain()
        let first = events.filter { $0.kind == .started }.map(\.time).min()!
        let last = events.filter { $0.kind == .finished }.map(\.time).max()!
        let wall = Double(last - first) / 1e9
        let finished = events.filter { $0.kind == .finished }
        let busy = finished.reduce(0.0) { $0 + Double($1.time - $1.startTime) } / 1e9
        let products = finished.filter { graph.tasks[Int($0.task)].flops > 1e9 }
        let productSeconds = products.reduce(0.0) { $0 + Double($1.time - $1.startTime) } / 1e9 / Double(max(1, products.count))
        seconds[count] = wall
        print(String(format: "workers %d: %.2f s, %.1f GFLOP/s, workers busy %.1f%%, %.1f ms per block product, result %.6e",
                     count, wall, graph.totalFlops / wall / 1e9, busy / (wall * Double(count)) * 100,
                     productSeconds * 1e3, result.outputs[0].storage[0]))
    }
    print(String(format: "parallel efficiency at %d workers: %.1f%%",
                 workers, seconds[1]! / (Double(workers) * seconds[workers]!) * 100))
}

/// Total GFLOP/s of `threads` threads each multiplying 1000² matrices into
/// its own preallocated result for about 4 s (one `cblas_dgemm` per product).
private func dgemmThroughput(threads: Int) -> Double {
    BLAS.pinToOneThread()
    let n = 1_000
    let duration: UInt64 = 4_000_000_000
    let done = DispatchGroup()
    let counters = (0..<threads).map { _ in Counter() }
    let start = monotonicNanoseconds()
    for counter in counters {
        done.enter()
        Thread {
            let a = [Double](repeating: 0.5, count: n * n)
            var c = [Double](repeating: 0, count: n * n)
            while monotonicNanoseconds() - start < duration {
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(n),
                            1, a, Int32(n), a, Int32(n), 0, &c, Int32(n))
                counter.increment()
            }
            done.leave()
        }.start()
    }
    done.wait()
    let elapsed = Double(monotonicNanoseconds() - start) / 1e9
    let products = counters.reduce(0) { $0 + $1.value }
    return 2e9 * Double(products) / elapsed / 1e9
}

/// A count one thread increments and another reads after joining it.
private final class Counter: @unchecked Sendable {
    // Written by one thread only and read after `DispatchGroup.wait`, which orders the accesses.
    private(set) var value = 0
    func increment() { value += 1 }
}
