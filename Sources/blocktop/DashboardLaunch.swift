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
/// An unknown theme exits with 64; a broken theme file gives one warning and the default theme.
/// `configure` sets what differs between commands (keep-open, a tuning plan).
func showDashboard(_ launcher: ExpressionLauncher, settings: RunSettings, look: DashboardLook,
                   configure: (inout DashboardOptions) -> Void) -> (app: DashboardApp, outcome: DashboardOutcome) {
    let catalog = ThemeCatalog.standard(themesDirectory: look.themesDirectory)
    let loaded: (theme: Theme, warning: ThemeError?)
    do {
        loaded = try catalog.load(look.theme)
    } catch {
        fail("\(error)", status: ExitCode.validationFailure.rawValue)
    }
    if let warning = loaded.warning { warn("\(warning); using the default theme") }
    var options = DashboardOptions(catalog: catalog)
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
