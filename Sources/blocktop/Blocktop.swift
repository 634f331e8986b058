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
            64 bad input (arguments, expressions, themes, a terminal that cannot show the dashboard, \
            a closed stdout), 74 the report could not be written, 128+n ended by signal n \
            (130 SIGINT, 143 SIGTERM, 129 SIGHUP).
            """,
        version: "0.1.0",
        subcommands: [Run.self, Presets.self, Sweep.self, Scale.self],
        defaultSubcommand: Run.self)

    /// Parses and runs the command; a mistake is one `blocktop: error:` line, and exit 64 when
    /// it is in the arguments.
    static func main() {
        do {
            var command = try parseAsRoot()
            guard fcntl(STDOUT_FILENO, F_GETFD) != -1 else {
                fail("stdout is closed: there is nowhere to show the dashboard or print the report", status: ExitCode.validationFailure.rawValue)
            }
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let status = exitCode(for: error)
            guard status != .success else {  // --help, --version
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let line = message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            fail("\(line) (see blocktop --help)", status: status.rawValue)
        }
    }
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

/// Prints an error to stderr, with control characters escaped on every line, and exits with `status`.
func fail(_ message: String, status: Int32) -> Never {
    warn("error: " + message.split(separator: "\n", omittingEmptySubsequences: false).map { sanitized(String($0)) }
            .joined(separator: "\n"))
    Blocktop.exit(withError: ExitCode(status))
}
