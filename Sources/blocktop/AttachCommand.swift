import ArgumentParser
import BlocktopSupport
import ClusterSources
import Foundation
import Runs
import RunVocabulary

/// `blocktop attach`: watch a Dask cluster, whatever it runs and whoever submitted it.
struct Attach: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Watch a Dask cluster: whatever it runs, whoever submitted it.",
        discussion: """
            Reads the cluster through the Python bridge (python/blocktop_bridge, run with python3 or \
            --python; it needs Dask distributed: \(BridgeLocation.installLine)); when the bridge \
            cannot run, through the scheduler's HTTP server alone (progress by task prefix and the \
            workers, no per-task events), and says so. With --headless (or without a terminal on \
            stdout) it watches for --for seconds, or until SIGINT, then prints what it saw; after \
            the dashboard (q, or the scheduler going away) it prints the same, once the terminal is \
            restored.
            Exit status: 0 watched until q, --for or SIGINT ended it; 1 the scheduler went away or \
            cannot be reached; 64 bad input; 74 the summary could not be written.
            """)

    @Argument(help: "The scheduler: tcp://HOST:8786 (or HOST:PORT), or its HTTP address http://HOST:8787.")
    var address: String

    @Flag(help: "Read only the scheduler's HTTP server (needs prometheus_client on the scheduler), without the Python bridge.")
    var httpOnly = false

    @Option(help: "The Python that runs the bridge (default: python3 on PATH).")
    var python: String?

    @OptionGroup var tls: TLSOptions

    @Flag(help: "No dashboard: watch, then print what was seen (workers, tasks per prefix and state, CPU%).")
    var headless = false

    @Flag(help: "Print what was seen as one JSON object.")
    var json = false

    @Option(name: .customLong("for"), parsing: .unconditional, help: "Seconds to watch without a dashboard (default: until SIGINT or the scheduler goes away).")
    var seconds: Double?

    @OptionGroup var look: DashboardLookOptions

    func validate() throws {
        guard ClusterAddress(address) != nil else {
            throw ValidationError("'\(address)' is no scheduler address: give tcp://HOST:PORT, HOST:PORT or http://HOST:PORT")
        }
        if let seconds, !(seconds > 0) { throw ValidationError("--for must be > 0 seconds, got \(seconds)") }
    }

    func run() throws {
        let session = try AttachSession.open(ClusterAddress(address)!, named: address, httpOnly: httpOnly, python: python, tls: tls.files,
                                             executable: CommandLine.arguments[0])
        defer { session.end() }
        let wantsDashboard = !headless && !json && isatty(STDOUT_FILENO) == 1
        guard wantsDashboard else { throw CommandExit(watchHeadless(session)) }
        let (_, outcome) = try openDashboard(OneSourceLauncher(session), settings: RunSettings(blockSize: nil, workers: 1),
                                             look: look) { $0.closeOnFailure = true }
        if case .signal(let number) = outcome { throw CommandExit(.signal(number)) }
        // The terminal is back: what was seen, as without the dashboard.
        guard emit(session.summary().text) else { throw CommandExit(.reportUnwritten) }
        if case .finished(.failed) = outcome { throw CommandExit(.failure, session.goneMessage) }
        throw CommandExit(.success)
    }

    /// Watches until `--for` passes, SIGINT/SIGTERM or the scheduler goes away, then prints what
    /// was seen; returns the exit status.
    private func watchHeadless(_ session: AttachSession) -> ExitStatus {
        if let notice = session.notice { warn(notice) }
        catchInterruptions()
        HeadlessWatch.watch(session, progress: false, for: seconds) { interruption.load(ordering: .relaxed) != 0 }
        let summary = session.summary()
        guard emit(json ? summary.json : summary.text) else { return .reportUnwritten }
        // The bridge gets a terminal's SIGINT too, and says goodbye: the signal, not the scheduler, ended it.
        let signalNumber = interruption.load(ordering: .relaxed)
        if signalNumber != 0 { return .signal(signalNumber) }
        guard !session.hasEnded else {
            warn("error: " + session.goneMessage.escapingTerminalControls)
            return .failure
        }
        return .success
    }
}
