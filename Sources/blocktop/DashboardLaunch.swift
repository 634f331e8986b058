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
    options.plan = plan
    let app = DashboardApp(launcher: launcher, settings: settings, options: options, theme: loaded.theme,
                           glyphs: adoptLocale() ? .unicode : .ascii)
    let outcome: DashboardOutcome
    do {
        outcome = try app.run()
    } catch {
        throw CommandExit.badInput("\(error)")
    }
    // Every run, not only the last: a run cancelled by a rerun may still have a kernel on a worker.
    for run in launcher.runs { run.source.settle() }
    return (app, outcome)
}
