import BlocktopSupport
import DashboardModel
import RunVocabulary

/// Starts a computation's runs on one backend for the dashboard: the first, started before the
/// dashboard opens (so that a place that cannot take it fails the command first), then the
/// reruns its keys ask for and the expressions typed at its `:` prompt.
package final class SessionLauncher: RunLauncher {
    package let backend: any RunBackend
    package let computation: Computation
    /// Every run started, oldest first.
    package private(set) var runs: [any RunSession] = []
    /// The first run, until the dashboard asks for it.
    private var first: (any RunSession)?

    package init(backend: any RunBackend, computation: Computation) {
        self.backend = backend
        self.computation = computation
    }

    /// Starts the first run with `settings`; throws a `RunProblem` or an `ExpressionProblem`.
    package func startFirst(_ settings: RunSettings) throws {
        let session = try backend.start(computation, settings)
        runs.append(session)
        first = session
    }

    package func prepare(_ settings: RunSettings) throws -> PreparedRun {
        if let first {
            self.first = nil
            return PreparedRun { first }
        }
        // A place that refuses the run (a cluster gone) fails the prepare, which the dashboard
        // shows; the dashboard cancels the run it replaces before it starts this one.
        let prepared = try backend.prepare(computation.replaced(by: settings.expression), settings)
        return PreparedRun { [self] in
            let session = prepared.start()
            runs.append(session)
            return session
        }
    }

    /// Reports the last run through `output` once the dashboard closed with `closing` (its exit
    /// status), and lets go of the others: only the last run's output can be put in place, and
    /// only when it finished. After a signal (`bySignal`) nothing is reported. Returns the
    /// command's exit status: the report's 64 or 74, else `closing`.
    package func finishLast(output: RunOutput, closing: ExitStatus, bySignal: Bool) -> ExitStatus {
        discardAllButLast()
        guard let last = runs.last else { return closing }
        if bySignal {
            last.discard()
            return closing
        }
        let finished = output.finish(last.finish(keepOutput: true))
        return finished == .badInput || finished == .reportUnwritten ? finished : closing
    }

    /// Lets go of every run but the last (their output files are removed, nothing of them runs).
    package func discardAllButLast() {
        runs.dropLast().forEach { $0.discard() }
    }
}
