import BlocktopSupport
import Expressions
import Reporting
import RunVocabulary
import Tuning

/// A run that ended and was closed: its report, its trace and what a series tables of it.
package struct FinishedRun {
    /// What a run leaves besides its report, for its trace and its tuning row.
    package enum Recorded {
        /// A run here: its summary and every event and CPU reading, for the trace and the overhead share.
        case local(summary: RunSummary, recorder: RunRecorder)
        /// A run on a cluster: a lane per worker thread and a span per task that ended; `program` is
        /// blocktop's own of the run, for the flop estimate a series row counts.
        case cluster(laneNames: [String], spans: [ChromeTrace.Span], program: Program)
    }

    package let settings: RunSettings
    /// The report, for people and for scripts.
    package let report: RunReport
    package let recorded: Recorded
    /// The run's exit status: its outcome's, 64 when a task found an array file bad, 74 when
    /// its output could not be put in place.
    package let status: ExitStatus
    /// Said on stderr with the report: why a file was bad or the output unwritten.
    package let problems: [String]

    package init(settings: RunSettings, report: RunReport, recorded: Recorded, status: ExitStatus, problems: [String] = []) {
        self.settings = settings
        self.report = report
        self.recorded = recorded
        self.status = status
        self.problems = problems
    }

    package var outcome: RunOutcome { report.outcome }

    /// The row a tuning series tables for it.
    package func row(setting: Int, round: Int) -> TuningRow {
        var row = TuningRow(setting: setting, round: round, outcome: outcome, wallSeconds: report.wallSeconds, cpuPercent: report.cpuPercent,
                            flops: 0, tasks: report.tasks, peakHeldBytes: report.local?.peakHeldBytes ?? report.cluster?.peakMemoryBytes ?? 0,
                            value: report.result?.first?.storage.first, competition: report.local?.competition)
        switch recorded {
        case .local(let summary, let recorder):
            row.flops = summary.flops
            row.overheadShare = recorder.overheadShare(wallSeconds: summary.wallSeconds)
        case .cluster(_, _, let program):
            // The estimate counts only for a run that computed everything.
            row.flops = outcome == .done ? program.result.graph().totalFlops : 0
        }
        return row
    }

    /// Its tasks as one process of a Chrome trace called `name`.
    package func trace(named name: String) -> RunTrace {
        switch recorded {
        case .local(_, let recorder): .local(ChromeTrace.Run(name: name, recorder: recorder))
        case .cluster(let laneNames, let spans, _): .cluster(ChromeTrace.ClusterRun(name: name, laneNames: laneNames, spans: spans))
        }
    }

    /// The trace's name for a single run: where it ran and how it ended.
    package var traceName: String {
        "blocktop" + (report.cluster.map { " on \($0.scheduler)" } ?? "") + " (\(outcome.rawValue))"
    }
}

/// One run in a Chrome trace.
package enum RunTrace {
    case local(ChromeTrace.Run)
    case cluster(ChromeTrace.ClusterRun)

    /// The trace of `runs`, each a process: runs here with their CPU readings, or a cluster's.
    package static func json(of runs: [RunTrace]) -> String {
        let cluster = runs.compactMap { if case .cluster(let run) = $0 { run } else { nil } }
        guard cluster.isEmpty else { return ChromeTrace.json(of: cluster) }
        return ChromeTrace.json(of: runs.compactMap { if case .local(let run) = $0 { run } else { nil } })
    }
}
