import BlocktopSupport
import DashboardModel
import RunVocabulary

/// A place where computations run: this machine's engine, a Dask cluster.
///
/// The seam every command goes through: a backend builds a computation with settings into a
/// session, which the dashboard polls (it is a `DashboardSource`), a headless command advances,
/// and either finishes into one `FinishedRun`. Adding a place to run is one new backend.
package protocol RunBackend: AnyObject {
    /// Builds the run of `computation` with `settings`, ready to start. Throws an
    /// `ExpressionProblem` when the expression does not build, a `RunProblem` when the run
    /// cannot go there (bad input, or the place cannot take it). A place that can refuse a run
    /// (a cluster) takes it here; this machine's engine starts it only at `start()`.
    func prepare(_ computation: Computation, _ settings: RunSettings) throws -> PreparedSession

    /// A line for stderr before a run with `settings` starts, when starting takes a while (a
    /// local cluster); nil when there is nothing to say.
    func announcement(for settings: RunSettings) -> String?

    /// Where a run with `settings` goes, for a series' progress lines: "" for this machine.
    func place(of settings: RunSettings) -> String
}

extension RunBackend {
    package func announcement(for settings: RunSettings) -> String? { nil }
    package func place(of settings: RunSettings) -> String { "" }

    /// Builds the run and starts it.
    package func start(_ computation: Computation, _ settings: RunSettings) throws -> any RunSession {
        try prepare(computation, settings).start()
    }
}

/// A run a backend built: `start()` gives its session.
package typealias PreparedSession = Prepared<any RunSession>

/// Something that runs and is watched, from a dashboard or without one: a run blocktop started,
/// or a cluster or program it only observes (attach, watch).
package protocol ObservedSession: DashboardSource {
    /// A line on how the session is watched when it is not fully (no per-task events), for
    /// stderr when there is no dashboard; nil when it is.
    var notice: String? { get }
    /// Tasks finished, tasks in all and seconds so far, for a headless progress line.
    var headlessProgress: HeadlessProgress { get }

    /// Waits up to `seconds` for news, takes it in (without the dashboard), and says whether
    /// what is watched has ended.
    func advance(waitingUpTo seconds: Double) -> Bool
}

extension ObservedSession {
    package var notice: String? { nil }
}

/// One run on a backend, from its start to its figures: an observed session that blocktop
/// started, and so can finish into figures or let go of.
package protocol RunSession: ObservedSession {
    var computation: Computation { get }
    var settings: RunSettings { get }

    /// Cancels the run when it has not ended, waits until nothing of it runs, and closes its
    /// books. Its output file is put in place only when it is done and `keepOutput`.
    func finish(keepOutput: Bool) -> FinishedRun

    /// Lets go of the run without its figures: its output file is removed, and nothing of it stays running.
    func discard()
}

/// Where a run stands, for a progress line.
package struct HeadlessProgress: Sendable, Equatable {
    package var done: Int
    package var total: Int
    package var seconds: Double

    package init(done: Int, total: Int, seconds: Double) {
        self.done = done
        self.total = total
        self.seconds = seconds
    }
}

/// Why a run could not start: bad input (exit 64) or the place it was to run (exit 1).
package struct RunProblem: Error, CustomStringConvertible, Equatable {
    package let description: String
    package let badInput: Bool

    package init(_ description: String, badInput: Bool) {
        self.description = description
        self.badInput = badInput
    }

    /// The exit status it ends a command with.
    package var status: ExitStatus { badInput ? .badInput : .failure }
}
