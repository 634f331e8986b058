import ArrayFiles
import BlocktopSupport
import DashboardModel
import Engine
import Expressions
import Foundation
import Reporting
import Runs
import RunVocabulary

/// This machine's engine as a backend: each run a graph on a pool of worker threads, its result
/// written to `--output` by its own tasks when one is asked for. The pool is kept while the
/// worker count stays the same.
package final class LocalBackend: RunBackend {
    private let output: OutputRequest?
    private var engine: Engine?

    /// `output`: the file each run writes its result to (each a temporary file of its own until it is put in place).
    package init(output: OutputRequest? = nil) {
        self.output = output
    }

    /// Builds the program (an expression that does not build throws an `ExpressionProblem`, with
    /// where the mistake is) and its output file; the engine is made or reused, and the graph
    /// started, only by `start()`.
    package func prepare(_ computation: Computation, _ settings: RunSettings) throws -> PreparedSession {
        let program: Program
        do {
            program = try computation.program(blockSize: settings.blockSize)
        } catch {
            throw ExpressionProblem(message: error.message, range: error.range, description: error.description)
        }
        // A run never started removes its temporary file when it goes.
        let written = try output.map { try ArrayOutput(program, request: $0) }
        return PreparedSession { [self] in
            if engine?.workerCount != settings.workers { engine = Engine(workers: settings.workers) }
            let source = EngineSource(engine: engine!, graph: (written?.array ?? program.result).graph(), title: computation.title,
                                      chunks: program.mainArray.chunks, blockNote: program.blockNote)
            return LocalSession(computation: computation, settings: settings, program: program, source: source, output: written)
        }
    }
}

/// A run on this machine's engine: the engine's source for the dashboard, the program for the
/// report, and the output file its tasks write.
final class LocalSession: RunSession, SessionOverSource {
    let computation: Computation
    let settings: RunSettings
    private let program: Program
    let source: EngineSource
    private let output: ArrayOutput?

    init(computation: Computation, settings: RunSettings, program: Program, source: EngineSource, output: ArrayOutput?) {
        self.computation = computation
        self.settings = settings
        self.program = program
        self.source = source
        self.output = output
    }


    var headlessProgress: HeadlessProgress {
        let recorder = source.recorder
        return HeadlessProgress(done: recorder.finishedTasks, total: recorder.graph.count,
                                seconds: Double(monotonicNanoseconds() - recorder.startTime) / 1e9)
    }

    func advance(waitingUpTo seconds: Double) -> Bool {
        source.advance(waitingUpTo: seconds)
    }

    func finish(keepOutput: Bool) -> FinishedRun {
        source.cancel()
        let summary = source.finish()
        // A failed or cancelled run ends while kernels may still run; let them return first.
        source.settle()
        let outputProblem = output?.finish(summary.outcome, keep: keepOutput)
        var problems: [String] = []
        var status = ExitStatus(summary.outcome)
        if let failure = summary.result.failure, let error = failure.underlying as? ArrayFileError {
            // A task found an array file bad: bad input, named with the file and the block.
            problems.append(error.description)
            status = .badInput
        } else if let outputProblem {
            problems.append(outputProblem)
            status = .reportUnwritten
        }
        var report = RunReport(expression: computation.text, summary: summary, largestInput: program.mainArray.chunks)
        report.inputs = program.inputNotes
        report.output = output?.writer.note
        // Written means renamed into place: not when it was let go of, or could not be moved there.
        report.outputWritten = report.outputWritten && keepOutput && outputProblem == nil
        return FinishedRun(settings: settings, report: report, recorded: .local(summary: summary, recorder: source.recorder),
                           status: status, problems: problems)
    }

    func discard() {
        source.cancel()
        source.settle()
        output?.writer.abandon()
    }
}
