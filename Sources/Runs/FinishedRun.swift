import BlocktopSupport
import DashboardModel
import Expressions
import Reporting

/// A run that ended and was closed: its report, its trace and what a series tables of it.
package struct FinishedRun {
    /// How a run was measured: by this process's recorder, or from a cluster's readings.
    package enum Measured {
        case local(summary: RunSummary, recorder: RunRecorder)
        /// `program` is blocktop's own of the run, for the flop estimate a series row counts.
        case cluster(ClusterRunReport.Figures, program: Program)
    }

    package let settings: RunSettings
    package let measured: Measured
    /// The report, for people and for scripts.
    package let reportText: String
    package let reportJSON: JSON
    /// The run's exit status: its outcome's, 64 when a task found an array file bad, 74 when
    /// its output could not be put in place.
    package let status: ExitStatus
    /// Said on stderr with the report: why a file was bad or the output unwritten.
    package let problems: [String]

    package init(settings: RunSettings, measured: Measured, reportText: String, reportJSON: JSON, status: ExitStatus,
                problems: [String] = []) {
        self.settings = settings
        self.measured = measured
        self.reportText = reportText
        self.reportJSON = reportJSON
        self.status = status
        self.problems = problems
    }

    package var outcome: RunOutcome {
        switch measured {
        case .local(let summary, _): summary.outcome
        case .cluster(let figures, _): figures.outcome
        }
    }

    /// The row a tuning series tables for it.
    package func row(setting: Int, round: Int) -> TuningRow {
        switch measured {
        case .local(let summary, let recorder): TuningRow(setting: setting, round: round, recorder: recorder, summary: summary)
        case .cluster(let figures, let program):
            TuningRow(setting: setting, round: round, cluster: figures, flops: program.result.graph().totalFlops)
        }
    }

    /// Its tasks as one process of a Chrome trace called `name`.
    package func trace(named name: String) -> RunTrace {
        switch measured {
        case .local(_, let recorder): .local(ChromeTrace.Run(name: name, recorder: recorder))
        case .cluster(let figures, _): .cluster(ChromeTrace.ClusterRun(name: name, laneNames: figures.laneNames, spans: figures.spans))
        }
    }

    /// The trace's name for a single run: where it ran and how it ended.
    package var traceName: String {
        switch measured {
        case .local: "blocktop (\(outcome.rawValue))"
        case .cluster(let figures, _): "blocktop on \(figures.scheduler) (\(outcome.rawValue))"
        }
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
