import Foundation
import Telemetry

/// The cost of one full telemetry sample, as the dashboard takes one at each refresh: every
/// core (/proc/stat), this process (stat, statm), one thread per usable CPU (task/TID/stat)
/// and the machine's memory (/proc/meminfo), read from the live /proc.
func runTelemetryBenchmark() throws {
    let workerCount = try CPUAvailability.current().usableCPUCount
    // Stand-ins for the engine's workers: this thread's id under every worker key, so each
    // sample reads one task stat file per worker, as it would for a real pool.
    let thread = try ThreadID.current()
    let workers = Dictionary(uniqueKeysWithValues: (0..<workerCount).map { ($0, thread) })
    var sampler = try TelemetrySampler<Int>()
    for _ in 0..<200 { _ = try sampler.sample(workers: workers) }

    let iterations = 5_000
    var cores = 0
    var best = Duration.seconds(1_000)
    for _ in 0..<3 {
        let elapsed = try ContinuousClock().measure {
            for _ in 0..<iterations { cores = try sampler.sample(workers: workers).cpu.cores.count }
        }
        best = min(best, elapsed)
    }
    let microseconds = best / .microseconds(1) / Double(iterations)
    print(String(format: "full sample (%d cores, %d workers): %.1f µs mean over %d samples (best of 3)",
                 cores, workerCount, microseconds, iterations))
}
