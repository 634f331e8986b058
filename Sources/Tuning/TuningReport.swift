import BlocktopSupport
import Foundation
import RunVocabulary

/// Tables and bar charts for `blocktop sweep` and `blocktop scale`: a row per setting with the
/// median and min–max of its runs after the warm-up, and the verdict of `TuningVerdict`.
package enum TuningReport {
    /// Whether every finished row computed the same value, to `tolerance` relative.
    package static func resultsAgree(_ rows: [TuningRow], tolerance: Double = 1e-9) -> Bool {
        let values = rows.compactMap(\.value)
        guard let first = values.first else { return true }
        return values.allSatisfy { abs($0 - first) <= tolerance * max(1, abs(first), abs($0)) || ($0.isNaN && first.isNaN) }
    }

    /// Statistics per setting and the verdict, over the rows after the warm-up.
    package static func comparison(_ rows: [TuningRow]) -> TuningComparison {
        TuningComparison(rows.map(\.measurement))
    }

    /// The sweep table: per block size the runs counted, median time, min–max, GFLOP/s of the
    /// median with a bar, tasks, median overhead share and the largest peak of memory held.
    package static func sweepTable(_ rows: [TuningRow]) -> String {
        let comparison = comparison(rows)
        let peak = comparison.statistics.map(\.gflops).max() ?? 0
        var lines = warmUpLine(rows, kind: .blockSizes).map { [$0] } ?? []
        lines.append(pad("block", 7) + pad("runs", 6) + pad("median", 9) + pad("min-max", 15) + pad("GFLOP/s", 10)
                     + String(repeating: " ", count: 26) + pad("tasks", 9) + pad("overhead", 10) + pad("peak held", 12))
        for setting in settings(rows) {
            let counted = rows.filter { $0.setting == setting && $0.round > 0 }
            guard let statistics = comparison.statistics(of: setting) else {
                lines.append(pad(String(setting), 7) + pad(String(counted.count), 6) + "  " + status(counted))
                continue
            }
            let finished = counted.filter { $0.outcome == .done }
            let overheads = finished.compactMap(\.overheadShare)
            let overhead = overheads.isEmpty ? "-" : String(format: "%.1f%%", TuningStatistics.median(overheads) * 100)
            let held = finished.map(\.peakHeldBytes).max() ?? 0
            lines.append(times(statistics) + pad(String(format: "%.1f", statistics.gflops), 10) + "  "
                         + bar(statistics.gflops, of: peak, width: 24)
                         + pad(String(finished.first?.tasks ?? 0), 9) + pad(overhead, 10) + pad(ByteCount.text(held), 12))
        }
        lines += disturbanceNotes(rows, kind: .blockSizes)
        lines += verdictLine(comparison, kind: .blockSizes).map { [$0] } ?? []
        lines.append(resultsAgree(rows) ? "results agree across block sizes" : "WARNING: results differ across block sizes")
        return lines.joined(separator: "\n")
    }

    /// The scaling table: per worker count the runs counted, median time, min–max, parallel
    /// efficiency and the speedup of the medians with a bar against the ideal (`·`).
    package static func scaleTable(_ rows: [TuningRow]) -> String {
        let comparison = comparison(rows)
        let most = rows.map(\.setting).max() ?? 1
        var lines = warmUpLine(rows, kind: .workers).map { [$0] } ?? []
        lines.append(pad("workers", 7) + pad("runs", 6) + pad("median", 9) + pad("min-max", 15) + pad("efficiency", 12)
                     + pad("speedup", 9) + "  (· ideal)")
        for setting in settings(rows) {
            guard let statistics = comparison.statistics(of: setting), let speedup = comparison.speedup(statistics),
                  let efficiency = comparison.efficiency(statistics) else {
                let counted = rows.filter { $0.setting == setting && $0.round > 0 }
                lines.append(pad(String(setting), 7) + pad(String(counted.count), 6) + "  " + status(counted))
                continue
            }
            var chart = Array(bar(speedup, of: Double(most), width: 30))
            let ideal = min(chart.count - 1, Int(Double(setting) / Double(most) * 30) - 1)
            if ideal >= 0 && ideal < chart.count && chart[ideal] == " " { chart[ideal] = "·" }
            lines.append(times(statistics) + pad(String(format: "%.1f%%", efficiency * 100), 12)
                         + pad(String(format: "%.2fx", speedup), 9) + "  " + String(chart))
        }
        lines += efficiencyNotes(comparison)
        lines += disturbanceNotes(rows, kind: .workers)
        lines += verdictLine(comparison, kind: .workers).map { [$0] } ?? []
        lines.append(resultsAgree(rows) ? "results agree across worker counts" : "WARNING: results differ across worker counts")
        return lines.joined(separator: "\n")
    }

    /// What a scaling efficiency above 100% means, under the table when one is.
    package static let superlinearNote =
        "efficiency above 100%: faster than linear (the blocks fit more cache, or the base run was slow), not an error"

    /// `superlinearNote` when a setting's efficiency shows above 100.0%, so that none is left unexplained.
    package static func efficiencyNotes(_ comparison: TuningComparison) -> [String] {
        let above = comparison.statistics.contains { comparison.efficiency($0).map { $0 * 100 >= 100.05 } ?? false }
        return above ? [superlinearNote] : []
    }

    /// The verdict as a sentence: "best block size: 1000 (…)", "block sizes 500 and 1000 tie
    /// (ranges overlap)", or the fastest of single runs; nil before any setting finished a run.
    package static func verdictLine(_ comparison: TuningComparison, kind: TuningKind) -> String? {
        guard let verdict = comparison.verdict else { return nil }
        let name = kind.settingName
        let median = { (setting: Int) in
            String(format: "%.2f s", comparison.statistics(of: setting)?.median ?? 0)
        }
        switch verdict {
        case .best(let setting):
            return "best \(name): \(setting) (median \(median(setting)); its slowest run beat every other \(name)'s fastest)"
        case .singleRuns(let setting):
            return "best \(name): \(setting) (\(median(setting))), from single runs: no spread to judge by"
        case .tie(let settings):
            return "\(name)s \(TuningKind.list(settings)) tie (ranges overlap)"
        }
    }

    /// The rows as one JSON object: `kind` ("sweep" or "scale"); `runs`, every run in the order
    /// made with its `round` (0 is the warm-up); `settings`, the median, min, max and spread of each
    /// setting's finished runs after the warm-up (GFLOP/s of the median for a sweep; speedup, its
    /// range and efficiency for a scale); `verdict` ("best", "tie" or "single_runs"), `best` (the
    /// setting named, null on a tie), `tied` (the settings that tie) and `results_agree`.
    package static func json(_ rows: [TuningRow], kind: TuningKind) -> JSON {
        let comparison = comparison(rows)
        let settingKey = kind == .blockSizes ? "block_size" : "workers"
        let runs: [JSON] = rows.map { row in
            var members: [(String, JSON)] = [
                (settingKey, .number(Double(row.setting))),
                ("round", .number(Double(row.round))),
                ("status", .string(row.outcome.rawValue)),
                ("result", row.value.map { .number($0) } ?? .null),
                ("wall_seconds", .number(row.wallSeconds)),
                ("cpu_percent", .number(row.cpuPercent)),
                ("gflops", .number(row.gflops)),
                ("tasks", .number(Double(row.tasks))),
                ("overhead_share", row.overheadShare.map { .number($0) } ?? .null),
                ("peak_held_bytes", .number(Double(row.peakHeldBytes))),
            ] + (row.competition?.json ?? [])
            if kind == .workers {
                members += [("speedup", comparison.speedup(row.measurement).map { .number($0) } ?? .null),
                            ("parallel_efficiency", comparison.efficiency(row.measurement).map { .number($0) } ?? .null)]
            }
            return .object(members)
        }
        let settings: [JSON] = comparison.statistics.map { statistics in
            var members: [(String, JSON)] = [
                (settingKey, .number(Double(statistics.setting))),
                ("runs", .number(Double(statistics.runs))),
                ("median_seconds", .number(statistics.median)),
                ("min_seconds", .number(statistics.minimum)),
                ("max_seconds", .number(statistics.maximum)),
                ("spread_seconds", .number(statistics.spread)),
            ]
            switch kind {
            case .blockSizes:
                members.append(("gflops", .number(statistics.gflops)))
            case .workers:
                let range = comparison.speedupRange(statistics)
                members += [("speedup", comparison.speedup(statistics).map { .number($0) } ?? .null),
                            ("speedup_min", range.map { .number($0.lowerBound) } ?? .null),
                            ("speedup_max", range.map { .number($0.upperBound) } ?? .null),
                            ("parallel_efficiency", comparison.efficiency(statistics).map { .number($0) } ?? .null)]
            }
            return .object(members)
        }
        let verdict: JSON = switch comparison.verdict {
        case .best: .string("best")
        case .tie: .string("tie")
        case .singleRuns: .string("single_runs")
        case nil: .null
        }
        let tied: [Int] = if case .tie(let settings) = comparison.verdict { settings } else { [] }
        return .object([
            ("kind", .string(kind.rawValue)),
            ("runs", .array(runs)),
            ("settings", .array(settings)),
            ("verdict", verdict),
            ("best", comparison.verdict?.named.map { .number(Double($0)) } ?? .null),
            ("tied", .array(tied.map { .number(Double($0)) })),
            ("results_agree", .bool(resultsAgree(rows))),
        ])
    }

    /// A line for each run that other processes disturbed, such as
    /// "block 500, round 2 disturbed: others used 0.6 of 2 CPUs", then one saying what that means; none when no run was.
    static func disturbanceNotes(_ rows: [TuningRow], kind: TuningKind) -> [String] {
        // Runs on a cluster have no reading of this machine's other processes.
        let disturbed = rows.compactMap { row in row.competition.flatMap { $0.disturbed ? (row, $0) : nil } }
        guard !disturbed.isEmpty else { return [] }
        return disturbed.map { row, competition in
            let setting = kind == .blockSizes ? "block \(row.setting)" : "\(row.setting) worker\(row.setting == 1 ? "" : "s")"
            let run = setting + (row.round == 0 ? " (warm-up)" : ", round \(row.round)")
            return "\(run) disturbed: " + Competition.text(othersCPUs: competition.othersCPUs, capacity: competition.capacity, ended: true)
        } + ["(other processes were busy on these CPUs: the times of disturbed runs are not comparable)"]
    }

    /// A bar of `value / maximum` of `width` cells.
    package static func bar(_ value: Double, of maximum: Double, width: Int) -> String {
        let cells = maximum > 0 ? Int((value / maximum * Double(width)).rounded()) : 0
        let filled = max(0, min(width, cells))
        return String(repeating: "█", count: filled) + String(repeating: " ", count: width - filled)
    }

    /// The settings in the order they first ran after the warm-up (the first round's order).
    private static func settings(_ rows: [TuningRow]) -> [Int] {
        var settings: [Int] = []
        for row in rows where row.round > 0 && !settings.contains(row.setting) { settings.append(row.setting) }
        return settings
    }

    /// The first columns of a setting's row: setting, runs counted, median and min–max (blank for one run).
    private static func times(_ statistics: TuningStatistics) -> String {
        let range = statistics.runs > 1 ? seconds(statistics.minimum, statistics.maximum) + "s" : ""
        return pad(String(statistics.setting), 7) + pad(String(statistics.runs), 6)
            + pad(seconds(statistics.median) + "s", 9) + pad(range, 15)
    }

    /// Seconds joined by "-", with three decimals when the largest is under one second, else two:
    /// "0.012", "0.625-0.980", "2.71-3.05".
    private static func seconds(_ values: Double...) -> String {
        let format = (values.max() ?? 0) < 1 ? "%.3f" : "%.2f"
        return values.map { String(format: format, $0) }.joined(separator: "-")
    }

    /// How the runs of a setting without a finished one ended: "failed", "cancelled".
    private static func status(_ counted: [TuningRow]) -> String {
        counted.last?.outcome.rawValue ?? "not run"
    }

    /// "warm-up (not counted): block size 500 in 3.40s"; nil without a warm-up row.
    private static func warmUpLine(_ rows: [TuningRow], kind: TuningKind) -> String? {
        guard let warmUp = rows.first(where: { $0.round == 0 }) else { return nil }
        let ended = warmUp.outcome == .done ? "in " + seconds(warmUp.wallSeconds) + "s" : warmUp.outcome.rawValue
        return "warm-up (not counted): \(kind.describe(warmUp.setting)) \(ended)"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
