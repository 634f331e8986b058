import ArgumentParser
import Dashboard
import Foundation

/// How the dashboard looks and when it closes: the same options for run, sweep and scale.
struct DashboardLookOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Dashboard refreshes per second.")
    var refresh = 10.0

    @Option(help: "Colour: never, auto (follows the terminal and NO_COLOR) or always.")
    var color: ColorChoice = .auto

    @Option(help: "Theme name or .theme file (t cycles through them in the dashboard).")
    var theme = "default"

    @Option(help: "A folder searched for themes before the standard ones.")
    var themesDir: String?

    /// What the dashboard does when the run (or the series) ends.
    enum WhenDone: EnumerableFlag {
        case keepOpen, closeWhenDone

        static func help(for value: WhenDone) -> ArgumentHelp? {
            switch value {
            case .keepOpen: "Stay on the final figures until q when the run ends."
            case .closeWhenDone: "Close the dashboard when the run (or the series) ends; a failed run stays open."
            }
        }
    }

    @Flag var whenDone: WhenDone = .keepOpen

    func validate() throws {
        guard refresh > 0, refresh <= 100 else { throw ValidationError("--refresh must be in (0, 100], got \(refresh)") }
        try checkTheme(theme, themesDirectory: themesDir)
    }
}

/// Where the results go: the dashboard or not, the report's form, and the trace file.
struct ReportOptions: ParsableArguments {
    @Flag(help: "No dashboard: progress on stderr and the report (or the table) on stdout.")
    var headless = false

    @Flag(help: "Print the report (or the table) as one JSON object.")
    var json = false

    @Option(help: "Write the runs to this file in Chrome's trace-event format (Perfetto, chrome://tracing).")
    var trace: String?

    func validate() throws {
        if let trace { try checkWritable(trace, option: "--trace") }
    }

    /// Whether to open the dashboard: not when asked for none, nor without a terminal on stdout.
    var wantsDashboard: Bool { !headless && isatty(STDOUT_FILENO) == 1 }
}

/// How often a sweep or a scaling series runs each setting.
struct RepeatOptions: ParsableArguments {
    @Option(name: .customLong("repeat"), parsing: .unconditional,
            help: "Runs of each setting after one warm-up run, in alternating order; the table shows their median and min–max.")
    var repeats = 3

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeat must be ≥ 1, got \(repeats)") }
    }
}

extension ColorChoice: ExpressibleByArgument {}
