import RunVocabulary
import Testing
import Tuning

@Suite struct TuningComparisonTests {
    /// A run of `setting` in `round` (1 unless given; 0 is the warm-up).
    static func run(_ setting: Int, _ seconds: Double, _ outcome: RunOutcome = .done, round: Int = 1) -> TuningMeasurement {
        TuningMeasurement(setting: setting, round: round, seconds: seconds, flops: 8e9, outcome: outcome)
    }

    /// Runs of each setting with the given times, one per round.
    static func series(_ times: [Int: [Double]], warmUp: Double? = nil) -> [TuningMeasurement] {
        let settings = times.keys.sorted()
        let warm = warmUp.map { [run(settings[0], $0, round: 0)] } ?? []
        let rounds = times.values.map(\.count).max() ?? 0
        return warm + (0..<rounds).flatMap { round in
            settings.compactMap { setting in times[setting]?.dropFirst(round).first.map { run(setting, $0, round: round + 1) } }
        }
    }

    @Test(arguments: [([3.0], 3.0), ([5.0, 1, 3], 3.0), ([4.0, 1, 3, 2], 2.5), ([2.0, 2, 9], 2.0)] as [([Double], Double)])
    func theMedianIsTheMiddleRun(times: [Double], median: Double) throws {
        let statistics = try #require(TuningStatistics(setting: 7, runs: times.map { Self.run(7, $0) }))
        #expect(statistics.median == median)
        #expect(statistics.minimum == times.min() && statistics.maximum == times.max())
        #expect(statistics.spread == times.max()! - times.min()! && statistics.runs == times.count)
        #expect(statistics.gflops == 8 / median)
    }

    /// The warm-up, unfinished runs and other settings are not counted.
    @Test func statisticsCountFinishedRunsAfterTheWarmUp() throws {
        let runs = [Self.run(500, 0.1, round: 0), Self.run(500, 4), Self.run(250, 1), Self.run(500, 1, .cancelled, round: 2),
                    Self.run(500, 6, round: 3)]
        let statistics = try #require(TuningStatistics(setting: 500, runs: runs))
        #expect(statistics.seconds == [4, 6] && statistics.median == 5)
        #expect(TuningStatistics(setting: 500, runs: [Self.run(500, 1, round: 0)]) == nil)
        #expect(TuningStatistics(setting: 9, runs: runs) == nil)
    }

    /// Best only when the fastest median's slowest run beat every other setting's fastest run.
    @Test func theBestRangeLiesBelowEveryOther() {
        let separate = TuningComparison(Self.series([250: [3.0, 3.2, 3.1], 500: [2.0, 2.2, 2.1], 1000: [2.3, 2.5, 2.4]]))
        #expect(separate.verdict == .best(500))
        #expect(separate.statistics.map(\.setting) == [250, 500, 1000])
    }

    /// Medians far apart still tie when one run of the slower setting was as fast as the best's slowest.
    @Test func overlappingRangesTie() {
        let touching = TuningComparison(Self.series([500: [2.0, 2.1, 2.3], 1000: [2.3, 2.9, 3.0]]))
        #expect(touching.verdict == .tie([500, 1000]))
        #expect(touching.verdict?.named == nil)
        // Only the settings whose range reaches the fastest's tie with it, ordered by median.
        let three = TuningComparison(Self.series([250: [9.0, 9.5, 9.9], 500: [2.5, 2.6, 4.0], 1000: [2.0, 2.2, 3.0],
                                                  2000: [3.1, 3.2, 3.3]]))
        #expect(three.verdict == .tie([1000, 500]))
        // A wide range of a setting whose median is third still ties when it reaches the best's.
        let wide = TuningComparison(Self.series([1: [1.0, 1.1, 1.2], 2: [1.3, 1.4, 1.5], 4: [1.15, 2, 2.1]]))
        #expect(wide.verdict == .tie([1, 4]))
    }

    @Test func singleRunsNameTheFastestAsSuch() {
        #expect(TuningComparison(Self.series([250: [3.0], 500: [2.0]])).verdict == .singleRuns(500))
        #expect(TuningComparison(Self.series([250: [3.0], 500: [2.0]])).verdict?.named == 500)
        // Once every setting has two runs the range rule applies.
        #expect(TuningComparison(Self.series([250: [3.0, 3.1], 500: [2.0, 2.1]])).verdict == .best(500))
        #expect(TuningComparison([Self.run(1, 1, round: 0)]).verdict == nil)
    }

    /// The warm-up is not counted even when it was the fastest run of all.
    @Test func theWarmUpIsLeftOut() {
        let comparison = TuningComparison(Self.series([250: [3.0, 3.1], 500: [2.0, 2.1]], warmUp: 0.5))
        #expect(comparison.statistics(of: 250)?.minimum == 3.0)
        #expect(comparison.verdict == .best(500))
    }

    @Test func speedupsCompareMediansWithTheOneWorkerSetting() throws {
        let comparison = TuningComparison(Self.series([1: [8, 7, 9], 2: [4, 5, 3], 4: [2.5, 2, 3]]))
        let two = try #require(comparison.statistics(of: 2)), four = try #require(comparison.statistics(of: 4))
        #expect(comparison.base?.setting == 1)
        #expect(comparison.speedup(two) == 2 && comparison.efficiency(two) == 1)
        #expect(comparison.speedup(four) == 3.2 && comparison.efficiency(four) == 0.8)
        #expect(comparison.speedupRange(two) == 1.6...(8.0 / 3))
        #expect(comparison.speedup(Self.run(2, 2)) == 4 && comparison.efficiency(Self.run(4, 4)) == 0.5)
        #expect(Self.run(1, 8).gflops == 1)
    }

    /// A run that did not finish counts in no statistic and has no speedup.
    @Test func unfinishedRunsAreNotCompared() {
        let comparison = TuningComparison([Self.run(1, 0.5, .cancelled), Self.run(2, 4), Self.run(4, 3, .failed)])
        #expect(comparison.statistics.map(\.setting) == [2])
        #expect(comparison.base?.setting == 2)
        #expect(comparison.speedup(Self.run(4, 3, .failed)) == nil)
        #expect(comparison.speedup(Self.run(2, 4)) == 2)
    }
}

@Suite struct SweepSizesTests {
    /// Without --chunks a sweep tries ¼, ½, 1 and 2 times the computation's own block size, none of them 0.
    @Test func aSweepTriesAQuarterToTwiceTheOwnBlockSize() {
        #expect(TuningPlan.sweepSizes(around: 1_000) == [250, 500, 1_000, 2_000])
        #expect(TuningPlan.sweepSizes(around: 2) == [1, 2, 4])
        #expect(TuningPlan.sweepSizes(around: 1) == [1, 2])
    }
}
