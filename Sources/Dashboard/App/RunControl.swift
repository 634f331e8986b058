import DashboardModel
import RunVocabulary
import Tuning

/// The dashboard's runs: the current one (its source and model), the settings of the next, a
/// plan's series of runs, and the recent runs; starts, reruns, pauses and cancels them through
/// the launcher and the source.
///
/// What it shows (the recent runs, the plan's chart, the next run's workers) it keeps in the
/// view it is given.
package final class RunControl {
    /// How many finished or cancelled runs the runs panel keeps.
    package static let recentRunLimit = 6

    private let launcher: any RunLauncher
    package private(set) var settings: RunSettings
    package private(set) var source: any DashboardSource
    package private(set) var model: DashboardModel
    /// The index in the plan of the current run; nil without a plan, or once a key started another run.
    package private(set) var planStep: Int?
    /// Whether the current run is already in `view.recentRuns`.
    private var recorded = false

    /// Starts the first run (the plan's first when there is a plan, whose chart goes in `view`);
    /// throws when it cannot be built.
    package init(launcher: any RunLauncher, settings: RunSettings, plan: TuningPlan?, view: inout ViewState) throws {
        self.launcher = launcher
        let first = plan?.steps.first?.settings ?? settings
        self.settings = first
        source = try launcher.launch(first)
        model = DashboardModel(run: source.run, capabilities: source.capabilities)
        if let plan, !plan.steps.isEmpty {
            planStep = 0
            view.tuning = TuningChart(plan: plan)
        }
    }

    /// Applies the source's news; a run that just ended clears the footer's message and joins the
    /// recent runs and, with a plan, its results, and the plan's next run starts.
    package func refresh(view: inout ViewState) {
        let wasFinal = model.state.isFinal
        model.apply(source.poll())
        guard model.state.isFinal else { return }
        // A message about starting the run ("running …", "started again …") no longer holds.
        if !wasFinal { view.message = nil }
        record(into: &view)
        guard let step = planStep, var chart = view.tuning else { return }
        chart.results.append(TuningMeasurement(setting: chart.plan.setting(of: settings), round: chart.plan.steps[step].round,
                                               seconds: model.elapsedSeconds, flops: model.flopsDone,
                                               outcome: model.state.outcomeWhenStopped))
        view.tuning = chart
        guard step + 1 < chart.plan.steps.count else {
            planStep = nil
            return
        }
        do {
            try start(chart.plan.steps[step + 1].settings, view: &view)
            planStep = step + 1
        } catch {
            abandonPlan(view: &view)
            view.message = "cannot start the next run: " + DashboardSession.firstLine(of: error)
        }
    }

    /// Pauses a running run, resumes a paused one.
    package func togglePause() {
        if model.state == .running { source.pause() } else if model.state == .paused { source.resume() }
    }

    package func cancel() {
        source.cancel()
    }

    /// Cancels the run unless it ended: the dashboard closes.
    package func stop() {
        if !model.state.isFinal { source.cancel() }
    }

    /// Runs the computation again (`.rerun`), or with half or twice the block size
    /// (`.halveBlocks`, `.doubleBlocks`); says what started, or why nothing did.
    package func rerun(_ command: KeyCommand, view: inout ViewState) -> String {
        var next = settings
        if command != .rerun {
            guard let size = settings.blockSize ?? model.run.blockShape.first else { return "a 0-d array has no block size to change" }
            next.blockSize = command == .halveBlocks ? max(1, size / 2) : size * 2
        }
        do {
            try start(next, view: &view)
            abandonPlan(view: &view)
            let note = model.run.blockNote.map { ", " + $0 } ?? ""
            return next.blockSize.map { "started again with blocks of \($0)" + note } ?? "started again"
        } catch {
            return "cannot rerun: " + DashboardSession.firstLine(of: error)
        }
    }

    /// One worker more (`by` 1) or fewer (-1) for the next run, between 1 and 1024; says how many.
    package func changeWorkers(by change: Int, view: inout ViewState) -> String {
        settings.workers = max(1, min(1024, settings.workers + change))
        view.nextWorkers = settings.workers == model.run.workerCount ? nil : settings.workers
        return "next run: \(settings.workers) worker" + (settings.workers == 1 ? "" : "s") + " (r reruns)"
    }

    /// Runs `expression` in place of the current run, which ends the plan; throws, with the
    /// current run untouched, when it does not build.
    package func run(_ expression: String, view: inout ViewState) throws {
        var next = settings
        next.expression = expression
        try start(next, view: &view)
        abandonPlan(view: &view)
    }

    /// Builds the run `next` describes and, only when that works, replaces the current run with it.
    private func start(_ next: RunSettings, view: inout ViewState) throws {
        let prepared = try launcher.prepare(next)
        if !model.state.isFinal { source.cancel() }
        record(into: &view)
        source = prepared.start()
        settings = next
        model = DashboardModel(run: source.run, capabilities: source.capabilities)
        recorded = false
        view.nextWorkers = nil
        view.pinnedStage = nil
        view.cursor = nil
    }

    /// A run started by a key (or a run that cannot start) ends the plan: the runs it had left are not made.
    private func abandonPlan(view: inout ViewState) {
        guard planStep != nil, var chart = view.tuning else { return }
        planStep = nil
        chart.stopped = true
        view.tuning = chart
    }

    /// Adds the current run to the recent runs, once.
    private func record(into view: inout ViewState) {
        guard !recorded, model.startTime != nil else { return }
        recorded = true
        view.recentRuns.insert(RecentRun(model), at: 0)
        if view.recentRuns.count > Self.recentRunLimit { view.recentRuns.removeLast() }
    }
}
