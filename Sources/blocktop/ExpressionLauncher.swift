import BlockArray
import Dashboard
import Engine
import Expressions
import Reporting

/// Starts runs of a computation for the dashboard (the first, the reruns its keys ask for and the
/// expressions typed at its `:` prompt), each with a recorder for the report and the trace.
final class ExpressionLauncher: RunLauncher {
    let computation: Computation
    /// The latest run started: its computation, source, program and recorder.
    private(set) var current: (computation: Computation, source: EngineSource, program: Program, recorder: RunRecorder)?
    /// Every run started, oldest first, with its settings (for the table after a sweep in the dashboard).
    private(set) var history: [(settings: RunSettings, source: EngineSource, recorder: RunRecorder)] = []
    private var engine: Engine?

    init(computation: Computation) {
        self.computation = computation
    }

    /// Builds the program first (an `ExpressionError` leaves everything as it was); the engine is
    /// made or reused, and the graph started, only by `start()`.
    func prepare(_ settings: RunSettings) throws -> PreparedRun {
        let chosen = settings.expression.map {
            Computation(title: $0, text: $0, defaultBlockSize: computation.defaultBlockSize, seed: computation.seed)
        } ?? computation
        let program = try chosen.program(blockSize: settings.blockSize)
        return PreparedRun { [self] in
            let graph = program.result.graph()
            if engine?.workerCount != settings.workers { engine = Engine(workers: settings.workers) }
            let recorder = RunRecorder(graph: graph, workers: settings.workers)
            let main = program.mainArray
            let source = EngineSource(engine: engine!, graph: graph, title: chosen.title, arrayShape: main.shape,
                                      blockShape: main.chunks.sizes.map { $0.first ?? 0 }, eventTap: { recorder.record($0) })
            current = (chosen, source, program, recorder)
            history.append((settings, source, recorder))
            return source
        }
    }
}
