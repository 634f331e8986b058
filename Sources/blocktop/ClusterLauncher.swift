import ClusterSources
import Dashboard
import Expressions

/// Starts runs on a cluster for the dashboard: the first, launched before the dashboard opens,
/// then each one its keys or a tuning plan ask for (r, [ ], :), launched on the same cluster
/// (a `local:N` one is started again for it).
final class ClusterLauncher: RunLauncher {
    /// One run launched: what it computes, its program here, and how it is watched.
    struct StartedRun {
        let computation: Computation
        let settings: RunSettings
        let program: Program
        let launch: ClusterLaunch
        let source: ClusterSource
    }

    /// Every run launched, oldest first.
    private(set) var runs: [StartedRun]
    private var first: StartedRun?
    private let computation: Computation
    private let start: (Computation, RunSettings) throws -> StartedRun

    /// `start` launches a computation with settings; `first`, already launched, is the first run
    /// the dashboard asks for.
    init(first: StartedRun, start: @escaping (Computation, RunSettings) throws -> StartedRun) {
        computation = first.computation
        self.first = first
        runs = [first]
        self.start = start
    }

    func prepare(_ settings: RunSettings) throws -> PreparedRun {
        if let first {
            self.first = nil
            return PreparedRun { first.source }
        }
        let chosen = settings.expression.map {
            Computation(title: $0, text: $0, defaultBlockSize: computation.defaultBlockSize, seed: computation.seed)
        } ?? computation
        // The dashboard cancels the run it replaces; its bridge is stopped with the others at the end.
        let run = try start(chosen, settings)
        runs.append(run)
        return PreparedRun { run.source }
    }
}
