import BlocktopSupport
import DashboardModel
import RunVocabulary
import Tuning

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
    /// The expressions run from the prompt, this session's and, with a file, earlier sessions'.
    package private(set) var history: PromptHistory
    /// Where the history is kept across sessions; nil to keep it in memory only.
    private let historyFile: PromptHistoryFile?
    /// The file could not be read or written: said once, and not touched again.
    private var historyFileFailed = false
    /// The history entry the prompt shows while Up and Down go through it; nil for new text.
    private var historyPosition: Int?
    /// The text being typed before Up recalled an entry, for Down to bring back.
    private var draft: PromptLine?
    /// The size of the screen last drawn (`frame`), which clicks land on; nil before the first.
    private var screenSize: (width: Int, height: Int)?

    /// Starts the first run (the plan's first when there is a plan); throws when it cannot be built.
    /// Reads the prompt's history from `historyFile`; one that cannot be read (or holds bad lines)
    /// is said in `view.message`, and the dashboard goes on without it.
    package init(launcher: any RunLauncher, settings: RunSettings, view: ViewState, catalog: ThemeCatalog,
                 plan: TuningPlan? = nil, historyFile: PromptHistoryFile? = nil) throws {
        self.launcher = launcher
        self.view = view
        self.catalog = catalog
        themeNames = catalog.names
        self.historyFile = historyFile
        history = PromptHistory(limit: historyFile?.limit ?? PromptHistory.defaultLimit)
        if let historyFile {
            do {
                let (read, skipped) = try historyFile.read()
                history = read
                if skipped > 0 {
                    self.view.message = "history: left out \(skipped) bad line\(skipped == 1 ? "" : "s") of '\(historyFile.path)'"
                }
            } catch {
                historyFileFailed = true
                self.view.message = "history not kept: \(error)"
            }
        }
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

    /// The dashboard as it is now on a `width`×`height` screen; clicks are read against the
    /// last frame made.
    package func frame(width: Int, height: Int) -> Frame {
        screenSize = (width, height)
        return DashboardView(model: model, state: view).render(width: width, height: height)
    }

    /// What `key` does: a command, or, while the prompt is open, editing it. With the prompt
    /// closed, a key that is no command says so in the footer, except the keys kept for moving
    /// about the screen (arrows, Home, End, Tab), Enter and Escape, which do nothing.
    package func handle(_ key: Key) -> KeyResult {
        if view.prompt != nil { return .handled(message: edit(key)) }
        let command = KeyCommand(key)
        if view.showHelp, command != .quit {
            view.showHelp = false
            return .handled(message: nil)
        }
        guard let command else {
            if key.isNavigation || key == .enter || key == .escape || key == .resize { return .handled(message: nil) }
            return .handled(message: "unknown key \(key.name) \(view.glyphs.separator) h or F1 for help")
        }
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
            view.cursor = nil
            return .handled(message: nextStage())
        case .moveCursor(let rows, let columns):
            moveCursor(rows: rows, columns: columns)
        case .selectBlock(let column, let row):
            selectBlock(column: column, row: row)
        case .closeDetail:
            view.cursor = nil
        case .help:
            view.showHelp = true
        case .prompt:
            view.prompt = PromptLine()
            view.promptError = nil
            historyPosition = nil
        }
        return .handled(message: nil)
    }

    /// `handle` for a character or byte typed (Enter for CR, Backspace for DEL, Ctrl-A for 0x01…).
    package func handle(_ scalar: Unicode.Scalar) -> KeyResult {
        guard let key = Key(scalar) else { return .handled(message: nil) }
        return handle(key)
    }

    /// Edits the open prompt (`PromptLine.apply`): Up and Down go through the history, Escape
    /// (or F10) closes it, Enter runs the expression. One that does not build keeps the prompt
    /// open with its text, and its error and where it is go in `view.promptError`.
    private func edit(_ key: Key) -> String? {
        guard var line = view.prompt else { return nil }
        switch key {
        case .escape, .function(10):
            closePrompt()
        case .enter:
            return enter(line)
        case .up:
            recall(older: true)
        case .down:
            recall(older: false)
        default:
            let before = line.scalars
            guard line.apply(key) else { return nil }
            // The caret no longer points at the text once it changed.
            if line.scalars != before { view.promptError = nil }
            view.prompt = line
        }
        return nil
    }

    /// Moves the cursor over the shown stage's blocks, seen as rows of its last axis; the first
    /// move puts it on the first block. The stage stays pinned while the cursor is open.
    private func moveCursor(rows: Int, columns: Int) {
        let shown = model.shownStage(pinned: view.pinnedStage)
        let extent = model.run.stages[shown].extent
        let width = extent.last ?? 1, count = extent.reduce(1, *)
        view.pinnedStage = shown
        guard let cursor = view.cursor else {
            view.cursor = 0
            return
        }
        let row = min(max(0, cursor / width + rows), (count - 1) / width)
        let column = min(max(0, cursor % width + columns), width - 1)
        view.cursor = min(count - 1, row * width + column)
    }

    /// Puts the cursor on the block drawn at a cell of the last frame, as the arrow keys would
    /// move it there; a click where no block is drawn does nothing.
    private func selectBlock(column: Int, row: Int) {
        guard let size = screenSize,
              let block = DashboardView(model: model, state: view).block(atX: column, y: row, width: size.width, height: size.height)
        else { return }
        view.pinnedStage = model.shownStage(pinned: view.pinnedStage)
        view.cursor = block
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

    /// Runs the prompt's expression in place of the current run, or shows why it does not build.
    private func enter(_ line: PromptLine) -> String? {
        let text = line.text.trimmingSpaces
        guard !text.isEmpty else {
            closePrompt()
            return nil
        }
        var next = settings
        next.expression = text
        do {
            try start(next)
        } catch {
            let leading = line.scalars.prefix { $0 == " " || $0 == "\t" }.count
            view.promptError = PromptError(error, in: text, offset: leading)
            return nil
        }
        abandonPlan()
        closePrompt()
        return remember(text) ?? "running \(text)"
    }

    private func closePrompt() {
        view.prompt = nil
        view.promptError = nil
        historyPosition = nil
        draft = nil
    }

    /// Replaces the prompt's text with the previous (`older`) or next entry of the history; past
    /// the newest, the text that was being typed comes back.
    private func recall(older: Bool) {
        let entries = history.entries
        guard !entries.isEmpty, let line = view.prompt else { return }
        let position: Int?
        switch (historyPosition, older) {
        case (nil, true): position = entries.count - 1
        case (nil, false): return
        case (let current?, true): position = max(0, current - 1)
        case (let current?, false): position = current + 1 < entries.count ? current + 1 : nil
        }
        if historyPosition == nil { draft = line }
        historyPosition = position
        view.prompt = position.map { PromptLine(entries[$0]) } ?? draft ?? PromptLine()
        view.promptError = nil
    }

    /// Adds an expression that ran to the history and its file; returns what to say when the
    /// file cannot be written (once: after that the history stays in memory).
    private func remember(_ text: String) -> String? {
        history.add(text)
        guard let file = historyFile, !historyFileFailed else { return nil }
        do {
            history = try file.add(text)
            return nil
        } catch {
            historyFileFailed = true
            return "history not saved: \(error)"
        }
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
        view.cursor = nil
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

extension PromptError {
    /// The error of an expression `text` that did not build, its place shifted by `offset` scalars
    /// (the spaces before it in the prompt); without a place unless it is an `ExpressionProblem`.
    init(_ error: any Error, in text: String, offset: Int) {
        guard let problem = error as? ExpressionProblem else {
            self.init(message: DashboardSession.firstLine(of: error))
            return
        }
        // Character offsets to scalar offsets: a character may be several scalars (é as e + ́).
        let characters = Array(text)
        func scalars(before character: Int) -> Int {
            characters[..<max(0, min(character, characters.count))].reduce(0) { $0 + $1.unicodeScalars.count }
        }
        let start = offset + scalars(before: problem.range.lowerBound)
        let end = max(start, offset + scalars(before: problem.range.upperBound))
        self.init(message: problem.message, range: start..<end)
    }
}
