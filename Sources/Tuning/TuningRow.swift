import RunVocabulary

/// One run of a sweep (block sizes) or a scaling series (worker counts), as its table counts it:
/// a run here or on a cluster.
package struct TuningRow: Sendable {
    /// Block size, or worker count, that this row varies.
    package var setting: Int
    /// 0 for the warm-up, which no comparison counts; then 1, 2, … R.
    package var round: Int
    package var outcome: RunOutcome
    package var wallSeconds: Double
    /// The process's CPU over the run (a cluster's: its workers'); 100 is one core.
    package var cpuPercent: Double
    /// Estimated flops of the tasks that finished (of the whole computation on a cluster, once done).
    package var flops: Double
    package var tasks: Int
    /// The most memory the run held: in blocks here, in its workers on a cluster.
    package var peakHeldBytes: Int
    /// Share of worker time outside tasks (scheduling, waiting, idling); nil on a cluster, whose
    /// workers' time blocktop does not see.
    package var overheadShare: Double?
    /// The computed value (first element of a finished run's result).
    package var value: Double?
    /// What other processes took of this machine's CPUs during a run here; nil on a cluster.
    package var competition: Competition.Reading?

    package init(setting: Int, round: Int, outcome: RunOutcome, wallSeconds: Double, cpuPercent: Double, flops: Double, tasks: Int,
                 peakHeldBytes: Int, overheadShare: Double? = nil, value: Double? = nil, competition: Competition.Reading? = nil) {
        self.setting = setting
        self.round = round
        self.outcome = outcome
        self.wallSeconds = wallSeconds
        self.cpuPercent = cpuPercent
        self.flops = flops
        self.tasks = tasks
        self.peakHeldBytes = peakHeldBytes
        self.overheadShare = overheadShare
        self.value = value
        self.competition = competition
    }

    /// Estimated GFLOP/s of the run.
    package var gflops: Double { wallSeconds > 0 ? flops / wallSeconds / 1e9 : 0 }

    /// The row as a tuning series compares it.
    package var measurement: TuningMeasurement {
        TuningMeasurement(setting: setting, round: round, seconds: wallSeconds, flops: flops, outcome: outcome)
    }
}
