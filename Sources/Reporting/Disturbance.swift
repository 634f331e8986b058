import BlocktopSupport

extension RunSummary {
    /// `others_cpus` (CPUs' worth of time other processes took on the usable CPUs, on average)
    /// and `disturbed` (whether that reached `Competition.disturbingShare` of them), for JSON reports.
    var competitionJSON: [(String, JSON)] {
        [("others_cpus", .number(othersCPUs)), ("disturbed", .bool(isDisturbed))]
    }
}

extension TuningReport {
    /// A line for each run that other processes disturbed, such as
    /// "block 500, round 2 disturbed: others used 0.6 of 2 CPUs", then one saying what that means; none when no run was.
    static func disturbanceNotes(_ rows: [TuningRow], kind: TuningKind) -> [String] {
        // Runs on a cluster have no reading of this machine's other processes.
        let disturbed = rows.compactMap { row in row.local.flatMap { $0.summary.isDisturbed ? (row, $0.summary) : nil } }
        guard !disturbed.isEmpty else { return [] }
        return disturbed.map { row, summary in
            let setting = kind == .blockSizes ? "block \(row.setting)" : "\(row.setting) worker\(row.setting == 1 ? "" : "s")"
            let run = setting + (row.round == 0 ? " (warm-up)" : ", round \(row.round)")
            return "\(run) disturbed: " + Competition.text(othersCPUs: summary.othersCPUs, capacity: summary.capacity, ended: true)
        } + ["(other processes were busy on these CPUs: the times of disturbed runs are not comparable)"]
    }
}
