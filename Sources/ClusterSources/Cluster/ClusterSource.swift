import BlocktopSupport
import DashboardModel

/// A Dask cluster as the dashboard's source: whatever it runs, whoever submitted it, read from
/// a feed (the bridge, or the scheduler's HTTP server) at each refresh.
///
/// The run grows as tasks and workers arrive; it goes on until the feed ends (the scheduler
/// went away), when it fails with why; a watched program's run is done when it exits with 0, a
/// launched run when its result came back. Pause and resume do nothing: the cluster is not
/// blocktop's to stop; cancel cancels a run blocktop launched, and nothing else.
public final class ClusterSource: DashboardSource {
    public private(set) var run: RunDescription
    public private(set) var state = ClusterState()
    /// A launched run's figures, from its submission to the poll that saw it end.
    public private(set) var tally = ClusterRunTally()
    /// Every task that finished or failed, with its lane and times, when `recordsTasks` (for a trace).
    public private(set) var endedTasks: [ActivityEvent] = []
    /// Whether `endedTasks` is kept: a launched run with a trace; never an open-ended watch.
    public var recordsTasks = false
    private var tallyEnded = false
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
    /// the workers' readings with this machine's (a watched local program); `array` is the array
    /// a launched run computes, as blocktop's program has it, for the header (and the block-size keys).
    public init(feed: any ClusterFeed, title: String, notice: String? = nil, localMachine: WatchedMachine? = nil,
                array: LaunchedArray? = nil) {
        self.feed = feed
        self.title = title
        self.notice = notice
        self.localMachine = localMachine
        self.array = array
        run = describer.describe(state, title: title)
        describeArray()
    }

    /// The main array of a launched run: its shape, the largest block along each axis, how many blocks.
    public struct LaunchedArray: Sendable {
        public var shape, blockShape: [Int]
        public var blockCount: Int

        public init(shape: [Int], blockShape: [Int], blockCount: Int) {
            self.shape = shape
            self.blockShape = blockShape
            self.blockCount = blockCount
        }
    }

    private let array: LaunchedArray?

    /// Puts the launched array in the run's description: the cluster's tasks do not say it.
    private func describeArray() {
        guard let array else { return }
        run.arrayShape = array.shape
        run.blockShape = array.blockShape
        run.blockCount = array.blockCount
    }

    public func poll() -> SourceUpdate {
        let now = monotonicNanoseconds()
        let events = state.apply(feed.drain(), now: now)
        if recordsTasks { endedTasks += events.filter { $0.kind == .finished || $0.kind == .failed } }
        var grown: RunDescription?
        if state.generation != describedGeneration {
            run = describer.describe(state, title: title)
            describeArray()
            describedGeneration = state.generation
            grown = run
        }
        let failure = state.launch.failure.map { "the run failed: \($0)" }
            ?? state.exitStatus.flatMap { $0 == 0 ? nil : "the program exited with status \($0)" }
            ?? (state.runState == .failed ? state.ended.map { "the cluster is gone: \($0)" } : nil)
            ?? state.erred.last.map { "erred \($0.key): \($0.exception)" } ?? notice
        let runState = state.runState
        if state.launch.tasks != nil && !tallyEnded {
            tally.add(state, now: now)
            tallyEnded = runState.isFinal
        }
        let machine = localMachine?.sample(lanes: state.laneCount) ?? state.machineReading
        let held = localMachine == nil ? state.presentWorkers.reduce(0) { $0 + $1.reading.memory } : Int(machine.residentBytes)
        return SourceUpdate(time: now, events: events, state: runState,
                            activeSeconds: Double(now - started) / 1e9, failure: failure, bytesHeld: held, peakBytesHeld: held,
                            machine: machine, grownRun: grown)
    }

    public func pause() {}
    public func resume() {}
    public func cancel() { feed.cancel() }

    /// A launched run can be cancelled and run again; an attached cluster or a watched program
    /// only watched. The workers show in place of the cores, unless this machine's are read.
    public var capabilities: SourceCapabilities {
        let launched: SourceCapabilities = array == nil ? [] : [.cancel, .newRuns]
        return launched.union(localMachine == nil ? .clusterWorkers : .coreBars)
    }

    /// Why a key this source cannot serve does nothing; a watched program is named as such.
    public func refusal(of capability: SourceCapabilities) -> String {
        let watched = localMachine == nil ? "a cluster" : "a program"
        if capability.contains(.pause) { return "\(watched)'s work is not blocktop's to pause" }
        if capability.contains(.cancel) { return "watching \(watched): blocktop cancels nothing on it" }
        return "watching \(watched): blocktop starts no runs on it"
    }

    /// Blocks until the feed has news for `poll`, or `seconds` pass.
    public func awaitNews(seconds: Double) { feed.awaitNews(seconds: seconds) }

    /// Stops the feed and whatever it started (the bridge).
    public func stop() { feed.stop() }
}
