import Foundation

/// `blocktop-bench [NAME…]`: blocktop's own micro benchmarks; every one but the opt-in ones when
/// no name is given.
let benchmarks: [(name: String, run: () throws -> Void)] = [
    ("graph", runGraphBenchmark),
    ("scheduler", runSchedulerBenchmark),
    ("telemetry", runTelemetryBenchmark),
    ("demo", runDemoScalingBenchmark),
    ("frame", runFrameBenchmark),
    ("first-frame", runFirstFrameBenchmark),
    ("cluster-growth", runClusterGrowthBenchmark),
    // Needs the tests' venv (a Dask cluster, the bridge) and tmux: `make bench-cluster`.
    ("cluster", runClusterBenchmark),
]
let optIn: Set<String> = ["cluster"]

let requested = Array(CommandLine.arguments.dropFirst())
for name in requested where !benchmarks.contains(where: { $0.name == name }) {
    FileHandle.standardError.write("unknown benchmark \"\(name)\"; known: \(benchmarks.map(\.name).joined(separator: ", "))\n".data(using: .utf8)!)
    exit(2)
}
for benchmark in benchmarks where requested.isEmpty ? !optIn.contains(benchmark.name) : requested.contains(benchmark.name) {
    print("== \(benchmark.name)")
    try benchmark.run()
}
