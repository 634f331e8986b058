import ArgumentParser
import Foundation

/// The `blocktop` command: launch blocked array computations and watch them use every core.
@main
struct Blocktop: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Launch blocked array computations and watch them use every core.",
        discussion: """
            With no command, runs the classic demo, (x @ x.T).sum() of a random 10000² matrix, \
            in the dashboard.
            Exit status: 0 the run finished, 1 it failed, 3 cancelled or quit before the end, \
            64 bad input (arguments, expressions, themes), 128+n ended by signal n \
            (130 SIGINT, 143 SIGTERM, 129 SIGHUP).
            """,
        version: "0.1.0",
        subcommands: [Run.self, Presets.self, Sweep.self, Scale.self],
        defaultSubcommand: Run.self)
}

/// Adopts the user's locale (ncursesw needs it to write UTF-8) and says whether it is UTF-8.
func adoptLocale() -> Bool {
    setlocale(LC_ALL, "")
    return String(cString: nl_langinfo(nl_item(CODESET))).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
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
