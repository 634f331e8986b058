import BlocktopSupport
import DashboardModel
import Engine
import Expressions
import Foundation
import Runs
import RunVocabulary
import Synchronization
import Telemetry

// What `run`, `sweep` and `scale` share before and around their runs: building the program,
// the warnings before a start, starting the first run, and catching SIGINT/SIGTERM headless.

/// Set by SIGINT/SIGTERM during a headless run: the run is cancelled and still reported.
let interruption = Atomic<Int32>(0)

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
