/// What the runs of a tuning series vary: `blocktop sweep` the block size, `blocktop scale`
/// the worker count.
package enum TuningKind: String, Sendable, Equatable {
    case blockSizes = "sweep"
    case workers = "scale"
}

/// One run of a tuning series, as measured.
package struct TuningMeasurement: Sendable, Equatable {
    /// Block size or worker count.
    package var setting: Int
    package var seconds: Double
    /// Estimated floating-point operations of the tasks that finished.
    package var flops: Double
    package var outcome: RunOutcome

    package init(setting: Int, seconds: Double, flops: Double, outcome: RunOutcome) {
        self.setting = setting
        self.seconds = seconds
        self.flops = flops
        self.outcome = outcome
    }

    /// Billions of floating-point operations per second.
    package var gflops: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }
}

/// The comparisons across the runs of a series: the fastest, and speedups against a base run.
package struct TuningComparison: Sendable, Equatable {
    package let measurements: [TuningMeasurement]

    package init(_ measurements: [TuningMeasurement]) {
        self.measurements = measurements
    }

    /// The fastest finished run.
    package var best: TuningMeasurement? {
        measurements.filter { $0.outcome == .done }.min { $0.seconds < $1.seconds }
    }

    /// The run speedups are measured against: the finished one with setting 1 (one worker),
    /// else the first finished.
    package var base: TuningMeasurement? {
        let done = measurements.filter { $0.outcome == .done }
        return done.first { $0.setting == 1 } ?? done.first
    }

    /// The base run's time over `run`'s, scaled by the base's setting (its workers); nil unless both finished.
    package func speedup(_ run: TuningMeasurement) -> Double? {
        guard run.outcome == .done, run.seconds > 0, let base else { return nil }
        return base.seconds * Double(base.setting) / run.seconds
    }

    /// Speedup per worker: 1 is perfect scaling.
    package func efficiency(_ run: TuningMeasurement) -> Double? {
        speedup(run).map { $0 / Double(max(1, run.setting)) }
    }
}
