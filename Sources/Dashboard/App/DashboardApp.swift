import Glibc

/// How the dashboard ended.
public enum DashboardOutcome: Equatable, Sendable {
    /// The run reached a final state (and the dashboard was not kept open).
    case finished(RunState)
    /// The user pressed q; the state the run was in.
    case quit(RunState)
    /// SIGINT, SIGTERM or SIGHUP arrived.
    case signal(Int32)

    /// The process exit status: 0 done, 1 failed, 3 cancelled or quit before the end, 128 + n for signal n.
    public var exitStatus: Int32 {
        switch self {
        case .finished(.done), .quit(.done): 0
        case .finished(.failed), .quit(.failed): 1
        case .finished, .quit: 3
        case .signal(let signal): 128 + signal
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
    /// Stay open when the run ends, until q.
    public var keepOpen = false

    public init(catalog: ThemeCatalog) {
        self.catalog = catalog
    }
}

/// The interactive dashboard: owns the terminal, polls the source at each tick, draws, and
/// turns keys into commands. Runs on the calling thread until the user quits, the run ends
/// or a termination signal arrives; the terminal is given back in every case.
public final class DashboardApp {
    private let launcher: any RunLauncher
    private var settings: RunSettings
    private let options: DashboardOptions
    private var view: ViewState
    private var themeNames: [String]
    /// The model of the last run shown, for a report after the dashboard closes.
    public private(set) var lastModel: DashboardModel?

    /// A dashboard that starts runs through `launcher`; `theme` is the one the options name, already loaded.
    public init(launcher: any RunLauncher, settings: RunSettings, options: DashboardOptions, theme: Theme, glyphs: Glyphs) {
        self.launcher = launcher
        self.settings = settings
        self.options = options
        view = ViewState(theme: theme, glyphs: glyphs)
        themeNames = options.catalog.names
    }

    /// Runs the dashboard; throws when the terminal cannot be used or the first run cannot start.
    public func run() throws -> DashboardOutcome {
        var source = try launcher.launch(settings)
        let restorer = TerminalRestorer.shared
        restorer.saveModes()
        restorer.install()
        let screen: TerminalScreen
        do {
            screen = try TerminalScreen(color: options.color, noColor: getenv("NO_COLOR").map { $0.pointee != 0 } ?? false)
        } catch {
            restorer.uninstall()
            source.cancel()
            throw error
        }
        defer {
            screen.close()
            restorer.uninstall()
        }
        var model = DashboardModel(run: source.run)
        let interval = UInt64(1e9 / max(0.1, min(100, options.refreshRate)))
        var nextTick: UInt64 = 0
        var messageUntil: UInt64 = 0
        while true {
            let signal = restorer.pendingSignal.load(ordering: .relaxed)
            if signal != 0 {
                source.cancel()
                lastModel = model
                return .signal(signal)
            }
            let now = Self.now()
            if now >= nextTick {
                model.apply(source.poll())
                if now >= messageUntil { view.message = nil }
                let size = screen.size
                screen.draw(DashboardView(model: model, state: view).render(width: size.width, height: size.height))
                lastModel = model
                if model.state.isFinal && !options.keepOpen { return .finished(model.state) }
                nextTick = now + interval
            }
            guard let input = screen.read(timeout: Int((nextTick - min(nextTick, Self.now())) / 1_000_000) + 1) else { continue }
            if input == .resize {
                screen.invalidate()
                nextTick = 0
                continue
            }
            guard case .character(let key) = input else { continue }
            if view.showHelp, key != "q" {
                view.showHelp = false
                nextTick = 0
                continue
            }
            guard let command = KeyCommand(key: key) else { continue }
            var message: String?
            switch command {
            case .quit:
                if !model.state.isFinal { source.cancel() }
                return .quit(model.state)
            case .togglePause:
                if model.state == .running { source.pause() } else if model.state == .paused { source.resume() }
            case .cancel:
                source.cancel()
            case .rerun, .halveBlocks, .doubleBlocks:
                var next = settings
                if command != .rerun, let size = settings.blockSize {
                    next.blockSize = command == .halveBlocks ? max(1, size / 2) : size * 2
                }
                source.cancel()
                do {
                    source = try launcher.launch(next)
                    settings = next
                    model = DashboardModel(run: source.run)
                    view.nextWorkers = nil
                    message = next.blockSize.map { "started again with blocks of \($0)" } ?? "started again"
                } catch {
                    message = "cannot rerun: \(error)"
                }
            case .moreWorkers, .fewerWorkers:
                settings.workers = max(1, min(1024, settings.workers + (command == .moreWorkers ? 1 : -1)))
                view.nextWorkers = settings.workers == model.run.workerCount ? nil : settings.workers
                message = "next run: \(settings.workers) worker" + (settings.workers == 1 ? "" : "s") + " (r reruns)"
            case .nextTheme:
                message = switchTheme()
            case .help:
                view.showHelp = true
            }
            if let message {
                view.message = message
                messageUntil = Self.now() + 4_000_000_000
            }
            nextTick = 0
        }
    }

    /// Loads the theme after the current one; returns a warning when its file is broken.
    private func switchTheme() -> String? {
        guard !themeNames.isEmpty else { return nil }
        let index = ((themeNames.firstIndex(of: view.theme.name) ?? -1) + 1) % themeNames.count
        do {
            let (theme, warning) = try options.catalog.load(themeNames[index])
            view.theme = warning == nil ? theme : Theme.standard
            return warning.map { "theme \(themeNames[index]): \($0)" } ?? "theme: \(themeNames[index])"
        } catch {
            return "\(error)"
        }
    }

    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
