import BlocktopSupport

/// Runs the dashboard makes one after another, each with one setting changed: the block sizes of
/// `blocktop sweep` or the worker counts of `blocktop scale`.
package struct TuningPlan: Sendable, Equatable {
    package var kind: TuningKind
    /// The runs, in order.
    package var runs: [RunSettings]

    package init(kind: TuningKind, runs: [RunSettings]) {
        self.kind = kind
        self.runs = runs
    }

    /// The setting a run varies: its block size or its worker count.
    package func setting(of run: RunSettings) -> Int {
        kind == .blockSizes ? run.blockSize ?? 0 : run.workers
    }
}

/// A plan and the measurements of its runs so far, as the tuning panel shows them.
package struct TuningChart: Sendable, Equatable {
    package var plan: TuningPlan
    /// One per ended run, in plan order.
    package var results: [TuningMeasurement] = []

    package init(plan: TuningPlan) {
        self.plan = plan
    }

    /// Every run has ended.
    package var isComplete: Bool { results.count >= plan.runs.count }

    /// The best run and the speedups, over the runs ended so far.
    package var comparison: TuningComparison { TuningComparison(results) }
}
