import DashboardModel
import RunVocabulary
import Themes
import Tuning

/// The dashboard between refreshes: the runs (`RunControl`), the `:` prompt (`PromptEditor`) and
/// the view, and what each key does to them (`KeyDispatch`).
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

    private let runs: RunControl
    private let prompt: PromptEditor
    private let catalog: ThemeCatalog
    private let themeNames: [String]
    package var view: ViewState
    /// The size of the screen last drawn (`frame`), which clicks land on; nil before the first.
    private var screenSize: (width: Int, height: Int)?

    /// Starts the first run (the plan's first when there is a plan); throws when it cannot be built.
    /// Reads the prompt's history from `historyFile`; one that cannot be read (or holds bad lines)
    /// is said in `view.message`, and the dashboard goes on without it.
    package init(launcher: any RunLauncher, settings: RunSettings, view: ViewState, catalog: ThemeCatalog,
                 plan: TuningPlan? = nil, historyFile: PromptHistoryFile? = nil) throws {
        var view = view
        prompt = PromptEditor(historyFile: historyFile, view: &view)
        runs = try RunControl(launcher: launcher, settings: settings, plan: plan, view: &view)
        self.view = view
        self.catalog = catalog
        themeNames = catalog.names
    }

    package var settings: RunSettings { runs.settings }
    package var source: any DashboardSource { runs.source }
    package var model: DashboardModel { runs.model }
    /// The index in the plan of the current run; nil without a plan, or once a key started another run.
    package var planStep: Int? { runs.planStep }
    /// The expressions run from the prompt, this session's and, with a file, earlier sessions'.
    package var history: PromptHistory { prompt.history }
    /// Whether a plan was given and all its runs have ended.
    package var planFinished: Bool { view.tuning?.isComplete ?? false }

    /// Applies the source's news (see `RunControl.refresh`).
    package func refresh() {
        runs.refresh(view: &view)
    }

    /// The dashboard as it is now on a `width`×`height` screen; clicks are read against the
    /// last frame made.
    package func frame(width: Int, height: Int) -> Frame {
        screenSize = (width, height)
        return DashboardView(model: model, state: view).render(width: width, height: height)
    }

    /// What `key` does: editing the prompt while it is open, else closing the help when it is
    /// shown, else its command (`KeyDispatch`).
    package func handle(_ key: Key) -> KeyResult {
        if view.prompt != nil { return .handled(message: edit(key)) }
        let dispatch = KeyDispatch(key, source: source, glyphs: view.glyphs)
        if view.showHelp, dispatch != .command(.quit) {
            view.showHelp = false
            return .handled(message: nil)
        }
        switch dispatch {
        case .refused(let message): return .handled(message: message)
        case .command(let command): return perform(command)
        }
    }

    /// `handle` for a character or byte typed (Enter for CR, Backspace for DEL, Ctrl-A for 0x01…).
    package func handle(_ scalar: Unicode.Scalar) -> KeyResult {
        guard let key = Key(scalar) else { return .handled(message: nil) }
        return handle(key)
    }

    /// Carries out a command the source can do.
    private func perform(_ command: KeyCommand) -> KeyResult {
        switch command {
        case .quit:
            runs.stop()
            return .quit
        case .togglePause: runs.togglePause()
        case .cancel: runs.cancel()
        case .rerun, .halveBlocks, .doubleBlocks: return .handled(message: runs.rerun(command, view: &view))
        case .moreWorkers: return .handled(message: runs.changeWorkers(by: 1, view: &view))
        case .fewerWorkers: return .handled(message: runs.changeWorkers(by: -1, view: &view))
        case .nextTheme: return .handled(message: view.switchTheme(among: themeNames, in: catalog))
        case .nextStage:
            view.cursor = nil
            return .handled(message: view.nextStage(of: model))
        case .moveCursor(let rows, let columns): view.moveCursor(rows: rows, columns: columns, in: model)
        case .selectBlock(let column, let row):
            if let screenSize { view.selectBlock(column: column, row: row, in: model, screen: screenSize) }
        case .closeDetail: view.cursor = nil
        case .help: view.showHelp = true
        case .prompt: prompt.open(&view)
        }
        return .handled(message: nil)
    }

    /// Edits the open prompt; an expression entered runs in place of the current run, or keeps
    /// the prompt open with its error when it does not build.
    private func edit(_ key: Key) -> String? {
        switch prompt.edit(key, view: &view) {
        case .done:
            return nil
        case .run(let expression, let leadingSpaces):
            do {
                try runs.run(expression, view: &view)
            } catch {
                prompt.failed(expression, leadingSpaces: leadingSpaces, error: error, view: &view)
                return nil
            }
            return prompt.ran(expression, view: &view)
        }
    }

    /// The first line of `error`'s description: an expression error's message, without the
    /// expression and caret lines that follow (the frame shows control characters as `?`).
    package static func firstLine(of error: any Error) -> String {
        "\(error)".split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
    }
}
