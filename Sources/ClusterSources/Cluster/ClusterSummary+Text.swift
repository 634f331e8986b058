import BlocktopSupport

extension ClusterSummary {
    /// A few lines: the cluster (or watched program), its CPU and efficiency, its tasks (and how
    /// many were recomputed), each worker, each task prefix's progress, each erred task; control
    /// characters escaped.
    package var text: String {
        let watched = program.map { "program \($0.joined(separator: " ")) · exit status \(exitStatus.map(String.init) ?? "?")" }
        var lines = [(watched ?? "cluster \(scheduler ?? "?")") + " · \(workersPresent) workers, \(threads) threads · "
                     + "CPU \(Self.rounded(cpuPercent))%"
                     + (efficiency.map { " · efficiency \(Self.rounded($0 * 100))%" } ?? "")
                     + " · tasks \(tasks.done)/\(tasks.total) done"
                     + (recomputed > 0 ? ", recomputed \(recomputed)" : "")]
        for worker in workers {
            lines.append("  \(worker.address) (\(worker.host)) \(worker.threads) threads · CPU \(Self.rounded(worker.cpuPercent))% · "
                         + "\(ByteCount.text(worker.memoryBytes)) · executing \(worker.executing)" + (worker.present ? "" : " · gone"))
        }
        for (prefix, tasks) in prefixes.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(prefix) \(tasks.done)/\(tasks.total) done" + (tasks.states["erred"].map { ", \($0) erred" } ?? ""))
        }
        for task in erred { lines.append("  erred \(task["key"] ?? ""): \(task["exception"] ?? "")") }
        return lines.map(\.escapingTerminalControls).joined(separator: "\n")
    }

    /// `value` rounded to a whole number; 0 for a value no integer holds (not finite, or huge).
    private static func rounded(_ value: Double) -> Int {
        Int(exactly: value.rounded()) ?? 0
    }
}
