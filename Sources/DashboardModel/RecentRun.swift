import RunVocabulary

/// One finished or cancelled run, as the runs panel lists it beside the later ones.
public struct RecentRun: Sendable, Equatable {
    /// The expression or preset, as the header showed it.
    public var title: String
    /// The shape of a (full) block.
    public var blockShape: [Int]
    public var workers: Int
    /// Wall time from the first update to the end (or to when it was replaced).
    public var seconds: Double
    /// The process CPU% averaged over the run's readings; nil when it had none.
    public var cpuPercent: Double?
    /// Done, failed or cancelled.
    public var state: RunState

    public init(title: String, blockShape: [Int], workers: Int, seconds: Double, cpuPercent: Double?, state: RunState) {
        self.title = title
        self.blockShape = blockShape
        self.workers = workers
        self.seconds = seconds
        self.cpuPercent = cpuPercent
        self.state = state
    }

    /// The run `model` shows; a run still going counts as cancelled (it is being replaced).
    public init(_ model: DashboardModel) {
        let history = model.cpuHistory
        self.init(title: model.run.title, blockShape: model.run.blockShape, workers: model.run.workerCount,
                  seconds: model.elapsedSeconds,
                  cpuPercent: history.isEmpty ? nil : history.reduce(0, +) / Double(history.count),
                  state: model.state.isFinal ? model.state : .cancelled)
    }
}
