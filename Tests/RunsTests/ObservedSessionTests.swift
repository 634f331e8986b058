import DashboardModel
import RunVocabulary
import Foundation
import Runs
import Testing

/// A session that is only watched: it ends after its steps (never, when nil), and each advance
/// waits as long as it is asked to, as a feed with no news does.
final class FakeObservedSession: ObservedSession {
    private let steps: Int?
    /// The seconds each advance was asked to wait, in order.
    private(set) var waits: [Double] = []

    init(steps: Int?) {
        self.steps = steps
    }

    private var ended: Bool { steps.map { waits.count >= $0 } ?? false }

    var run: RunDescription {
        RunDescription(title: "watched", arrayShape: [], blockShape: [], blockCount: 0, workerCount: 1, capacity: 1, taskFlops: [],
                       grid: BlockGridMap(stage: "", rows: 0, columns: 0, blockOfTask: []))
    }

    func poll() -> SourceUpdate {
        SourceUpdate(time: 0, events: [], state: ended ? .done : .running, activeSeconds: 0, bytesHeld: 0, peakBytesHeld: 0, machine: nil)
    }

    func pause() {}
    func resume() {}
    var capabilities: SourceCapabilities { .localRun }
    func refusal(of capability: SourceCapabilities) -> String { SourceCapabilities.standardRefusal(of: capability) }
    func cancel() {}

    var headlessProgress: HeadlessProgress { HeadlessProgress(done: waits.count, total: steps ?? 0, seconds: waits.reduce(0, +)) }

    func advance(waitingUpTo seconds: Double) -> Bool {
        waits.append(seconds)
        if !ended { _ = DispatchSemaphore(value: 0).wait(timeout: .now() + seconds) }
        return ended
    }
}

/// The one headless loop as `attach` and `watch` use it (and `run`, `sweep`, `scale`): it ends
/// when the session does, at an interruption, or when its time is up; and the dashboard's
/// launcher for something only watched.
@Suite struct ObservedSessionTests {
    @Test func theLoopEndsWhenTheWatchedSessionEndsBeforeItsTimeIsUp() {
        let session = FakeObservedSession(steps: 3)
        let ending = HeadlessWatch.watch(session, progress: false, interval: 0.01, for: 60) { false }
        #expect(ending == .ended)
        #expect(session.waits.count == 3 && session.waits.allSatisfy { $0 <= 0.01 })
    }

    @Test func theLoopEndsWhenItsTimeIsUpAndNeverWaitsPastIt() {
        let session = FakeObservedSession(steps: nil)
        // An interval longer than the time given: the one wait is cut to what is left.
        let ending = HeadlessWatch.watch(session, progress: false, interval: 30, for: 0.05) { false }
        #expect(ending == .timeUp)
        #expect(!session.waits.isEmpty && session.waits.allSatisfy { $0 <= 0.05 })
    }

    @Test func anInterruptionEndsTheLoopBeforeTheNextWait() {
        let session = FakeObservedSession(steps: nil)
        var checks = 0
        let ending = HeadlessWatch.watch(session, progress: false, interval: 0.001) {
            checks += 1
            return checks > 4
        }
        #expect(ending == .interrupted && session.waits.count == 4)
    }

    @Test func theLauncherHandsOverItsOneSourceOnceAndThenHasNothingToStart() throws {
        let session = FakeObservedSession(steps: 1)
        let launcher = OneSourceLauncher(session)
        #expect(try launcher.launch(RunSettings(blockSize: nil, workers: 1)) === session)
        let refusal = #expect(throws: NothingToStart.self) { try launcher.prepare(RunSettings(blockSize: 2, workers: 1)) }
        #expect(refusal?.description == SourceCapabilities.standardRefusal(of: .newRuns))
    }
}
