import BlockArray
import BlocktopSupport
import DashboardModel
import Expressions
import Reporting
import Runs
import RunVocabulary

/// A backend whose runs take a set number of steps and whose time is the block size (or one
/// over the worker count): the seam's logic, driven without an engine or a cluster.
final class FakeBackend: RunBackend {
    /// Every run started, in order.
    private(set) var started: [FakeSession] = []
    /// Runs fail when their block size is in here.
    var failingBlockSizes: Set<Int> = []
    /// Starting a run throws this when set (the place refuses it).
    var refusal: RunProblem?
    /// Steps (advances) a run takes to end.
    var steps = 3

    func prepare(_ computation: Computation, _ settings: RunSettings) throws -> PreparedSession {
        do {
            _ = try computation.program(blockSize: settings.blockSize)
        } catch {
            throw ExpressionProblem(message: error.message, range: error.range, description: error.description)
        }
        if let refusal { throw refusal }
        return PreparedSession { [self] in
            let session = FakeSession(computation: computation, settings: settings, steps: steps,
                                      fails: settings.blockSize.map(failingBlockSizes.contains) ?? false)
            started.append(session)
            return session
        }
    }

    func place(of settings: RunSettings) -> String { "fake:\(settings.workers)" }

    func announcement(for settings: RunSettings) -> String? { "starting fake:\(settings.workers)" }
}

/// One fake run: it ends after its steps, or when cancelled.
final class FakeSession: RunSession {
    let computation: Computation
    let settings: RunSettings
    private let steps: Int
    private let fails: Bool
    private(set) var advanced = 0
    private(set) var cancelled = false
    private(set) var discarded = false
    private(set) var finishedKeepingOutput: Bool?

    init(computation: Computation, settings: RunSettings, steps: Int, fails: Bool) {
        self.computation = computation
        self.settings = settings
        self.steps = steps
        self.fails = fails
    }

    var run: RunDescription {
        RunDescription(title: computation.title, arrayShape: [4], blockShape: [2], blockCount: 2, workerCount: settings.workers,
                       capacity: 2, taskFlops: [0, 0], grid: BlockGridMap(stage: "task", rows: 1, columns: 2, blockOfTask: [0, 1]))
    }

    private var ended: Bool { cancelled || advanced >= steps }

    func poll() -> SourceUpdate {
        SourceUpdate(time: 0, events: [], state: ended ? .done : .running, activeSeconds: 0, bytesHeld: 0, peakBytesHeld: 0, machine: nil)
    }

    func pause() {}
    func resume() {}
    var capabilities: SourceCapabilities { .localRun }
    func refusal(of capability: SourceCapabilities) -> String { SourceCapabilities.standardRefusal(of: capability) }
    func cancel() { cancelled = true }

    var headlessProgress: HeadlessProgress { HeadlessProgress(done: min(advanced, steps), total: steps, seconds: Double(advanced)) }

    func advance(waitingUpTo seconds: Double) -> Bool {
        if !ended { advanced += 1 }
        return ended
    }

    /// The run's time in seconds: its block size, or one over its workers.
    var seconds: Double { settings.blockSize.map(Double.init) ?? 1 / Double(settings.workers) }

    func finish(keepOutput: Bool) -> FinishedRun {
        finishedKeepingOutput = keepOutput
        // As a real session does, a run that has not ended is cancelled.
        let outcome: RunOutcome = fails ? .failed : advanced < steps ? .cancelled : .done
        cancelled = cancelled || advanced < steps
        var report = RunReport(outcome: outcome, expression: computation.text, chunks: try! Chunks(shape: [4], spec: 2))
        report.cluster = RunReport.Cluster(scheduler: "fake", localWorkers: nil)
        report.wallSeconds = seconds
        report.tasks = steps
        report.tasksDone = min(advanced, steps)
        if outcome == .done { report.setResult(whole: try! DenseArray(shape: [], storage: [42])) }
        return FinishedRun(settings: settings, report: report, recorded: .cluster(laneNames: [], spans: [], program: try! computation.program()),
                           status: ExitStatus(outcome))
    }

    func discard() {
        discarded = true
        cancelled = true
    }
}
