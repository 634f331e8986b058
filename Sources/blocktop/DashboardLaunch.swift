import ArgumentParser
import Dashboard

/// How the dashboard looks, as the command line sets it.
struct DashboardLook {
    let refresh: Double
    let color: ColorChoice
    let theme: String
    let themesDirectory: String?
}

/// Opens the dashboard on `launcher`, starting with `settings`, until it closes; then lets
/// the last run's kernels finish (exiting under a running dgemm crashes in OpenBLAS's teardown).
///
/// An unknown or broken theme exits with 64 (the commands check it before they start).
/// `configure` sets what differs between commands (keep-open, a tuning plan).
func showDashboard(_ launcher: ExpressionLauncher, settings: RunSettings, look: DashboardLook,
                   configure: (inout DashboardOptions) -> Void) -> (app: DashboardApp, outcome: DashboardOutcome) {
    let loaded: (catalog: ThemeCatalog, theme: Theme)
    do {
        loaded = try loadTheme(look.theme, themesDirectory: look.themesDirectory)
    } catch {
        fail("\(error)", status: ExitCode.validationFailure.rawValue)
    }
    var options = DashboardOptions(catalog: loaded.catalog)
    options.refreshRate = look.refresh
    options.color = look.color
    options.themeName = look.theme
    configure(&options)
    let app = DashboardApp(launcher: launcher, settings: settings, options: options, theme: loaded.theme,
                           glyphs: adoptLocale() ? .unicode : .ascii)
    let outcome: DashboardOutcome
    do {
        outcome = try app.run()
    } catch {
        fail("\(error)", status: ExitCode.validationFailure.rawValue)
    }
    launcher.current?.source.settle()
    return (app, outcome)
}
