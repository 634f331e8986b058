import BlocktopSupport
import Testing

@Suite struct ByteCountTests {
    @Test(arguments: [(0, "0 B"), (8, "8 B"), (999, "999 B"), (1_000, "1.0 kB"), (9_949, "9.9 kB"), (9_950, "10 kB"),
                      (812_000_000, "812 MB"), (999_499_999, "999 MB"), (999_500_000, "1.0 GB"), (1_234_000_000, "1.2 GB"),
                      (-2_500, "-2.5 kB")])
    func decimalUnitsWithThreeFiguresAtMost(bytes: Int, text: String) {
        #expect(ByteCount.text(bytes) == text)
    }
}

@Suite struct ExitStatusTests {
    @Test func eachOutcomeAndSignalHasItsStatus() {
        #expect(ExitStatus(.done).rawValue == 0)
        #expect(ExitStatus(.failed).rawValue == 1)
        #expect(ExitStatus(.cancelled).rawValue == 3)
        #expect(ExitStatus.signal(2).rawValue == 130)
        #expect(ExitStatus.badInput.rawValue == 64 && ExitStatus.reportUnwritten.rawValue == 74)
    }

    @Test func onlyEndedStatesHaveAnOutcome() {
        #expect(RunState.running.outcome == nil && !RunState.paused.isFinal)
        #expect(RunState.done.outcome == .done && RunState.failed.outcome == .failed && RunState.cancelled.isFinal)
    }
}

@Suite struct TuningComparisonTests {
    static func run(_ setting: Int, _ seconds: Double, _ outcome: RunOutcome = .done) -> TuningMeasurement {
        TuningMeasurement(setting: setting, seconds: seconds, flops: 8e9, outcome: outcome)
    }

    @Test func speedupsAreAgainstTheOneWorkerRun() {
        let comparison = TuningComparison([Self.run(2, 4), Self.run(1, 8), Self.run(4, 2.5)])
        #expect(comparison.best?.setting == 4)
        #expect(comparison.base?.setting == 1)
        #expect(comparison.speedup(Self.run(2, 4)) == 2 && comparison.efficiency(Self.run(2, 4)) == 1)
        #expect(comparison.speedup(Self.run(4, 2.5)) == 3.2 && comparison.efficiency(Self.run(4, 2.5)) == 0.8)
        #expect(Self.run(1, 8).gflops == 1)
    }

    /// A run that did not finish is neither the best nor the base, and has no speedup.
    @Test func unfinishedRunsAreNotCompared() {
        let comparison = TuningComparison([Self.run(1, 0.5, .cancelled), Self.run(2, 4), Self.run(4, 3, .failed)])
        #expect(comparison.best?.setting == 2)
        #expect(comparison.base?.setting == 2)
        #expect(comparison.speedup(Self.run(4, 3, .failed)) == nil)
        #expect(comparison.speedup(Self.run(2, 4)) == 2)
    }
}
