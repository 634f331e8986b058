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
        let disturbed = rows.filter(\.summary.isDisturbed)
        guard !disturbed.isEmpty else { return [] }
        return disturbed.map { row in
            let setting = kind == .blockSizes ? "block \(row.setting)" : "\(row.setting) worker\(row.setting == 1 ? "" : "s")"
            let run = setting + (row.round == 0 ? " (warm-up)" : ", round \(row.round)")
            return "\(run) disturbed: " + Competition.text(othersCPUs: row.summary.othersCPUs, capacity: row.summary.capacity, ended: true)
        } + ["(other processes were busy on these CPUs: the times of disturbed runs are not comparable)"]
    }
}
