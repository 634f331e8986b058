import BlockArray
import Dashboard
import Engine
import Expressions
import Reporting

/// Starts runs of a computation for the dashboard (the first, and the reruns its
/// keys ask for), each with a recorder for the report and the trace.
final class ExpressionLauncher: RunLauncher {
    let computation: Computation
    /// The latest run, its program and its recorder.
    private(set) var current: (source: EngineSource, program: Program, recorder: RunRecorder)?
    private var engine: Engine?

    init(computation: Computation) {
        self.computation = computation
    }

    func launch(_ settings: RunSettings) throws -> any DashboardSource {
        let program = try computation.program(blockSize: settings.blockSize)
        let graph = program.result.graph()
        if engine?.workerCount != settings.workers { engine = Engine(workers: settings.workers) }
        let recorder = RunRecorder(graph: graph, workers: settings.workers)
        let main = program.mainArray
        let source = EngineSource(engine: engine!, graph: graph, title: computation.title, arrayShape: main.shape,
                                  blockShape: main.chunks.sizes.map { $0.first ?? 0 }, eventTap: { recorder.record($0) })
        current = (source, program, recorder)
        return source
    }
}
