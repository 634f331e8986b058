import BlockArray
import Dashboard
import Engine
import Expressions
import RunSources

/// Starts runs of a computation for the dashboard: the first, the reruns its keys ask for and the
/// expressions typed at its `:` prompt.
final class ExpressionLauncher: RunLauncher {
    /// One run started: what it computes, with which settings, and its source.
    struct StartedRun {
        let computation: Computation
        let settings: RunSettings
        let program: Program
        let source: EngineSource
        /// The file this run writes its result to (`--output`), when one is asked for.
        let output: ArrayOutput?
    }

    let computation: Computation
    /// Every run started, oldest first.
    private(set) var runs: [StartedRun] = []
    private var engine: Engine?

    /// Where each run writes its result; nil for none.
    private let output: ArrayOutputOptions?

    init(computation: Computation, output: ArrayOutputOptions? = nil) {
        self.computation = computation
        self.output = output
    }

    /// Builds the program first (an expression that does not build throws an `ExpressionProblem`,
    /// with where the mistake is, and leaves everything as it was); the engine is made or reused,
    /// and the graph started, only by `start()`.
    func prepare(_ settings: RunSettings) throws -> PreparedRun {
        let chosen = settings.expression.map {
            Computation(title: $0, text: $0, defaultBlockSize: computation.defaultBlockSize, seed: computation.seed)
        } ?? computation
        let program: Program
        do {
            program = try chosen.program(blockSize: settings.blockSize)
        } catch {
            throw ExpressionProblem(message: error.message, range: error.range, description: error.description)
        }
        // Each run writes a temporary file of its own; one never started removes it when it goes.
        let written = try output.flatMap { try ArrayOutput.prepare(program, options: $0) }
        return PreparedRun { [self] in
            if engine?.workerCount != settings.workers { engine = Engine(workers: settings.workers) }
            let note = [program.overrideNote, program.sourceNote].compactMap { $0 }.joined(separator: ", ")
            let source = EngineSource(engine: engine!, graph: (written?.array ?? program.result).graph(), title: chosen.title,
                                      chunks: program.mainArray.chunks, blockNote: note.isEmpty ? nil : note)
            runs.append(StartedRun(computation: chosen, settings: settings, program: program, source: source, output: written))
            return source
        }
    }
}
