import ArgumentParser
import BlockArray
import Dashboard
import Engine
import Foundation
import Telemetry

/// The `blocktop` command: runs the classic demo, `(x @ x.T).sum()` of a random n×n
/// matrix, on the engine's workers, and shows it in the dashboard; prints a plain report
/// instead when stdout is not a terminal or with `--headless`.
@main
struct Blocktop: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Launch blocked array computations and watch them use every core.",
        discussion: """
            Exit status: 0 the run finished, 1 it failed, 2 bad input, 3 cancelled or quit before \
            the end, 128+n ended by signal n (130 SIGINT, 143 SIGTERM, 129 SIGHUP).
            """,
        version: "0.1.0")

    @Option(help: "Rows and columns of the random matrix x.")
    var size = 10_000

    @Option(help: "Block size along each axis.")
    var chunks = 1_000

    @Option(help: "Seed of the random generator.")
    var seed: UInt64 = 0

    @Option(help: "Worker threads (default: the CPUs this process may use).")
    var workers: Int?

    @Option(help: "Dashboard refreshes per second.")
    var refresh = 10.0

    @Option(help: "Colour: never, auto (follows the terminal and NO_COLOR) or always.")
    var color: ColorChoice = .auto

    @Option(help: "Theme name or .theme file (t cycles through them in the dashboard).")
    var theme = "default"

    @Option(help: "A folder searched for themes before the standard ones.")
    var themesDir: String?

    @Flag(help: "Print a plain report instead of opening the dashboard.")
    var headless = false

    @Flag(help: "Keep the dashboard open when the run ends, until q.")
    var keepOpen = false

    func validate() throws {
        guard size > 0 else { throw ValidationError("--size must be > 0, got \(size)") }
        guard chunks > 0 else { throw ValidationError("--chunks must be > 0, got \(chunks)") }
        if let workers, workers < 1 { throw ValidationError("--workers must be ≥ 1, got \(workers)") }
        guard refresh > 0, refresh <= 100 else { throw ValidationError("--refresh must be in (0, 100], got \(refresh)") }
    }

    func run() throws {
        let workerCount = workers ?? ((try? CPUAvailability.current())?.usableCPUCount ?? ProcessInfo.processInfo.activeProcessorCount)
        let demo = DemoLauncher(size: size, seed: seed)
        let settings = RunSettings(blockSize: chunks, workers: workerCount)
        guard !headless, isatty(STDOUT_FILENO) == 1 else {
            let source = try demo.start(settings)
            demo.report(source.wait(), chunks: chunks)
            return
        }
        let catalog = ThemeCatalog.standard(themesDirectory: themesDir)
        let loaded: (theme: Theme, warning: ThemeError?)
        do {
            loaded = try catalog.load(theme)
        } catch {
            fail("\(error)", status: 2)
        }
        if let warning = loaded.warning { warn("\(warning); using the default theme") }
        var options = DashboardOptions(catalog: catalog)
        options.refreshRate = refresh
        options.color = color
        options.themeName = theme
        options.keepOpen = keepOpen
        let app = DashboardApp(launcher: demo, settings: settings, options: options, theme: loaded.theme,
                               glyphs: Self.adoptLocale() ? .unicode : .ascii)
        let outcome: DashboardOutcome
        do {
            outcome = try app.run()
        } catch {
            fail("\(error)", status: 2)
        }
        demo.current?.settle()
        if case .signal = outcome {} else if let source = demo.current {
            let result = source.wait()
            demo.report(result, chunks: demo.currentBlockSize,
                        seconds: result.status == .done ? app.lastModel?.elapsedSeconds : nil)
        }
        throw ExitCode(outcome.exitStatus)
    }

    /// Adopts the user's locale (ncursesw needs it to write UTF-8) and says whether it is UTF-8.
    static func adoptLocale() -> Bool {
        setlocale(LC_ALL, "")
        return String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
    }
}

/// Prints one line to stderr.
func warn(_ message: String) {
    FileHandle.standardError.write(Data("blocktop: \(message)\n".utf8))
}

/// Prints one error line to stderr and exits with `status`.
func fail(_ message: String, status: Int32) -> Never {
    warn("error: \(message)")
    Blocktop.exit(withError: ExitCode(status))
}

extension ColorChoice: ExpressibleByArgument {}
