import BlocktopSupport
import ClusterSources
import Dashboard
import Foundation
import Reporting

/// `sweep --cluster` and `scale --cluster`: a tuning series whose runs are launched on a Dask
/// cluster one after another (for `scale`, each on a `local:N` cluster of its worker count),
/// then tabled as a local series is.
struct ClusterTuning {
    let computation: Computation
    let plan: TuningPlan
    let runner: ClusterRunner
    let report: ReportOptions
    let look: DashboardLookOptions

    /// Makes the runs, headless or in the dashboard, and prints the table; returns the exit status.
    func run() throws -> ExitStatus {
        report.wantsDashboard ? try runInDashboard() : try runHeadless()
    }

    /// Each run without a screen, saying on stderr which one starts; SIGINT or SIGTERM cancel the
    /// run going and end the series, whose table is still printed.
    private func runHeadless() throws -> ExitStatus {
        var rows: [TuningRow] = []
        for step in plan.steps {
            let setting = plan.setting(of: step.settings)
            let phase = step.round == 0 ? "warm-up (not counted)" : "round \(step.round)/\(plan.repeats)"
            warn("\(phase): \(plan.kind.describe(setting)) on \(runner.target(step.settings))")
            runner.announce(step.settings)
            let run: ClusterLauncher.StartedRun
            do {
                run = try runner.start(computation, step.settings)
            } catch let problem as LaunchProblem {
                throw problem.exit
            }
            defer { run.launch.close() }
            let signalNumber = runner.watchHeadless(run.source)
            runner.settle(run.source)
            rows.append(row(run, round: step.round))
            if signalNumber != 0 {
                _ = RunOutput(options: report).finish(series: rows, kind: plan.kind, planned: plan.steps.count)
                return .signal(signalNumber)
            }
        }
        return RunOutput(options: report).finish(series: rows, kind: plan.kind, planned: plan.steps.count)
    }

    /// The runs one after another in the dashboard; after q, the table of the runs that ended.
    private func runInDashboard() throws -> ExitStatus {
        runner.announce(plan.steps[0].settings)
        let first: ClusterLauncher.StartedRun
        do {
            first = try runner.start(computation, plan.steps[0].settings)
        } catch let problem as LaunchProblem {
            throw problem.exit
        }
        let launcher = ClusterLauncher(first: first, start: runner.start)
        defer { launcher.runs.forEach { $0.launch.close() } }
        let (app, outcome) = try openDashboard(launcher, settings: plan.steps[0].settings, look: look) { $0.plan = plan }
        if let last = launcher.runs.last { runner.settle(last.source) }
        if case .signal = outcome { return outcome.exitStatus }
        let ended = launcher.runs.prefix(app.tuning?.results.count ?? 0)
        let rows = zip(ended, plan.steps).map { run, step in row(run, round: step.round) }
        return RunOutput(options: report).finish(series: rows, kind: plan.kind, planned: plan.steps.count)
    }

    private func row(_ run: ClusterLauncher.StartedRun, round: Int) -> TuningRow {
        TuningRow(setting: plan.setting(of: run.settings), round: round, cluster: runner.figures(of: run),
                  flops: run.program.result.graph().totalFlops)
    }
}
