import RunVocabulary

/// What the runs of a tuning series vary: `blocktop sweep` the block size, `blocktop scale`
/// the worker count.
package enum TuningKind: String, Sendable, Equatable {
    case blockSizes = "sweep"
    case workers = "scale"

    /// What one setting is called: "block size" or "worker count".
    package var settingName: String { self == .blockSizes ? "block size" : "worker count" }

    /// One setting in words: "block size 500", "2 workers", "1 worker".
    package func describe(_ setting: Int) -> String {
        self == .blockSizes ? "block size \(setting)" : "\(setting) worker" + (setting == 1 ? "" : "s")
    }

    /// Settings as a list in words: "500", "500 and 1000", "250, 500 and 1000".
    package static func list(_ settings: [Int]) -> String {
        let names = settings.map(String.init)
        guard let last = names.last, names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + last
    }
}

/// One run of a tuning series, as measured.
package struct TuningMeasurement: Sendable, Equatable {
    /// Block size or worker count.
    package var setting: Int
    /// 0 for the warm-up, which no comparison counts; then 1, 2, … R.
    package var round: Int
    package var seconds: Double
    /// Estimated floating-point operations of the tasks that finished.
    package var flops: Double
    package var outcome: RunOutcome

    package init(setting: Int, round: Int, seconds: Double, flops: Double, outcome: RunOutcome) {
        self.setting = setting
        self.round = round
        self.seconds = seconds
        self.flops = flops
        self.outcome = outcome
    }

    /// Billions of floating-point operations per second.
    package var gflops: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }

    /// Whether this is the warm-up run.
    package var isWarmUp: Bool { round == 0 }
}

/// The finished counted runs of one setting, summarised: the median time and its range.
package struct TuningStatistics: Sendable, Equatable {
    package let setting: Int
    /// The runs' times, in the order they ran.
    package let seconds: [Double]
    /// Estimated floating-point operations of one run.
    package let flops: Double
    package let median: Double
    package let minimum: Double
    package let maximum: Double

    /// The statistics of `runs`' finished runs after the warm-up that have `setting`; nil when there are none.
    package init?(setting: Int, runs: [TuningMeasurement]) {
        let counted = runs.filter { $0.setting == setting && !$0.isWarmUp && $0.outcome == .done }
        guard let first = counted.first else { return nil }
        self.setting = setting
        seconds = counted.map(\.seconds)
        flops = first.flops
        median = Self.median(seconds)
        minimum = seconds.min() ?? 0
        maximum = seconds.max() ?? 0
    }

    /// How many runs the statistics are of.
    package var runs: Int { seconds.count }

    /// The width of the range: slowest minus fastest run.
    package var spread: Double { maximum - minimum }

    /// GFLOP/s of the median run.
    package var gflops: Double { median > 0 ? flops / median / 1e9 : 0 }

    /// The middle value of `values` (the mean of the two middle ones for an even count); 0 for none.
    package static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// Which setting a series may call the fastest.
///
/// The rule: the setting with the lowest median is named best only when its slowest run was
/// faster than the fastest run of every other setting, that is when its min–max range lies
/// wholly below theirs. Otherwise it ties with every setting whose range reaches its own. When a
/// setting has only one run there is no range to judge by: the lowest median is named, as from
/// single runs.
package enum TuningVerdict: Sendable, Equatable {
    /// This setting's range lies below every other's.
    case best(Int)
    /// The ranges of these settings overlap the fastest's (the fastest first, then by median).
    case tie([Int])
    /// The fastest, when some setting ran only once.
    case singleRuns(Int)

    /// The verdict on `statistics`; nil when there are none.
    package init?(_ statistics: [TuningStatistics]) {
        guard let fastest = statistics.min(by: { $0.median < $1.median }) else { return nil }
        if statistics.contains(where: { $0.runs < 2 }) {
            self = .singleRuns(fastest.setting)
            return
        }
        let overlapping = statistics.filter { $0.setting != fastest.setting && $0.minimum <= fastest.maximum }
        self = overlapping.isEmpty ? .best(fastest.setting)
            : .tie([fastest.setting] + overlapping.sorted { $0.median < $1.median }.map(\.setting))
    }

    /// The setting named fastest: the best, or the fastest of single runs; nil on a tie.
    package var named: Int? {
        switch self {
        case .best(let setting), .singleRuns(let setting): setting
        case .tie: nil
        }
    }

    /// The settings that tie, or the one named.
    package var settings: [Int] {
        switch self {
        case .best(let setting), .singleRuns(let setting): [setting]
        case .tie(let settings): settings
        }
    }
}

/// The comparisons across the runs of a series: statistics per setting, the verdict on the
/// fastest, and speedups against a base setting. The warm-up is left out of all of them.
package struct TuningComparison: Sendable, Equatable {
    /// One per setting with a finished run after the warm-up, in the order they first ran.
    package let statistics: [TuningStatistics]
    /// Nil until a setting has a finished counted run.
    package let verdict: TuningVerdict?

    package init(_ measurements: [TuningMeasurement]) {
        var settings: [Int] = []
        for run in measurements where !run.isWarmUp && !settings.contains(run.setting) { settings.append(run.setting) }
        statistics = settings.compactMap { TuningStatistics(setting: $0, runs: measurements) }
        verdict = TuningVerdict(statistics)
    }

    /// The statistics of `setting`; nil when it has no finished counted run.
    package func statistics(of setting: Int) -> TuningStatistics? {
        statistics.first { $0.setting == setting }
    }

    /// The setting speedups are measured against: setting 1 (one worker), else the first.
    package var base: TuningStatistics? {
        statistics.first { $0.setting == 1 } ?? statistics.first
    }

    /// The base's median time over `run`'s, scaled by the base's setting (its workers).
    package func speedup(_ run: TuningStatistics) -> Double? { speedup(seconds: run.median) }

    /// The speedups of `run`'s slowest and fastest runs against the base's median.
    package func speedupRange(_ run: TuningStatistics) -> ClosedRange<Double>? {
        guard let slowest = speedup(seconds: run.maximum), let fastest = speedup(seconds: run.minimum) else { return nil }
        return slowest...fastest
    }

    /// The speedup of one run against the base's median; nil unless it finished.
    package func speedup(_ run: TuningMeasurement) -> Double? {
        run.outcome == .done ? speedup(seconds: run.seconds) : nil
    }

    /// Speedup per worker: 1 is perfect scaling.
    package func efficiency(_ run: TuningStatistics) -> Double? {
        speedup(run).map { $0 / Double(max(1, run.setting)) }
    }

    /// Speedup per worker of one run.
    package func efficiency(_ run: TuningMeasurement) -> Double? {
        speedup(run).map { $0 / Double(max(1, run.setting)) }
    }

    private func speedup(seconds: Double) -> Double? {
        guard seconds > 0, let base else { return nil }
        return base.median * Double(base.setting) / seconds
    }
}
