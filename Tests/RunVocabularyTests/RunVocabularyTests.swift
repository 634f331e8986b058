import BlocktopSupport
import RunVocabulary
import Testing

@Suite struct RunOutcomeTests {
    @Test func eachOutcomeHasItsStatus() {
        #expect(ExitStatus(.done).rawValue == 0)
        #expect(ExitStatus(.failed).rawValue == 1)
        #expect(ExitStatus(.cancelled).rawValue == 3)
    }

    @Test func onlyEndedStatesHaveAnOutcome() {
        #expect(RunState.running.outcome == nil && !RunState.paused.isFinal)
        #expect(RunState.done.outcome == .done && RunState.failed.outcome == .failed && RunState.cancelled.isFinal)
    }
}
