import RunVocabulary

/// Runs made one after another, each with one setting changed: the block sizes of
/// `blocktop sweep` or the worker counts of `blocktop scale`, each repeated.
///
/// The order: a warm-up of the first setting (round 0, not counted), then `repeats` rounds that
/// each run every setting once, every other round in reverse, so that a drift over the series
/// (a warming machine, other load coming or going) does not favour the settings that run first.
package struct TuningPlan: Sendable, Equatable {
    /// One run of the plan.
    package struct Step: Sendable, Equatable {
        package var settings: RunSettings
        /// Where `settings` is in the plan's settings.
        package var index: Int
        /// 0 for the warm-up, then 1, 2, … `repeats`.
        package var round: Int
    }

    package let kind: TuningKind
    /// The settings compared, in the order of the first round.
    package let settings: [RunSettings]
    /// Runs of each setting after the warm-up.
    package let repeats: Int
    /// Every run, in order.
    package let steps: [Step]

    package init(kind: TuningKind, settings: [RunSettings], repeats: Int) {
        self.kind = kind
        self.settings = settings
        self.repeats = repeats
        let order = Array(settings.indices)
        let rounds = stride(from: 1, through: repeats, by: 1).flatMap { round in
            (round % 2 == 1 ? order : order.reversed()).map { Step(settings: settings[$0], index: $0, round: round) }
        }
        steps = settings.isEmpty ? [] : [Step(settings: settings[0], index: 0, round: 0)] + rounds
    }

    /// A sweep's block sizes when none are given: ¼, ½, 1 and 2 times `base` (those above zero).
    package static func sweepSizes(around base: Int) -> [Int] {
        [base / 4, base / 2, base, base * 2].filter { $0 > 0 }
    }

    /// The setting a run varies: its block size or its worker count.
    package func setting(of run: RunSettings) -> Int {
        kind == .blockSizes ? run.blockSize ?? 0 : run.workers
    }
}

/// A plan and the measurements of its runs so far, as the tuning panel shows them.
package struct TuningChart: Sendable, Equatable {
    package var plan: TuningPlan
    /// One per ended run, in plan order (the warm-up first).
    package var results: [TuningMeasurement] = []
    /// A key started another run, so the plan's remaining runs are not made.
    package var stopped = false

    package init(plan: TuningPlan) {
        self.plan = plan
    }

    /// Every run has ended, or the plan was stopped.
    package var isComplete: Bool { stopped || results.count >= plan.steps.count }

    /// The run going now; nil once complete.
    package var current: TuningPlan.Step? { isComplete ? nil : plan.steps[results.count] }

    /// Statistics, verdict and speedups over the runs ended so far.
    package var comparison: TuningComparison { TuningComparison(results) }
}
