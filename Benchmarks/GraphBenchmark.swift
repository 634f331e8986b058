import BlockArray
import BlocktopSupport
import Foundation

/// The million-task graph, `(ones(n, chunks=1) + 1).sum()`: building it in-process (expression
/// to optimized graph), and the whole `blocktop run --headless` process — wall time and peak RSS,
/// which is what a user waits for, graph and run together.
func runGraphBenchmark() throws {
    let n = Int(ProcessInfo.processInfo.environment["BENCH_TASKS"] ?? "") ?? 1_000_000
    let rounds = Int(ProcessInfo.processInfo.environment["BENCH_ROUNDS"] ?? "") ?? 3
    print(loadNote())
    var builds: [Double] = []
    var tasks = 0
    for _ in 0..<rounds {
        let start = monotonicNanoseconds()
        let graph = try (BlockArray.ones([n], chunks: 1) + 1).sum().graph()
        builds.append(Double(monotonicNanoseconds() - start) / 1e9)
        tasks = graph.count
    }
    let build = median(builds)
    print(String(format: "graph of %d tasks (n = %d) built in %.3f s, %.2f µs per task (median of %d)",
                 tasks, n, build, build / Double(tasks) * 1e6, rounds))
    let expression = "(ones(\(n), chunks=1) + 1).sum()"
    var walls: [Double] = [], runs: [Double] = [], peaks: [Double] = []
    for _ in 0..<rounds {
        let child = runChild([blocktopBinary, "run", "--headless", "--json", "--workers", "2", expression])
        guard child.status == 0, let run = jsonNumber("wall_seconds", in: child.output) else {
            print("blocktop run failed (status \(child.status)): \(child.output.prefix(200))")
            return
        }
        walls.append(child.seconds)
        runs.append(run)
        peaks.append(Double(child.peakRSSBytes))
    }
    let wall = median(walls), run = median(runs), peak = median(peaks)
    print(String(format: "blocktop run --headless '%@': whole process %.2f s (%@), of which the run %.2f s; peak RSS %.0f MB (%@) (medians of %d; %@)",
                 expression, wall, goal("≤ 1.5 s", wall <= 1.5), run, peak / 1e6, goal("≤ 500 MB", peak <= 500e6),
                 rounds, loadNote()))
}
