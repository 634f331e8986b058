import BlocktopSupport
import DashboardModel
import Reporting
import Runs
import RunVocabulary
import Testing
import Tuning

/// `run`, `sweep` and `scale` (and their `--cluster` forms, which differ only in the backend)
/// driven through a fake backend: the launcher, the headless loop and the tuning series.
@Suite struct RunsTests {
    let computation = Computation(title: "ones", text: "ones((4,), chunks=2).sum()", defaultBlockSize: 2, seed: 0)

    @Test func theLauncherHandsTheDashboardTheRunStartedBeforeItOpened() throws {
        let backend = FakeBackend()
        let launcher = SessionLauncher(backend: backend, computation: computation)
        try launcher.startFirst(RunSettings(blockSize: nil, workers: 2))
        #expect(backend.started.count == 1)
        let first = try launcher.launch(RunSettings(blockSize: nil, workers: 2))
        #expect(first === backend.started[0])
        // A rerun (r, [ ], :) is a new run on the same backend; an expression typed at : replaces the text.
        _ = try launcher.launch(RunSettings(blockSize: 1, workers: 2, expression: "ones((6,)).sum()"))
        #expect(backend.started.count == 2)
        #expect(backend.started[1].computation.text == "ones((6,)).sum()")
        #expect(backend.started[1].computation.defaultBlockSize == computation.defaultBlockSize)
        launcher.discardAllButLast()
        #expect(backend.started[0].discarded && !backend.started[1].discarded)
    }

    @Test func anExpressionThatDoesNotBuildStartsNothing() throws {
        let backend = FakeBackend()
        let launcher = SessionLauncher(backend: backend, computation: computation)
        try launcher.startFirst(RunSettings(blockSize: nil, workers: 1))
        _ = try launcher.launch(RunSettings(blockSize: nil, workers: 1))
        #expect(throws: ExpressionProblem.self) { try launcher.launch(RunSettings(blockSize: nil, workers: 1, expression: "ones((4,)) +")) }
        #expect(backend.started.count == 1 && launcher.runs.count == 1)
    }

    @Test func aPlaceThatRefusesTheFirstRunFailsTheStart() {
        let backend = FakeBackend()
        backend.refusal = RunProblem("the cluster is gone", badInput: false)
        let launcher = SessionLauncher(backend: backend, computation: computation)
        #expect(throws: RunProblem("the cluster is gone", badInput: false)) { try launcher.startFirst(RunSettings(blockSize: nil, workers: 1)) }
        #expect(launcher.runs.isEmpty)
        #expect(RunProblem("x", badInput: true).status == .badInput)
        #expect(RunProblem("x", badInput: false).status == .failure)
    }

    @Test func theHeadlessLoopAdvancesARunToItsEnd() throws {
        let backend = FakeBackend()
        backend.steps = 5
        let session = try backend.start(computation, RunSettings(blockSize: nil, workers: 2))
        HeadlessWatch.watch(session, progress: false) { false }
        let fake = try #require(session as? FakeSession)
        #expect(fake.advanced == 5 && !fake.cancelled)
        let finished = session.finish(keepOutput: true)
        #expect(finished.outcome == .done && finished.status == .success)
        #expect(fake.finishedKeepingOutput == true)
    }

    /// `run` headless: the run is watched to its end and reported, its output kept; a signal
    /// cancels it, keeps no output and makes the status 128 + n.
    @Test func aHeadlessRunIsReportedWithItsStatusOrTheSignals() throws {
        let backend = FakeBackend()
        let output = RunOutput(json: true, trace: nil)
        let done = try backend.start(computation, RunSettings(blockSize: nil, workers: 2))
        #expect(output.finish(watching: done, progress: false) { 0 } == .success)
        #expect((done as? FakeSession)?.finishedKeepingOutput == true)
        backend.steps = 100
        let interrupted = try backend.start(computation, RunSettings(blockSize: nil, workers: 2))
        #expect(output.finish(watching: interrupted, progress: false) { 15 } == .signal(15))
        let fake = try #require(interrupted as? FakeSession)
        #expect(fake.cancelled && fake.finishedKeepingOutput == false && fake.advanced < 100)
    }

    /// When the dashboard closes, only its last run is reported (its output kept); the others are
    /// let go of, and after a signal none is reported.
    @Test func theDashboardsLastRunIsReportedAndTheOthersLetGo() throws {
        let backend = FakeBackend()
        let launcher = SessionLauncher(backend: backend, computation: computation)
        try launcher.startFirst(RunSettings(blockSize: nil, workers: 2))
        _ = try launcher.launch(RunSettings(blockSize: nil, workers: 2))
        _ = try launcher.launch(RunSettings(blockSize: 1, workers: 2))
        let output = RunOutput(json: true, trace: nil)
        #expect(launcher.finishLast(output: output, closing: .cancelled, bySignal: false) == .cancelled)
        #expect(backend.started[0].discarded && !backend.started[1].discarded)
        #expect(backend.started[0].finishedKeepingOutput == nil && backend.started[1].finishedKeepingOutput == true)

        let signalled = SessionLauncher(backend: backend, computation: computation)
        try signalled.startFirst(RunSettings(blockSize: nil, workers: 2))
        #expect(signalled.finishLast(output: output, closing: .signal(2), bySignal: true) == .signal(2))
        #expect(backend.started[2].discarded && backend.started[2].finishedKeepingOutput == nil)
    }

    @Test func anInterruptionStopsTheHeadlessLoopAndTheRunIsCancelled() throws {
        let backend = FakeBackend()
        backend.steps = 100
        let session = try backend.start(computation, RunSettings(blockSize: nil, workers: 2))
        var checks = 0
        HeadlessWatch.watch(session, progress: false) {
            checks += 1
            return checks > 3
        }
        let fake = try #require(session as? FakeSession)
        #expect(fake.advanced == 3)
        let finished = session.finish(keepOutput: false)
        #expect(finished.outcome == .cancelled && finished.status == .cancelled)
    }

    @Test func aSweepRunsItsPlanInOrderAndTablesEveryRun() throws {
        let backend = FakeBackend()
        let plan = TuningPlan(kind: .blockSizes, settings: [3, 1, 2].map { RunSettings(blockSize: $0, workers: 2) }, repeats: 2)
        var said: [String] = []
        let made = try TuningSeries(backend: backend, computation: computation, plan: plan)
            .runHeadless(progress: false, say: { said.append($0) }, interruption: { 0 })
        // A warm-up, then rounds that alternate direction.
        #expect(backend.started.map { $0.settings.blockSize } == [3, 3, 1, 2, 2, 1, 3])
        #expect(made.rows.map(\.setting) == [3, 3, 1, 2, 2, 1, 3])
        #expect(made.rows.map(\.round) == [0, 1, 1, 1, 2, 2, 2])
        #expect(made.traces.count == 7 && made.signal == 0)
        #expect(said.contains("warm-up (not counted): block size 3 on fake:2, 3 tasks"))
        #expect(said.contains("round 2/2: block size 1 on fake:2, 3 tasks"))
        // The fake's time is the block size: 1 is best, its range below the others'.
        #expect(TuningReport.comparison(made.rows).verdict == .best(1))
    }

    @Test func aScaleSeriesVariesTheWorkersAndSaysWhenAStartTakesAWhile() throws {
        let backend = FakeBackend()
        let plan = TuningPlan(kind: .workers, settings: [1, 2, 4].map { RunSettings(blockSize: nil, workers: $0) }, repeats: 1)
        var said: [String] = []
        let made = try TuningSeries(backend: backend, computation: computation, plan: plan)
            .runHeadless(progress: false, say: { said.append($0) }, interruption: { 0 })
        #expect(made.rows.map(\.setting) == [1, 1, 2, 4])
        #expect(said.filter { $0.hasPrefix("starting fake:") } == ["starting fake:1", "starting fake:1", "starting fake:2", "starting fake:4"])
        let comparison = TuningReport.comparison(made.rows)
        // Time is one over the workers: perfect scaling.
        #expect(comparison.statistics.compactMap { comparison.efficiency($0) } == [1, 1, 1])
    }

    @Test func anInterruptedSeriesStopsAfterTheRunGoing() throws {
        let backend = FakeBackend()
        let plan = TuningPlan(kind: .blockSizes, settings: [1, 2].map { RunSettings(blockSize: $0, workers: 1) }, repeats: 3)
        var checks: Int32 = 0
        let made = try TuningSeries(backend: backend, computation: computation, plan: plan)
            .runHeadless(progress: false, say: { _ in }, interruption: {
                checks += 1
                return checks > 5 ? 2 : 0
            })
        #expect(made.signal == 2)
        #expect(made.rows.count == backend.started.count && made.rows.count < plan.steps.count)
        #expect(made.rows.last?.outcome == .cancelled)
    }

    @Test func aFailedRunIsTabledAsFailed() throws {
        let backend = FakeBackend()
        backend.failingBlockSizes = [2]
        let plan = TuningPlan(kind: .blockSizes, settings: [1, 2].map { RunSettings(blockSize: $0, workers: 1) }, repeats: 1)
        let made = try TuningSeries(backend: backend, computation: computation, plan: plan)
            .runHeadless(progress: false, say: { _ in }, interruption: { 0 })
        #expect(made.rows.map(\.outcome) == [.done, .done, .failed])
        #expect(TuningReport.sweepTable(made.rows).contains("failed"))
    }

    @Test func theDashboardsSeriesTablesTheRunsThatEndedAndLetsGoOfTheRest() throws {
        let backend = FakeBackend()
        let plan = TuningPlan(kind: .blockSizes, settings: [1, 2].map { RunSettings(blockSize: $0, workers: 1) }, repeats: 1)
        let launcher = SessionLauncher(backend: backend, computation: computation)
        try launcher.startFirst(plan.steps[0].settings)
        for step in plan.steps { _ = try launcher.launch(step.settings) }
        let made = TuningSeries(backend: backend, computation: computation, plan: plan).rows(of: launcher, ended: 2)
        #expect(made.rows.map(\.setting) == [1, 1])
        #expect(backend.started.prefix(2).allSatisfy { $0.finishedKeepingOutput == false })
        #expect(backend.started.dropFirst(2).allSatisfy { $0.discarded })
    }
}
