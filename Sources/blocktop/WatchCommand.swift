import ArgumentParser
import BlocktopSupport
import ClusterSources
import Foundation
import Runs
import RunVocabulary

/// `blocktop watch -- PROGRAM ARGS...`: run a local dask program and watch its computations.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a local dask program and watch its dask computations block by block.",
        discussion: """
            Runs PROGRAM with dask's local-scheduler callbacks installed (the program is not edited) \
            through the Python bridge's watch mode, and shows its tasks, the per-core bars and the \
            CPU% of its process tree. The bridge runs on --python, else on PROGRAM when it is a \
            Python, else on python3; it needs dask. In the dashboard the program's stdout and stderr \
            are held in unlinked temporary files and printed once the terminal is restored; with \
            --headless (or without a terminal on stdout) they pass through. The summary of what was \
            seen follows them in both. \
            The program's stdin is /dev/null. q (or SIGINT/SIGTERM) ends the program: SIGTERM, then \
            SIGKILL after 3 s.
            Exit status: the program's (128 + N when signal N ended it); 64 bad input; 74 the summary could not be written.
            """)

    @Option(help: "The Python that runs the bridge (default: PROGRAM when it is a Python, else python3 on PATH).")
    var python: String?

    @Flag(help: "No dashboard: pass the program's output through, then print what was seen.")
    var headless = false

    @Flag(help: "Print what was seen as one JSON object.")
    var json = false

    @OptionGroup var look: DashboardLookOptions

    @Argument(parsing: .postTerminator, help: "-- PROGRAM ARGS...: the program to run and watch.")
    var program: [String] = []

    func validate() throws {
        guard let name = program.first else { throw ValidationError("no program to watch: blocktop watch -- PROGRAM ARGS...") }
        guard WatchedProgram.executablePath(name) != nil else { throw ValidationError("no program '\(name)' to run (not found, or not executable)") }
    }

    func run() throws {
        let wantsDashboard = !headless && !json && isatty(STDOUT_FILENO) == 1
        let output = wantsDashboard ? try HeldOutput() : nil
        let session = try WatchSession.open(program, python: python, executable: CommandLine.arguments[0],
                                            stdout: output?.stdout ?? .standardOutput, stderr: output?.stderr ?? .standardError)
        guard wantsDashboard, let output else {
            catchInterruptions()
            HeadlessWatch.watch(session, progress: false) { interruption.load(ordering: .relaxed) != 0 }
            session.end()
            throw CommandExit(report(session))
        }
        let shown = Result {
            try openDashboard(OneSourceLauncher(session), settings: RunSettings(blockSize: nil, workers: 1), look: look)
        }
        // The terminal is back: end the program if q left it running, then print what it wrote and what was seen.
        session.end()
        output.replay()
        let outcome = try shown.get().outcome
        if case .signal(let number) = outcome, session.programExitStatus == nil { throw CommandExit(.signal(number)) }
        throw CommandExit(report(session))
    }

    /// Prints what was seen; returns the program's exit status, or 74 when it could not be printed.
    private func report(_ session: WatchSession) -> ExitStatus {
        let summary = session.summary()
        return emit(json ? summary.json : summary.text) ? session.exitStatus : .reportUnwritten
    }
}
