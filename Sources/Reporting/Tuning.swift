import BlockArray
import BlocktopSupport
import Engine
import Foundation

/// One run of a sweep (block sizes) or a scaling series (worker counts).
public struct TuningRow {
    /// Block size, or worker count, that this row varies.
    public let setting: Int
    public let summary: RunSummary
    /// Everything the run did, for its trace.
    public let recorder: RunRecorder
    /// Share of worker time outside tasks (scheduling, waiting, idling).
    public let overheadShare: Double
    /// The computed value (first output element of a finished run).
    public let value: Double?

    /// The row for `setting` of a run that `recorder` recorded and `summary` closed.
    public init(setting: Int, recorder: RunRecorder, summary: RunSummary) {
        self.setting = setting
        self.summary = summary
        self.recorder = recorder
        self.overheadShare = recorder.overheadShare(wallSeconds: summary.wallSeconds)
        self.value = try? summary.result.get().outputs.first?.storage.first
    }

    /// The row as a tuning series compares it.
    package var measurement: TuningMeasurement {
        TuningMeasurement(setting: setting, seconds: summary.wallSeconds, flops: summary.flops, outcome: summary.outcome)
    }

    /// Runs `graph` on `engine` headless and measures it as the row for `setting`.
    public static func measure(setting: Int, graph: TaskGraph, on engine: Engine, progress: Bool = false) -> TuningRow {
        let (recorder, summary) = HeadlessRun.run(graph, on: engine, progress: progress)
        return TuningRow(setting: setting, recorder: recorder, summary: summary)
    }
}

/// Tables and bar charts for `blocktop sweep` and `blocktop scale`.
public enum TuningReport {
    /// Whether every finished row computed the same value, to `tolerance` relative.
    public static func resultsAgree(_ rows: [TuningRow], tolerance: Double = 1e-9) -> Bool {
        let values = rows.compactMap(\.value)
        guard let first = values.first else { return true }
        return values.allSatisfy { abs($0 - first) <= tolerance * max(1, abs(first), abs($0)) || ($0.isNaN && first.isNaN) }
    }

    /// The fastest finished row.
    public static func best(_ rows: [TuningRow]) -> TuningRow? {
        TuningComparison(rows.map(\.measurement)).best.flatMap { best in rows.first { $0.measurement == best } }
    }

    /// The sweep table: time, GFLOP/s, tasks, overhead share and peak memory per block size, with a bar of GFLOP/s.
    public static func sweepTable(_ rows: [TuningRow]) -> String {
        let peak = rows.map(\.summary.gflops).max() ?? 0
        var lines = ["  block     time   GFLOP/s    tasks  overhead   peak held  GFLOP/s"]
        for row in rows {
            let s = row.summary
            lines.append(String(format: "%7d %7.2fs %9.1f %8d %8.1f%% ", row.setting, s.wallSeconds, s.gflops, s.graph.count,
                                row.overheadShare * 100)
                         + pad(ByteCount.text(s.result.statistics.peakBytesHeld), 11) + "  " + bar(s.gflops, of: peak, width: 24))
        }
        lines += disturbanceNotes(rows, kind: .blockSizes)
        if let best = best(rows) {
            lines.append("best block size: \(best.setting) (\(String(format: "%.2f", best.summary.wallSeconds)) s)")
        }
        lines.append(resultsAgree(rows) ? "results agree across block sizes" : "WARNING: results differ across block sizes")
        return lines.joined(separator: "\n")
    }

    /// The scaling table: time, speedup and parallel efficiency per worker count, against the ideal.
    public static func scaleTable(_ rows: [TuningRow]) -> String {
        let comparison = TuningComparison(rows.map(\.measurement))
        let most = rows.map(\.setting).max() ?? 1
        var lines = ["workers     time  speedup  efficiency  speedup (· ideal)"]
        for row in rows {
            guard let speedup = comparison.speedup(row.measurement), let efficiency = comparison.efficiency(row.measurement) else {
                lines.append(String(format: "%7d %7.2fs  ", row.setting, row.summary.wallSeconds) + row.summary.outcome.rawValue)
                continue
            }
            var chart = Array(bar(speedup, of: Double(most), width: 30))
            let ideal = min(chart.count - 1, Int(Double(row.setting) / Double(most) * 30) - 1)
            if ideal >= 0 && ideal < chart.count && chart[ideal] == " " { chart[ideal] = "·" }
            lines.append(String(format: "%7d %7.2fs %7.2fx %10.1f%%  ", row.setting, row.summary.wallSeconds, speedup, efficiency * 100)
                         + String(chart))
        }
        lines += disturbanceNotes(rows, kind: .workers)
        lines.append(resultsAgree(rows) ? "results agree across worker counts" : "WARNING: results differ across worker counts")
        return lines.joined(separator: "\n")
    }

    /// The rows as one JSON object: `kind` ("sweep" or "scale"), one entry per run,
    /// `best` (the fastest finished setting) and `results_agree`.
    package static func json(_ rows: [TuningRow], kind: TuningKind) -> JSON {
        let comparison = TuningComparison(rows.map(\.measurement))
        let entries: [JSON] = rows.map { row in
            let s = row.summary
            var members: [(String, JSON)] = [
                (kind == .blockSizes ? "block_size" : "workers", .number(Double(row.setting))),
                ("status", .string(s.outcome.rawValue)),
                ("result", row.value.map { .number($0) } ?? .null),
                ("wall_seconds", .number(s.wallSeconds)),
                ("cpu_percent", .number(s.cpuPercent)),
                ("gflops", .number(s.gflops)),
                ("tasks", .number(Double(s.graph.count))),
                ("overhead_share", .number(row.overheadShare)),
                ("peak_held_bytes", .number(Double(s.result.statistics.peakBytesHeld))),
            ] + s.competitionJSON
            if kind == .workers {
                members += [("speedup", comparison.speedup(row.measurement).map { .number($0) } ?? .null),
                            ("parallel_efficiency", comparison.efficiency(row.measurement).map { .number($0) } ?? .null)]
            }
            return .object(members)
        }
        return .object([
            ("kind", .string(kind.rawValue)),
            ("runs", .array(entries)),
            ("best", best(rows).map { .number(Double($0.setting)) } ?? .null),
            ("results_agree", .bool(resultsAgree(rows))),
        ])
    }

    /// A bar of `value / maximum` of `width` cells.
    package static func bar(_ value: Double, of maximum: Double, width: Int) -> String {
        let cells = maximum > 0 ? Int((value / maximum * Double(width)).rounded()) : 0
        let filled = max(0, min(width, cells))
        return String(repeating: "█", count: filled) + String(repeating: " ", count: width - filled)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }
}
