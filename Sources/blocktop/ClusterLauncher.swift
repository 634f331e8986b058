import ClusterSources
import Dashboard
import Expressions

/// Starts runs on a cluster for the dashboard: the first, launched before the dashboard opens,
/// then each one its keys ask for (r, [ ], :), launched on the same cluster (a `local:N` one
/// is started again for it).
final class ClusterLauncher: RunLauncher {
    /// One run launched: what it computes, its program here, and how it is watched.
    struct StartedRun {
        let computation: Computation
        let program: Program
        let launch: ClusterLaunch
        let source: ClusterSource
    }

    /// Every run launched, oldest first.
    private(set) var runs: [StartedRun]
    private var firstTaken = false
    private let start: (Computation, Int?) throws -> StartedRun

    /// `start` launches a computation with a block size (nil: as its text says).
    init(first: StartedRun, start: @escaping (Computation, Int?) throws -> StartedRun) {
        runs = [first]
        self.start = start
    }

    func prepare(_ settings: RunSettings) throws -> PreparedRun {
        if !firstTaken {
            firstTaken = true
            return PreparedRun { [runs] in runs[0].source }
        }
        let base = runs[0].computation
        let chosen = settings.expression.map {
            Computation(title: $0, text: $0, defaultBlockSize: base.defaultBlockSize, seed: base.seed)
        } ?? base
        // The dashboard cancels the run it replaces; its bridge is stopped once that is said.
        let run = try start(chosen, settings.blockSize)
        runs.append(run)
        return PreparedRun { run.source }
    }
}
