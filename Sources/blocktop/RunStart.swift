import Foundation
import Runs
import RunVocabulary
import Synchronization

// What `run`, `sweep` and `scale` share around their runs: starting the first run, and catching
// SIGINT/SIGTERM headless.

/// Set by SIGINT/SIGTERM during a headless run: the run is cancelled and still reported.
let interruption = Atomic<Int32>(0)

/// Says that a run starts, when that takes a while and stderr is a terminal (never while the
/// dashboard is open), and starts `launcher`'s first run; a run that cannot start throws its
/// `RunProblem` or `ExpressionProblem`.
func startFirst(_ launcher: SessionLauncher, _ settings: RunSettings) throws {
    if let line = launcher.backend.announcement(for: settings), isatty(STDERR_FILENO) == 1 { warn(line) }
    try launcher.startFirst(settings)
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
