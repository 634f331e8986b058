/// Runs the dashboard makes one after another, each with one setting changed: the block sizes of
/// `blocktop sweep` or the worker counts of `blocktop scale`.
public struct TuningPlan: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Each run has another block size.
        case blockSizes
        /// Each run has another worker count.
        case workers
    }

    public var kind: Kind
    /// The runs, in order.
    public var runs: [RunSettings]

    public init(kind: Kind, runs: [RunSettings]) {
        self.kind = kind
        self.runs = runs
    }

    /// The setting a run varies: its block size or its worker count.
    public func setting(of run: RunSettings) -> Int {
        kind == .blockSizes ? run.blockSize ?? 0 : run.workers
    }
}

/// One finished run of a plan.
public struct TuningResult: Sendable, Equatable {
    /// Block size or worker count.
    public var setting: Int
    public var seconds: Double
    public var flops: Double
    public var state: RunState

    public init(setting: Int, seconds: Double, flops: Double, state: RunState) {
        self.setting = setting
        self.seconds = seconds
        self.flops = flops
        self.state = state
    }

    public var gflops: Double { seconds > 0 ? flops / seconds / 1e9 : 0 }
}

/// A plan and the results of its runs so far, as the tuning panel shows them.
public struct TuningChart: Sendable, Equatable {
    public var plan: TuningPlan
    /// One per finished run, in plan order.
    public var results: [TuningResult] = []

    public init(plan: TuningPlan) {
        self.plan = plan
    }

    /// Every run has ended.
    public var isComplete: Bool { results.count >= plan.runs.count }

    /// The fastest finished run.
    public var best: TuningResult? {
        results.filter { $0.state == .done }.min { $0.seconds < $1.seconds }
    }

    /// The run the speedups are measured against: the one with 1 worker, else the first.
    var base: TuningResult? {
        let done = results.filter { $0.state == .done }
        return done.first { $0.setting == 1 } ?? done.first
    }

    /// Time of the base run over this one's, scaled by the base's workers; nil unless both are done.
    public func speedup(_ result: TuningResult) -> Double? {
        guard result.state == .done, result.seconds > 0, let base else { return nil }
        return base.seconds * Double(base.setting) / result.seconds
    }

    /// Speedup per worker.
    public func efficiency(_ result: TuningResult) -> Double? {
        speedup(result).map { $0 / Double(max(1, result.setting)) }
    }
}
