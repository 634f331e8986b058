import ArgumentParser
import BlocktopSupport
import Foundation
import Runs

/// Makes `series`' runs, headless or in the dashboard, and prints their table; returns the exit
/// status (128 + n when signal n cut the series short; its table is still printed headless).
func runSeries(_ series: TuningSeries, look: DashboardLookOptions, report: ReportOptions) throws -> ExitStatus {
    let plan = series.plan
    let output = RunOutput(json: report.json, trace: report.trace)
    guard report.wantsDashboard else {
        catchInterruptions()
        let made = try series.runHeadless(progress: isatty(STDERR_FILENO) == 1, say: warn) { interruption.load(ordering: .relaxed) }
        return output.finish(made, of: plan)
    }
    let launcher = SessionLauncher(backend: series.backend, computation: series.computation)
    try startFirst(launcher, plan.steps[0].settings)
    let (app, outcome) = try showDashboard(launcher, settings: plan.steps[0].settings, look: look, plan: plan)
    if case .signal = outcome {
        launcher.runs.forEach { $0.discard() }
        return outcome.exitStatus
    }
    return output.finish(series.rows(of: launcher, ended: app.tuning?.results.count ?? 0), of: plan)
}

/// Throws when a series on a cluster asks for `--trace`: a series' trace records blocktop's own tasks.
func checkNoTrace(_ report: ReportOptions) throws {
    if report.trace != nil { throw ValidationError("--trace of a series records blocktop's own tasks: not with --cluster (run --cluster writes one)") }
}

/// Distinct positive whole numbers from "a,b,c", or a validation error naming the option and the bad item.
func parseList(_ text: String, option: String) throws -> [Int] {
    let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    var values: [Int] = []
    for item in items {
        guard let value = Int(item), value > 0 else {
            throw ValidationError("\(option): '\(item)' is not a positive whole number (in '\(text)')")
        }
        guard !values.contains(value) else { throw ValidationError("\(option): \(value) is given twice (in '\(text)')") }
        values.append(value)
    }
    return values
}
