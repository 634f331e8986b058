import BlocktopSupport
import Dashboard
import DashboardModel
import Runs
import RunVocabulary
import Themes
import Tuning

/// Opens the dashboard on `launcher`'s runs, starting with `settings`, until it closes. A terminal
/// that cannot show it, or a theme that cannot be loaded, is bad input (exit 64); every run is
/// let go of then. `plan` is a sweep's or a scaling series' runs.
func showDashboard(_ launcher: SessionLauncher, settings: RunSettings, look: DashboardLookOptions,
                   plan: TuningPlan? = nil) throws -> (app: DashboardApp, outcome: DashboardOutcome) {
    do {
        return try openDashboard(launcher, settings: settings, look: look) { $0.plan = plan }
    } catch {
        launcher.runs.forEach { $0.discard() }
        throw error
    }
}

/// Opens the dashboard on `launcher`'s runs, looking as `look` says, with the options
/// `configure` sets, until it closes. A terminal that cannot show it, or a theme that cannot be
/// loaded, is bad input (exit 64).
func openDashboard(_ launcher: any RunLauncher, settings: RunSettings, look: DashboardLookOptions,
                   configure: (inout DashboardOptions) -> Void = { _ in }) throws -> (app: DashboardApp, outcome: DashboardOutcome) {
    let loaded: (catalog: ThemeCatalog, theme: Theme)
    do {
        loaded = try ThemeCatalog.loadAsked(look.theme, themesDirectory: look.themesDir)
    } catch {
        throw CommandExit.badInput("\(error)")
    }
    var options = DashboardOptions(catalog: loaded.catalog)
    options.refreshRate = look.refresh
    options.color = look.color
    options.themeName = look.theme
    options.closeWhenDone = look.whenDone == .closeWhenDone
    configure(&options)
    let app = DashboardApp(launcher: launcher, settings: settings, options: options, theme: loaded.theme,
                           glyphs: .adoptingLocale())
    let outcome: DashboardOutcome
    do {
        outcome = try app.run()
    } catch {
        throw CommandExit.badInput("\(error)")
    }
    return (app, outcome)
}
