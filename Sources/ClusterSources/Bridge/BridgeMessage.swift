/// One line of the bridge's protocol (python/blocktop_bridge/PROTOCOL.md, version 1), its
/// strings bounded and escaped: what `BridgeMessage.parse` makes of untrusted JSON.
public enum BridgeMessage: Sendable, Equatable {
    case hello(Hello)
    /// The scheduler's clock now (Unix seconds), for the offset to blocktop's clock.
    case clock(time: Double)
    /// A cluster the bridge started (`local` mode).
    case cluster(scheduler: String, dashboard: String?)
    /// The workers at `time`: the whole set, or a part of it (a set too big for one line comes
    /// in parts); `completesSet` when the set is whole with this line.
    case workers(time: Double, [Worker], completesSet: Bool)
    case workerAdded(address: String, time: Double?)
    case workerRemoved(address: String, time: Double?)
    /// Tasks the scheduler learned of.
    case tasks([Task])
    case transitions([Transition])
    case erred(key: String, exception: String, time: Double?)
    /// Per task prefix, how many tasks are in each state (when there are no per-task events).
    case progress(time: Double?, prefixes: [String: [String: Int]])
    /// The bridge cannot go on; it exits next.
    case error(message: String)
    /// The bridge's last line; in watch mode with the program's exit status (128 + N for signal N).
    case bye(reason: String, exitStatus: Int? = nil)
    /// News of a run the bridge launched on the cluster (launch mode).
    case launch(LaunchNews)

    /// What launch mode says of its run, besides the cluster's lines.
    public enum LaunchNews: Sendable, Equatable {
        /// The optimised graph went to the scheduler: the result's key and how many tasks it has.
        case submitted(key: String, tasks: Int)
        /// The result is in the `.npy` file at `path`, `seconds` after submitting (the bridge's clock).
        case result(path: String, shape: [Int], seconds: Double?)
        /// A task raised; the run is over.
        case failed(key: String?, exception: String)
        /// The run's futures were cancelled; `remaining` of its tasks were still on the scheduler when the bridge stopped waiting.
        case cancelled(remaining: Int)
    }

    /// What the bridge says of itself and of the cluster it watches.
    public struct Hello: Sendable, Equatable {
        /// How the bridge was started.
        public enum Mode: String, Sendable, CaseIterable {
            case attach, local, launch, watch
        }

        public var bridge: String
        public var python: String?
        public var distributed: String?
        public var mode: Mode
        public var scheduler: String?
        public var dashboard: String?
        /// `.plugin` when per-task events come, `.callbacks` from a watched program, `.none` when
        /// only `progress` counts do.
        public var events: TaskEvents
        /// Why there are no per-task events, when there are none.
        public var reason: String?
        public var time: Double?
        /// The watched program's process id (watch mode).
        public var pid: Int32?

        /// What the dashboard says when no per-task events come (counts only), with why; nil when they come.
        public var countsOnlyNotice: String? {
            events == .plugin ? nil : "no per-task events" + (reason.map { ": " + $0 } ?? "") + "; progress by task prefix only"
        }
    }

    /// One worker's reading.
    public struct Worker: Sendable, Equatable {
        public var address: String
        public var name: String
        public var host: String
        public var threads: Int
        public var memoryLimit: Int
        public var memory: Int
        /// CPU use; 100 is one core.
        public var cpu: Double
        public var executing: Int
        public var ready: Int
        public var inMemory: Int
        /// Per-core busy percent of the worker's host, when the worker plugin provides it.
        public var cores: [Double]?
    }

    /// A task: its key, dask's prefix and group, and the block index of a tuple key.
    public struct Task: Sendable, Equatable {
        public var key: String
        public var prefix: String
        public var group: String
        public var index: [Int]

        package init(key: String, prefix: String, group: String, index: [Int]) {
            self.key = key
            self.prefix = prefix
            self.group = group
            self.index = index
        }
    }

    /// A scheduler task state, as a transition names the state a task reached.
    public enum TaskState: String, Sendable, CaseIterable {
        case released, waiting, noWorker = "no-worker", queued, processing, memory, erred, forgotten
    }

    /// A task reaching a state.
    public struct Transition: Sendable, Equatable {
        public var key: String
        public var state: TaskState
        public var worker: String?
        public var thread: Int?
        /// The compute start and stop, when it reached memory or erred.
        public var start: Double?
        public var stop: Double?
        public var time: Double?
    }
}

/// Where blocktop gets a cluster's task news: the bridge's scheduler plugin (per-task events), the
/// bridge's counts only, a watched program's callbacks, or the scheduler's HTTP server (no bridge).
public enum TaskEvents: String, Sendable, Codable, CaseIterable {
    case plugin, none, callbacks, http
}
