import ArgumentParser
import BlocktopSupport
import Engine
import Foundation
import Runs
import RunSources
import RunVocabulary

/// `blocktop run`: one computation, in the dashboard or headless, then its report.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a computation and watch it (the default command).",
        discussion: """
            Without a terminal on stdout, or with --headless, no screen is drawn: a progress line \
            goes to stderr and the report to stdout (--json for one JSON object).
            With --cluster the expression runs on a Dask cluster: the Python bridge (python3 or \
            --python, with Dask distributed) translates its syntax tree to dask.array calls, submits \
            them and reports the cluster as `blocktop attach` shows it; c (or SIGINT) cancels the \
            run's tasks on the cluster; the result comes back for the report.
            """)

    @OptionGroup var computation: ComputationOptions

    @Option(parsing: .unconditional,
            help: "Block size along each axis of every creation call, overriding their chunks= (default: their chunks=, else the preset's size, else 1000).")
    var chunks: Int?

    @Option(parsing: .unconditional, help: "Worker threads (default: the CPUs this process may use).")
    var workers: Int?

    @OptionGroup var arrayOutput: ArrayOutputOptions
    @OptionGroup var look: DashboardLookOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var cluster: ClusterOptions

    func validate() throws {
        if let chunks { try checkBlockSize(chunks) }
        if let workers { try checkWorkers(workers) }
        if cluster.cluster != nil {
            if workers != nil { throw ValidationError("--workers sets blocktop's own threads; with --cluster the cluster's workers compute") }
        }
    }

    func run() throws {
        let chosen = computation.computation()
        let onCluster = cluster.target != nil
        // A result written to a file here is never held whole in memory; a cluster's comes back whole.
        let program = try chosen.checkedProgram(blockSize: chunks, heldInMemory: onCluster || arrayOutput.output == nil)
        var settings = RunSettings(blockSize: chunks, workers: 1)
        if !onCluster {
            settings.workers = workers ?? Engine.defaultWorkerCount
            try checkLocalRoom(for: program.result, workers: settings.workers)
        }
        let backend = cluster.backend(output: arrayOutput.request, traces: report.trace != nil)
        let launcher = SessionLauncher(backend: backend, computation: chosen)
        try startFirst(launcher, settings)
        let output = RunOutput(json: report.json, trace: report.trace)
        guard report.wantsDashboard else {
            let session = launcher.runs[0]
            if let notice = session.notice { warn(notice) }
            catchInterruptions()
            throw CommandExit(output.finish(watching: session, progress: isatty(STDERR_FILENO) == 1) { interruption.load(ordering: .relaxed) })
        }
        let (_, outcome) = try showDashboard(launcher, settings: settings, look: look)
        let bySignal = if case .signal = outcome { true } else { false }
        throw CommandExit(launcher.finishLast(output: output, closing: outcome.exitStatus, bySignal: bySignal))
    }
}
