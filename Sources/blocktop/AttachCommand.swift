import ArgumentParser
import BlocktopSupport
import ClusterSources
import Dashboard
import DashboardModel
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
            stdout) it watches for --for seconds, or until SIGINT, then prints what it saw.
            Exit status: 0 watched until q, --for or SIGINT ended it; 1 the scheduler went away or \
            cannot be reached; 64 bad input.
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
        let connection: ClusterConnection
        do {
            connection = try ClusterConnection.open(ClusterAddress(address)!, httpOnly: httpOnly, python: python, tls: tls.files,
                                                    executable: CommandLine.arguments[0])
        } catch .badInput(let why) {
            throw CommandExit.badInput(why)
        } catch {
            throw CommandExit(.failure, "cannot watch the cluster at \(address): \(error)")
        }
        let scheduler = connection.scheduler ?? address
        let mode = switch connection.events {
        case .plugin, .callbacks: ""
        case .http: " · over HTTP only"
        case .none: " · counts only"
        }
        let source = ClusterSource(feed: connection.feed, title: "cluster \(scheduler)\(mode)", notice: connection.notice)
        defer { source.stop() }
        let wantsDashboard = !headless && !json && isatty(STDOUT_FILENO) == 1
        if let notice = connection.notice, !wantsDashboard { warn(notice) }
        guard wantsDashboard else { throw CommandExit(watchHeadless(source, connection: connection)) }
        let (_, outcome) = try openDashboard(AttachedCluster(source), settings: RunSettings(blockSize: nil, workers: 1), look: look) {
            $0.closeOnFailure = true
        }
        switch outcome {
        case .signal(let number): throw CommandExit(.signal(number))
        case .finished(.failed): throw CommandExit(.failure, goneMessage(source.state))
        case .finished, .quit: throw CommandExit(.success)
        }
    }

    /// Watches until `--for` passes, SIGINT/SIGTERM or the scheduler goes away, then prints what
    /// was seen; returns the exit status.
    private func watchHeadless(_ source: ClusterSource, connection: ClusterConnection) -> ExitStatus {
        catchInterruptions()
        let started = monotonicNanoseconds()
        func elapsed() -> Double { Double(monotonicNanoseconds() - started) / 1e9 }
        while interruption.load(ordering: .relaxed) == 0 && source.state.ended == nil && elapsed() < (seconds ?? .infinity) {
            _ = source.poll()
            usleep(100_000)
        }
        _ = source.poll()
        let summary = ClusterSummary(source.state, events: connection.events, scheduler: connection.scheduler,
                                     notice: connection.notice, seconds: elapsed())
        guard emit(json ? summary.json : Self.text(summary)) else { return .reportUnwritten }
        // The bridge gets a terminal's SIGINT too, and says goodbye: the signal, not the scheduler, ended it.
        let signalNumber = interruption.load(ordering: .relaxed)
        if signalNumber != 0 { return .signal(signalNumber) }
        guard source.state.ended == nil else {
            warn("error: " + goneMessage(source.state).escapingTerminalControls)
            return .failure
        }
        return .success
    }

    private func goneMessage(_ state: ClusterState) -> String {
        "the scheduler at \(address) went away: \(state.ended ?? "the connection closed")"
    }

    /// A few lines: the cluster (or watched program), its CPU and efficiency, its tasks (and how
    /// many were recomputed), each worker, each task prefix's progress.
    static func text(_ summary: ClusterSummary) -> String {
        let watched = summary.program.map { "program \($0.joined(separator: " ")) · exit status \(summary.exitStatus.map(String.init) ?? "?")" }
        var lines = [(watched ?? "cluster \(summary.scheduler ?? "?")") + " · \(summary.workersPresent) workers, \(summary.threads) threads · "
                     + "CPU \(Int(summary.cpuPercent.rounded()))%"
                     + (summary.efficiency.map { " · efficiency \(Int(($0 * 100).rounded()))%" } ?? "")
                     + " · tasks \(summary.tasks.done)/\(summary.tasks.total) done"
                     + (summary.recomputed > 0 ? ", recomputed \(summary.recomputed)" : "")]
        for worker in summary.workers {
            lines.append("  \(worker.address) (\(worker.host)) \(worker.threads) threads · CPU \(Int(worker.cpuPercent.rounded()))% · "
                         + "\(ByteCount.text(worker.memoryBytes)) · executing \(worker.executing)" + (worker.present ? "" : " · gone"))
        }
        for (prefix, tasks) in summary.prefixes.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(prefix) \(tasks.done)/\(tasks.total) done" + (tasks.states["erred"].map { ", \($0) erred" } ?? ""))
        }
        for erred in summary.erred { lines.append("  erred \(erred["key"] ?? ""): \(erred["exception"] ?? "")") }
        return lines.map(\.escapingTerminalControls).joined(separator: "\n")
    }
}

/// The dashboard's launcher for a cluster (attached, or running a launched run): the one source
/// there is; the keys that start runs have nothing to start.
final class AttachedCluster: RunLauncher {
    private let source: ClusterSource
    private var started = false

    init(_ source: ClusterSource) {
        self.source = source
    }

    func prepare(_ settings: RunSettings) throws -> PreparedRun {
        guard !started else { throw NothingToStart() }
        started = true
        return PreparedRun { [source] in source }
    }
}

/// What the keys that start runs (r, [, ], :) say while a cluster is watched.
struct NothingToStart: Error, CustomStringConvertible {
    var description: String { "watching a cluster: blocktop starts no runs on it" }
}
