import BlocktopSupport
import DashboardModel
import Glibc
import RunVocabulary
import Themes
import Tuning

/// How the dashboard ended.
public enum DashboardOutcome: Equatable, Sendable {
    /// The run reached a final state (and the dashboard was not kept open).
    case finished(RunState)
    /// The user pressed q; the state the run was in.
    case quit(RunState)
    /// SIGINT, SIGTERM or SIGHUP arrived.
    case signal(Int32)

    /// The process exit status: 0 done, 1 failed, 3 cancelled or quit before the end, 128 + n for signal n.
    package var exitStatus: ExitStatus {
        switch self {
        case .finished(let state), .quit(let state): ExitStatus(state.outcomeWhenStopped)
        case .signal(let signal): .signal(signal)
        }
    }
}

/// Options of the interactive dashboard.
public struct DashboardOptions: Sendable {
    /// Refreshes per second.
    public var refreshRate: Double = 10
    public var color: ColorChoice = .auto
    public var themeName = "default"
    public var catalog: ThemeCatalog
    /// Close when the run (with a plan, its last run) ends, instead of staying on the final
    /// figures until q; a failed run stays open anyway, to show where it failed.
    public var closeWhenDone = false
    /// Close as soon as the run fails, with nothing left to show: a watched cluster whose
    /// scheduler went away.
    package var closeOnFailure = false
    /// Runs to make one after another (a sweep or a scaling series) instead of the one `settings`
    /// describe.
    package var plan: TuningPlan?
    /// The file that keeps the `:` prompt's history across sessions; nil keeps it in memory only.
    /// By default `$XDG_STATE_HOME/blocktop/history` (`~/.local/state/blocktop/history`).
    public var historyPath: String? = PromptHistoryFile.defaultPath

    public init(catalog: ThemeCatalog) {
        self.catalog = catalog
    }
}

/// The interactive dashboard: owns the terminal, polls the source at each tick, draws, and
/// turns keys into commands. Runs on the calling thread until the user quits, the run ends
/// or a termination signal arrives; the terminal is given back in every case.
public final class DashboardApp {
    private let launcher: any RunLauncher
    private let settings: RunSettings
    private let options: DashboardOptions
    private let view: ViewState
    /// The model of the last run shown, for a report after the dashboard closes.
    public private(set) var lastModel: DashboardModel?
    /// The plan's results when the dashboard closed; nil without a plan.
    package private(set) var tuning: TuningChart?

    /// A dashboard that starts runs through `launcher`; `theme` is the one the options name, already loaded.
    public init(launcher: any RunLauncher, settings: RunSettings, options: DashboardOptions, theme: Theme, glyphs: Glyphs) {
        self.launcher = launcher
        self.settings = settings
        self.options = options
        view = ViewState(theme: theme, glyphs: glyphs)
    }

    /// Runs the dashboard; throws when the terminal cannot be used or the first run cannot start.
    public func run() throws -> DashboardOutcome {
        let session = try DashboardSession(launcher: launcher, settings: settings, view: view, catalog: options.catalog,
                                             plan: options.plan, historyFile: options.historyPath.map { PromptHistoryFile(path: $0) })
        if options.historyPath == nil { session.view.message = "history not kept: neither XDG_STATE_HOME nor HOME is set" }
        defer { tuning = session.view.tuning }
        let restorer = TerminalRestorer.shared
        restorer.saveModes()
        restorer.install()
        let screen: TerminalScreen
        do {
            screen = try TerminalScreen(color: options.color, noColor: getenv("NO_COLOR").map { $0.pointee != 0 } ?? false)
        } catch {
            restorer.uninstall()
            session.source.cancel()
            throw error
        }
        defer {
            screen.close()
            restorer.uninstall()
        }
        let interval = UInt64(1e9 / max(0.1, min(100, options.refreshRate)))
        var nextTick: UInt64 = 0
        // A message from the start (the history file could not be read) stays a while, as a key's does.
        var messageUntil: UInt64 = session.view.message == nil ? 0 : monotonicNanoseconds() + 4_000_000_000
        while true {
            let signal = restorer.pendingSignal.load(ordering: .relaxed)
            if signal != 0 {
                session.source.cancel()
                lastModel = session.model
                return .signal(signal)
            }
            let now = monotonicNanoseconds()
            if now >= nextTick {
                session.refresh()
                if now >= messageUntil { session.view.message = nil }
                let size = screen.size
                screen.draw(session.frame(width: size.width, height: size.height))
                lastModel = session.model
                if options.closeOnFailure && session.model.state == .failed { return .finished(.failed) }
                if options.closeWhenDone && session.model.state.isFinal && session.model.state != .failed
                    && (options.plan == nil || session.planFinished) && session.view.prompt == nil {
                    return .finished(session.model.state)
                }
                nextTick = now + interval
            }
            guard let key = screen.read(timeout: Int((nextTick - min(nextTick, monotonicNanoseconds())) / 1_000_000) + 1) else { continue }
            if key == .resize {
                screen.invalidate()
                nextTick = 0
                continue
            }
            switch session.handle(key) {
            case .quit:
                lastModel = session.model
                return .quit(session.model.state)
            case .handled(let message):
                if let message {
                    session.view.message = message
                    messageUntil = monotonicNanoseconds() + 4_000_000_000
                }
            }
            nextTick = 0
        }
    }
}
