import ArgumentParser
import BlocktopSupport
import Dashboard
import Engine
import Expressions
import Foundation
import Reporting
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
        if cluster.target != nil {
            throw CommandExit(try ClusterRun(computation: chosen, blockSize: chunks, options: cluster, arrayOutput: arrayOutput,
                                             report: report, look: look).run())
        }
        // A result written to a file is never held whole in memory.
        let program = try build(chosen, blockSize: chunks, heldInMemory: arrayOutput.output == nil)
        let workers = workers ?? Engine.defaultWorkerCount
        warnIfOversubscribed(workers)
        try checkRoomForBLAS(program.result, workers: workers)
        guard report.wantsDashboard else {
            throw CommandExit(runHeadless(program, chosen, workers: workers, output: try ArrayOutput.prepare(program, options: arrayOutput)))
        }
        let launcher = ExpressionLauncher(computation: chosen, output: arrayOutput.output == nil ? nil : arrayOutput)
        let settings = RunSettings(blockSize: chunks, workers: workers)
        let shown: (app: DashboardApp, outcome: DashboardOutcome)
        do {
            shown = try showDashboard(launcher, settings: settings, look: look)
        } catch {
            launcher.runs.forEach { $0.output?.writer.abandon() }
            throw error
        }
        let outcome = shown.outcome
        // Only the last run's output can be put in place, and only when it finished.
        launcher.runs.dropLast().forEach { $0.output?.writer.abandon() }
        if case .signal = outcome {
            launcher.runs.last?.output?.writer.abandon()
            throw CommandExit(outcome.exitStatus)
        }
        var status = outcome.exitStatus
        if let last = launcher.runs.last {
            let finished = RunOutput(options: report).finish(last.source.finish(), recorder: last.source.recorder,
                                                             program: last.program, computation: last.computation, output: last.output)
            if finished == .badInput || finished == .reportUnwritten { status = finished }
        }
        throw CommandExit(status)
    }

    /// Runs `program` without a screen until it ends or SIGINT/SIGTERM cancels it, and reports it;
    /// returns the exit status (128 + n after signal n).
    private func runHeadless(_ program: Program, _ chosen: Computation, workers: Int, output: ArrayOutput?) -> ExitStatus {
        catchInterruptions()
        let (recorder, summary) = HeadlessRun.run((output?.array ?? program.result).graph(), on: Engine(workers: workers),
                                                  progress: isatty(STDERR_FILENO) == 1) {
            interruption.load(ordering: .relaxed) != 0
        }
        let status = RunOutput(options: report).finish(summary, recorder: recorder, program: program, computation: chosen, output: output)
        let signalNumber = interruption.load(ordering: .relaxed)
        return signalNumber != 0 ? .signal(signalNumber) : status
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
