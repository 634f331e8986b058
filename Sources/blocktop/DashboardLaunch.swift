import BlocktopSupport
import Dashboard

/// Opens the dashboard on `launcher`, starting with `settings`, until it closes; then lets
/// every run's kernels finish (exiting under a running dgemm crashes in OpenBLAS's teardown).
///
/// A terminal that cannot show the dashboard is bad input (exit 64); so is a theme that cannot
/// be loaded, which the commands' validation already refused. `plan` is a sweep's or a
/// scaling series' runs.
func showDashboard(_ launcher: ExpressionLauncher, settings: RunSettings, look: DashboardLookOptions,
                   plan: TuningPlan? = nil) throws -> (app: DashboardApp, outcome: DashboardOutcome) {
    let shown = try openDashboard(launcher, settings: settings, look: look) { $0.plan = plan }
    // Every run, not only the last: a run cancelled by a rerun may still have a kernel on a worker.
    for run in launcher.runs { run.source.settle() }
    return shown
}

/// Opens the dashboard on `launcher`'s runs, looking as `look` says, with the options
/// `configure` sets, until it closes. A terminal that cannot show it, or a theme that cannot be
/// loaded, is bad input (exit 64).
func openDashboard(_ launcher: any RunLauncher, settings: RunSettings, look: DashboardLookOptions,
                   configure: (inout DashboardOptions) -> Void = { _ in }) throws -> (app: DashboardApp, outcome: DashboardOutcome) {
    let loaded: (catalog: ThemeCatalog, theme: Theme)
    do {
        loaded = try loadTheme(look.theme, themesDirectory: look.themesDir)
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
                           glyphs: adoptLocale() ? .unicode : .ascii)
    let outcome: DashboardOutcome
    do {
        outcome = try app.run()
    } catch {
        throw CommandExit.badInput("\(error)")
    }
    return (app, outcome)
}
