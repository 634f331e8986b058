import DashboardModel
import Tuning

/// The runs of a sweep or a scaling series on one backend, in the order of their plan (a
/// warm-up, then the rounds), made headless or in the dashboard, then tabled.
package struct TuningSeries {
    package let backend: any RunBackend
    package let computation: Computation
    package let plan: TuningPlan

    package init(backend: any RunBackend, computation: Computation, plan: TuningPlan) {
        self.backend = backend
        self.computation = computation
        self.plan = plan
    }

    /// What a series made: a row and a trace per run that ended, and the signal that cut it short (0 for none).
    package struct Made {
        package var rows: [TuningRow] = []
        package var traces: [RunTrace] = []
        package var signal: Int32 = 0
    }

    /// Makes each run without a screen, saying through `say` which one starts; `interruption()`
    /// (a signal's number, 0 for none) cancels the run going and ends the series. Throws a
    /// `RunProblem` or `ExpressionProblem` when a run cannot start.
    package func runHeadless(progress: Bool, say: (String) -> Void, interruption: () -> Int32) throws -> Made {
        var made = Made()
        for step in plan.steps {
            let setting = plan.setting(of: step.settings)
            let phase = step.round == 0 ? "warm-up (not counted)" : "round \(step.round)/\(plan.repeats)"
            let place = backend.place(of: step.settings)
            backend.announcement(for: step.settings).map(say)
            let session = try backend.start(computation, step.settings)
            say("\(phase): \(plan.kind.describe(setting))" + (place.isEmpty ? "" : " on \(place)") + ", \(session.headlessProgress.total) tasks")
            HeadlessWatch.watch(session, progress: progress) { interruption() != 0 }
            append(session.finish(keepOutput: false), round: step.round, to: &made)
            made.signal = interruption()
            if made.signal != 0 { break }
        }
        return made
    }

    /// The rows of the runs `launcher` made for the dashboard, of which the first `ended` ran to their end.
    package func rows(of launcher: SessionLauncher, ended: Int) -> Made {
        var made = Made()
        for (session, step) in zip(launcher.runs.prefix(ended), plan.steps) {
            append(session.finish(keepOutput: false), round: step.round, to: &made)
        }
        launcher.runs.dropFirst(ended).forEach { $0.discard() }
        return made
    }

    private func append(_ run: FinishedRun, round: Int, to made: inout Made) {
        let setting = plan.setting(of: run.settings)
        let roundName = round == 0 ? "warm-up" : "round \(round)"
        made.rows.append(run.row(setting: setting, round: round))
        made.traces.append(run.trace(named: "blocktop \(plan.kind.describe(setting)), \(roundName) (\(run.outcome.rawValue))"))
    }
}
