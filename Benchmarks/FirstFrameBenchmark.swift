import BlockArray
import BlocktopSupport
import Dashboard
import DashboardModel
import Engine
import Expressions
import Foundation
import RunSources

/// Time to the dashboard's first frame of a fresh run, as `blocktop run` shows it: the
/// expression parsed, its graph built and optimized, the run started on an engine
/// (`EngineSource`, which summarizes the graph for the screen), the model made from the run's
/// description and first update, and one 120×40 frame drawn. Each phase is timed.
func runFirstFrameBenchmark() throws {
    print(loadNote())
    let engine = Engine(workers: 2)
    let cases: [(tasks: String, expression: String, goal: Double)] = [
        ("1,210", "x = random((10000, 10000), chunks=1000); (x @ x.T).sum()", 0.2),
        ("10,667", "(ones(10000, chunks=1) + 1).sum()", 0.2),
        ("106,669", "(ones(100000, chunks=1) + 1).sum()", 0.2),
        ("1,066,669", "(ones(1000000, chunks=1) + 1).sum()", 1.0),
    ]
    for (tasks, expression, goalSeconds) in cases {
        var totals: [Double] = [], phases: [[Double]] = []
        for _ in 0..<3 {
            let clock = ContinuousClock()
            let start = clock.now
            let program = try Program(expression)
            let parsed = clock.now
            let graph = program.result.graph()
            let built = clock.now
            let source = EngineSource(engine: engine, graph: graph, title: expression, chunks: program.mainArray.chunks)
            let started = clock.now
            var model = DashboardModel(run: source.run)
            model.apply(source.poll())
            let frame = DashboardView(model: model, state: ViewState()).render(width: 120, height: 40)
            let drawn = clock.now
            precondition(frame.width == 120)
            func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
            totals.append(seconds(drawn - start))
            phases.append([seconds(parsed - start), seconds(built - parsed), seconds(started - built), seconds(drawn - started)])
            source.cancel()
            _ = source.finish()
        }
        let total = median(totals)
        let phase = (0..<4).map { index in median(phases.map { $0[index] }) }
        print(String(format: "first frame, %@ tasks: %.0f ms (%@; parse %.0f, graph %.0f, start + summary %.0f, model + frame %.0f ms; medians of 3)",
                     tasks, total * 1e3, goal(goalSeconds < 1 ? "≤ \(Int(goalSeconds * 1000)) ms" : "≤ \(Int(goalSeconds)) s", total <= goalSeconds),
                     phase[0] * 1e3, phase[1] * 1e3, phase[2] * 1e3, phase[3] * 1e3))
    }
}
