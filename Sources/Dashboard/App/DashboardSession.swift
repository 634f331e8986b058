import BlocktopSupport

/// The dashboard's state between refreshes and what keys do to it: the current run (its source
/// and model), the settings of the next, the view, the `:` prompt and the recent runs.
///
/// Free of the terminal, so tests drive it with keys and a fake launcher and render its frames.
package final class DashboardSession {
    /// What a key did.
    package enum KeyResult: Equatable {
        /// Carry on; show `message` in the footer for a while when there is one.
        case handled(message: String?)
        /// The user asked to quit.
        case quit
    }

    /// How many finished or cancelled runs the runs panel keeps.
    package static let recentRunLimit = 6

    private let launcher: any RunLauncher
    private let catalog: ThemeCatalog
    private let themeNames: [String]
    package private(set) var settings: RunSettings
    package private(set) var source: any DashboardSource
    package private(set) var model: DashboardModel
    package var view: ViewState
    /// Whether the current run is already in `view.recentRuns`.
    private var recorded = false
    /// The index in the plan of the current run; nil without a plan, or once a key started another run.
    package private(set) var planStep: Int?

    /// Starts the first run (the plan's first when there is a plan); throws when it cannot be built.
    package init(launcher: any RunLauncher, settings: RunSettings, view: ViewState, catalog: ThemeCatalog,
                 plan: TuningPlan? = nil) throws {
        self.launcher = launcher
        self.view = view
        self.catalog = catalog
        themeNames = catalog.names
        let first = plan?.steps.first?.settings ?? settings
        self.settings = first
        source = try launcher.launch(first)
        model = DashboardModel(run: source.run)
        if let plan, !plan.steps.isEmpty {
            planStep = 0
            self.view.tuning = TuningChart(plan: plan)
        }
    }

    /// Whether a plan was given and all its runs have ended.
    package var planFinished: Bool { view.tuning?.isComplete ?? false }

    /// Applies the source's news; a run that just ended clears the footer's message and joins the
    /// recent runs and, with a plan, its results, and the plan's next run starts.
    package func refresh() {
        let wasFinal = model.state.isFinal
        model.apply(source.poll())
        guard model.state.isFinal else { return }
        // A message about starting the run ("running …", "started again …") no longer holds.
        if !wasFinal { view.message = nil }
        record()
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
            try start(chart.plan.steps[step + 1].settings)
            planStep = step + 1
        } catch {
            abandonPlan()
            view.message = "cannot start the next run: " + Self.firstLine(of: error)
        }
    }

    /// What `key` does: a command, or, while the prompt is open, editing it.
    package func handle(_ key: Unicode.Scalar) -> KeyResult {
        if view.prompt != nil { return .handled(message: edit(key)) }
        if view.showHelp, key != "q" {
            view.showHelp = false
            return .handled(message: nil)
        }
        guard let command = KeyCommand(key: key) else { return .handled(message: nil) }
        switch command {
        case .quit:
            if !model.state.isFinal { source.cancel() }
            return .quit
        case .togglePause:
            if model.state == .running { source.pause() } else if model.state == .paused { source.resume() }
        case .cancel:
            source.cancel()
        case .rerun, .halveBlocks, .doubleBlocks:
            var next = settings
            if command != .rerun {
                guard let size = settings.blockSize ?? model.run.blockShape.first else {
                    return .handled(message: "a 0-d array has no block size to change")
                }
                next.blockSize = command == .halveBlocks ? max(1, size / 2) : size * 2
            }
            do {
                try start(next)
                abandonPlan()
                let note = model.run.blockNote.map { ", " + $0 } ?? ""
                return .handled(message: next.blockSize.map { "started again with blocks of \($0)" + note } ?? "started again")
            } catch {
                return .handled(message: "cannot rerun: " + Self.firstLine(of: error))
            }
        case .moreWorkers, .fewerWorkers:
            settings.workers = max(1, min(1024, settings.workers + (command == .moreWorkers ? 1 : -1)))
            view.nextWorkers = settings.workers == model.run.workerCount ? nil : settings.workers
            return .handled(message: "next run: \(settings.workers) worker" + (settings.workers == 1 ? "" : "s") + " (r reruns)")
        case .nextTheme:
            return .handled(message: switchTheme())
        case .nextStage:
            return .handled(message: nextStage())
        case .help:
            view.showHelp = true
        case .prompt:
            view.prompt = ""
        }
        return .handled(message: nil)
    }

    /// Edits the open prompt: printable characters append, Backspace deletes, Escape closes, Enter runs.
    private func edit(_ key: Unicode.Scalar) -> String? {
        switch key.value {
        case 0x1B:
            view.prompt = nil
        case 0x0D, 0x0A:
            let text = (view.prompt ?? "").trimmingSpaces
            view.prompt = nil
            guard !text.isEmpty else { return nil }
            var next = settings
            next.expression = text
            do {
                try start(next)
                abandonPlan()
                return "running \(text)"
            } catch {
                return Self.firstLine(of: error)
            }
        case 0x08, 0x7F:
            if var text = view.prompt, !text.isEmpty {
                text.unicodeScalars.removeLast()
                view.prompt = text
            }
        case 0x20..<0x7F, 0xA0...:
            view.prompt?.unicodeScalars.append(key)
        default:
            break
        }
        return nil
    }

    /// Pins the grid to the next stage, or after the last lets it follow the work again; says which.
    private func nextStage() -> String {
        let stages = model.run.stages
        guard stages.count > 1 else { return "the grid has one stage" }
        let next = (view.pinnedStage ?? -1) + 1
        view.pinnedStage = next < stages.count ? next : nil
        guard let pinned = view.pinnedStage else { return "grid: follows the stage where work is happening (Tab: next stage)" }
        return "grid: stage \(pinned + 1)/\(stages.count), \(stages[pinned].stage) (Tab: next stage)"
    }

    /// Builds the run `next` describes and, only when that works, replaces the current run with it.
    private func start(_ next: RunSettings) throws {
        let prepared = try launcher.prepare(next)
        if !model.state.isFinal { source.cancel() }
        record()
        source = prepared.start()
        settings = next
        model = DashboardModel(run: source.run)
        recorded = false
        view.nextWorkers = nil
        view.pinnedStage = nil
    }

    /// A run started by a key (or a run that cannot start) ends the plan: the runs it had left are not made.
    private func abandonPlan() {
        guard planStep != nil, var chart = view.tuning else { return }
        planStep = nil
        chart.stopped = true
        view.tuning = chart
    }

    /// Adds the current run to the recent runs, once.
    private func record() {
        guard !recorded, model.startTime != nil else { return }
        recorded = true
        view.recentRuns.insert(RecentRun(model), at: 0)
        if view.recentRuns.count > Self.recentRunLimit { view.recentRuns.removeLast() }
    }

    /// Loads the theme after the current one; returns a warning when its file is broken.
    private func switchTheme() -> String? {
        guard !themeNames.isEmpty else { return nil }
        let index = ((themeNames.firstIndex(of: view.theme.name) ?? -1) + 1) % themeNames.count
        do {
            let (theme, warning) = try catalog.load(themeNames[index])
            view.theme = warning == nil ? theme : Theme.standard
            return warning.map { "theme \(themeNames[index]): \($0)" } ?? "theme: \(themeNames[index])"
        } catch {
            return "\(error)"
        }
    }

    /// The first line of `error`'s description: an expression error's message, without the
    /// expression and caret lines that follow (the frame shows control characters as `?`).
    package static func firstLine(of error: any Error) -> String {
        "\(error)".split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
