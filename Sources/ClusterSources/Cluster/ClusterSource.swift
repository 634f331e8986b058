import BlocktopSupport
import Dashboard

/// A Dask cluster as the dashboard's source: whatever it runs, whoever submitted it, read from
/// a feed (the bridge, or the scheduler's HTTP server) at each refresh.
///
/// The run grows as tasks and workers arrive; it goes on until the feed ends (the scheduler
/// went away), when it fails with why; a watched program's run is done when it exits with 0.
/// Pause, resume and cancel do nothing: the cluster is not blocktop's to stop.
public final class ClusterSource: DashboardSource {
    public private(set) var run: RunDescription
    public private(set) var state = ClusterState()
    /// A line saying how the cluster is watched, when it is not through the bridge's events;
    /// the header shows it while no task has erred.
    public let notice: String?
    private let feed: any ClusterFeed
    private let title: String
    private let started = monotonicNanoseconds()
    private var describedGeneration = 0
    /// Describes the run again from the tasks that arrived since it last did.
    private var describer = ClusterRunDescriber()
    /// This machine's readings, for a watched local program; nil reads the workers' instead.
    private var localMachine: WatchedMachine?

    /// Watches the cluster `feed` reads; `title` heads the dashboard; `localMachine` replaces
    /// the workers' readings with this machine's (a watched local program).
    public init(feed: any ClusterFeed, title: String, notice: String? = nil, localMachine: WatchedMachine? = nil) {
        self.feed = feed
        self.title = title
        self.notice = notice
        self.localMachine = localMachine
        run = describer.describe(state, title: title)
    }

    public func poll() -> SourceUpdate {
        let now = monotonicNanoseconds()
        let events = state.apply(feed.drain(), now: now)
        var grown: RunDescription?
        if state.generation != describedGeneration {
            run = describer.describe(state, title: title)
            describedGeneration = state.generation
            grown = run
        }
        let failure = state.exitStatus.flatMap { $0 == 0 ? nil : "the program exited with status \($0)" }
            ?? state.ended.map { "the cluster is gone: \($0)" }
            ?? state.erred.last.map { "erred \($0.key): \($0.exception)" } ?? notice
        // A watched program that exited 0 is done; any other end of the feed is a failure.
        let runState: RunState = state.ended == nil ? .running : state.exitStatus == 0 ? .done : .failed
        let machine = localMachine?.sample(lanes: state.laneCount) ?? state.machineReading
        let held = localMachine == nil ? state.presentWorkers.reduce(0) { $0 + $1.reading.memory } : Int(machine.residentBytes)
        return SourceUpdate(time: now, events: events, state: runState,
                            activeSeconds: Double(now - started) / 1e9, failure: failure, bytesHeld: held, peakBytesHeld: held,
                            machine: machine, grownRun: grown)
    }

    public func pause() {}
    public func resume() {}
    public func cancel() {}

    /// Stops the feed and whatever it started (the bridge).
    public func stop() { feed.stop() }
}
