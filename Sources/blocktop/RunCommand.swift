import ArgumentParser
import BlocktopSupport
import DashboardModel
import Engine
import Expressions
import Foundation
import Runs
import RunVocabulary
import Synchronization
import Telemetry

/// Set by SIGINT/SIGTERM during a headless run: the run is cancelled and still reported.
let interruption = Atomic<Int32>(0)

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
        let program = try build(chosen, blockSize: chunks, heldInMemory: onCluster || arrayOutput.output == nil)
        var settings = RunSettings(blockSize: chunks, workers: 1)
        if !onCluster {
            settings.workers = workers ?? Engine.defaultWorkerCount
            warnIfOversubscribed(settings.workers)
            try checkRoomForBLAS(program.result, workers: settings.workers)
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

/// Says that a run starts, when that takes a while and stderr is a terminal (never while the
/// dashboard is open), and starts `launcher`'s first run; a run that cannot start is bad input
/// (64) or, when its place refuses it, a failure (1).
func startFirst(_ launcher: SessionLauncher, _ settings: RunSettings) throws {
    if let line = launcher.backend.announcement(for: settings), isatty(STDERR_FILENO) == 1 { warn(line) }
    do {
        try launcher.startFirst(settings)
    } catch let problem as RunProblem {
        throw CommandExit(problem.status, problem.description)
    } catch let problem as ExpressionProblem {
        throw CommandExit.badInput(problem.description)
    }
}

/// Makes SIGINT and SIGTERM set `interruption` instead of ending the process, for a headless
/// command to stop and still report.
func catchInterruptions() {
    for signalNumber in [SIGINT, SIGTERM] {
        signal(signalNumber) { interruption.store($0, ordering: .relaxed) }
    }
    // A parent may have started us with these signals blocked; the command must still stop on them.
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    sigaddset(&signals, SIGTERM)
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
}

/// Says on stderr when `workers` is more than the CPUs this process may use: the workers then
/// take turns on the cores, and efficiency figures fall for that reason, not the scheduler's.
func warnIfOversubscribed(_ workers: Int) {
    let usable = Engine.defaultWorkerCount
    guard workers > usable else { return }
    warn("\(workers) workers on \(usable) usable CPU\(usable == 1 ? "" : "s"): oversubscribed, so workers take turns on the cores")
}

/// Builds `computation`'s program, with `blockSize` set for every creation call when given (and
/// says on stderr when that overrides a `chunks=` of the text); an expression error (message,
/// expression, caret) is bad input, and so is a dense result larger than the memory available now
/// when it is to be `heldInMemory` (not when it is written to a file block by block).
func build(_ computation: Computation, blockSize: Int?, heldInMemory: Bool = true) throws -> Program {
    let program: Program
    do {
        program = try computation.program(blockSize: blockSize)
    } catch {
        throw CommandExit.badInput(error.description)
    }
    if let blockSize, let note = program.overrideNote { warn("block size \(blockSize): \(note) in the expression") }
    if heldInMemory, let memory = try? MachineMemory.current(), UInt64(program.result.byteCount) > memory.availableBytes {
        throw CommandExit.badInput(
            "the result, an array of shape \(program.result.shape), needs \(ByteCount.text(program.result.byteCount)) but only "
            + "\(ByteCount.text(memory.availableBytes)) of memory is available; reduce it (e.g. .sum()) or slice it")
    }
    return program
}
