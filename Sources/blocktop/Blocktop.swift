import ArgumentParser
import BlocktopSupport
import DashboardModel
import Engine
import Foundation
import Runs

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
        subcommands: [Run.self, Presets.self, Sweep.self, Scale.self, Attach.self, Watch.self],
        defaultSubcommand: Run.self)

    /// Parses and runs the command, and is the one place blocktop exits: commands and their
    /// helpers throw a `CommandExit`, or the run's `RunProblem` or `ExpressionProblem`; a mistake in the arguments is one `blocktop: error:` line
    /// and exit 64.
    static func main() {
        OpenBLASThreads.keepOpenBLASToOneThread()
        let status: ExitStatus
        do {
            var command = try parseAsRoot()
            guard fcntl(STDOUT_FILENO, F_GETFD) != -1 else {
                throw CommandExit.badInput("stdout is closed: there is nowhere to show the dashboard or print the report")
            }
            try command.run()
            status = .success
        } catch let exit as CommandExit {
            if let message = exit.message { warn("error: " + sanitizedLines(message)) }
            status = exit.status
        } catch let problem as RunProblem {
            warn("error: " + sanitizedLines(problem.description))
            status = problem.status
        } catch let problem as ExpressionProblem {
            warn("error: " + sanitizedLines(problem.description))
            status = .badInput
        } catch {
            let code = exitCode(for: error)
            if code == .success {  // --help, --version
                print(fullMessage(for: error))
            } else {
                let line = message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                warn("error: " + sanitizedLines("\(line) (see blocktop --help)"))
            }
            status = ExitStatus(rawValue: code.rawValue)
        }
        Foundation.exit(status.rawValue)
    }
}

/// How a command ends when it does not simply succeed: its exit status and, when there is
/// something to say, the error for stderr.
struct CommandExit: Error {
    let status: ExitStatus
    let message: String?

    init(_ status: ExitStatus, _ message: String? = nil) {
        self.status = status
        self.message = message
    }

    /// Bad input (exit 64), with what was wrong.
    static func badInput(_ message: String) -> CommandExit {
        CommandExit(.badInput, message)
    }
}

/// `message` with control characters escaped on every line, so user text cannot drive the terminal.
private func sanitizedLines(_ message: String) -> String {
    message.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).escapingTerminalControls }.joined(separator: "\n")
}
