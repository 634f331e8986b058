import ArgumentParser
import BlockArray
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
            """)

    @OptionGroup var computation: ComputationOptions
    @OptionGroup var options: RunOptions

    func run() throws {
        let chosen = computation.computation()
        let program = try build(chosen, blockSize: options.chunks)
        let workers = options.workers ?? Engine.defaultWorkerCount
        if options.headless || isatty(STDOUT_FILENO) != 1 {
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber) { interruption.store($0, ordering: .relaxed) }
            }
            // A parent may have started us with these signals blocked; the run must still stop on them.
            var signals = sigset_t()
            sigemptyset(&signals)
            sigaddset(&signals, SIGINT)
            sigaddset(&signals, SIGTERM)
            pthread_sigmask(SIG_UNBLOCK, &signals, nil)
            let (recorder, summary) = HeadlessRun.run(program.result.graph(), on: Engine(workers: workers),
                                                      progress: isatty(STDERR_FILENO) == 1) {
                interruption.load(ordering: .relaxed) != 0
            }
            let status = RunOutput(json: options.json, tracePath: options.trace)
                .finish(recorder, summary, program: program, computation: chosen)
            let signalNumber = interruption.load(ordering: .relaxed)
            throw ExitCode(signalNumber != 0 ? 128 + signalNumber : status)
        }
        try runDashboard(chosen, workers: workers)
    }

    private func runDashboard(_ chosen: Computation, workers: Int) throws {
        let launcher = ExpressionLauncher(computation: chosen)
        let settings = RunSettings(blockSize: options.chunks ?? chosen.defaultBlockSize, workers: workers)
        let look = DashboardLook(refresh: options.refresh, color: options.color, theme: options.theme,
                                 themesDirectory: options.themesDir)
        let (_, outcome) = showDashboard(launcher, settings: settings, look: look) { dashboard in
            // The bare `blocktop` demo stays with its result and figures until q, as a demo should.
            dashboard.keepOpen = options.keepOpen || (computation.expression == nil && computation.preset == nil)
        }
        if case .signal = outcome { throw ExitCode(outcome.exitStatus) }
        if let (computation, source, program, recorder) = launcher.current {
            let result = source.wait()
            _ = source.poll()  // hands the last events to the recorder
            _ = RunOutput(json: options.json, tracePath: options.trace)
                .finish(recorder, recorder.finish(result), program: program, computation: computation)
        }
        throw ExitCode(outcome.exitStatus)
    }
}

/// Builds `computation`'s program, or exits with its error (message, expression, caret);
/// also refuses a dense result larger than the memory available now.
func build(_ computation: Computation, blockSize: Int?) throws -> Program {
    let program: Program
    do {
        program = try computation.program(blockSize: blockSize)
    } catch {
        fail(error.description, status: ExitCode.validationFailure.rawValue)
    }
    if let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
       let memory = try? MachineMemory.parse(text), UInt64(program.result.byteCount) > memory.availableBytes {
        fail("the result, an array of shape \(program.result.shape), needs \(bytes(program.result.byteCount)) but only "
             + "\(bytes(Int(memory.availableBytes))) of memory is available; reduce it (e.g. .sum()) or slice it",
             status: ExitCode.validationFailure.rawValue)
    }
    return program
}

/// Options of every command that runs something.
struct RunOptions: ParsableArguments {
    @Option(parsing: .unconditional,
            help: "Block size along each axis for creation calls that give no chunks= (default: the preset's, or 1000).")
    var chunks: Int?

    @Option(parsing: .unconditional, help: "Worker threads (default: the CPUs this process may use).")
    var workers: Int?

    @Option(parsing: .unconditional, help: "Dashboard refreshes per second.")
    var refresh = 10.0

    @Option(help: "Colour: never, auto (follows the terminal and NO_COLOR) or always.")
    var color: ColorChoice = .auto

    @Option(help: "Theme name or .theme file (t cycles through them in the dashboard).")
    var theme = "default"

    @Option(help: "A folder searched for themes before the standard ones.")
    var themesDir: String?

    @Flag(help: "No dashboard: a progress line on stderr and the report on stdout.")
    var headless = false

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    @Option(help: "Write the run to this file in Chrome's trace-event format (Perfetto, chrome://tracing).")
    var trace: String?

    @Flag(help: "Keep the dashboard open when the run ends, until q.")
    var keepOpen = false

    func validate() throws {
        if let chunks, chunks < 1 { throw ValidationError("--chunks must be ≥ 1, got \(chunks)") }
        if let workers { try checkWorkers(workers) }
        guard refresh > 0, refresh <= 100 else { throw ValidationError("--refresh must be in (0, 100], got \(refresh)") }
        if let trace { try checkWritable(trace, option: "--trace") }
        try checkTheme(theme, themesDirectory: themesDir)
    }
}

extension ColorChoice: ExpressibleByArgument {}
