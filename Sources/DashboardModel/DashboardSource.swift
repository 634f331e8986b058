import RunVocabulary

/// Where the dashboard's data comes from: one run's description, its task events and the
/// readings of the machine it runs on.
///
/// The local `EngineSource` is one; a remote cluster can be another. The dashboard calls
/// every method from its own thread, once per refresh for `poll`.
public protocol DashboardSource: AnyObject {
    /// What runs, known when it starts; a source that learns of more tasks as it goes (a
    /// cluster) passes the grown description in `SourceUpdate.grownRun`.
    var run: RunDescription { get }
    /// Everything that happened since the previous poll.
    func poll() -> SourceUpdate
    func pause()
    func resume()
    func cancel()
    /// What it can do and show; the dashboard offers no key it cannot do.
    var capabilities: SourceCapabilities { get }
    /// The one line a key asking for `capability`, which it lacks, answers.
    func refusal(of capability: SourceCapabilities) -> String
}

/// One moment in a task's life, in the source's monotonic clock (nanoseconds).
public struct ActivityEvent: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        case ready, started, finished, failed
        /// A finished task runs again (its result was lost with a worker): it is ready again.
        case recomputing
    }

    public var kind: Kind
    /// The worker that ran it (started, finished, failed); -1 when none.
    public var worker: Int
    /// The task's id, 0..<taskCount.
    public var task: Int
    public var time: UInt64
    /// When the task started (finished and failed); else `time`.
    public var startTime: UInt64

    public init(_ kind: Kind, worker: Int, task: Int, time: UInt64, startTime: UInt64? = nil) {
        self.kind = kind
        self.worker = worker
        self.task = task
        self.time = time
        self.startTime = startTime ?? time
    }
}

/// What a source reports at one refresh.
public struct SourceUpdate: Sendable {
    /// Now, in the events' clock.
    public var time: UInt64
    public var events: [ActivityEvent]
    public var state: RunState
    /// Seconds the run has been going, not counting pauses; until its end once it ended.
    public var activeSeconds: Double
    /// Why the run failed, when it did.
    public var failure: String?
    /// Bytes of blocks held now, and at the worst moment so far.
    public var bytesHeld: Int
    public var peakBytesHeld: Int
    /// The machine's readings, when the source has them.
    public var machine: MachineReading?
    /// The computed value in a few words, once the run is done.
    public var result: String?
    /// The run's description when it grew since the previous poll (more tasks, operations,
    /// stages or workers); nil when unchanged. Tasks, operations and workers keep their ids.
    public var grownRun: RunDescription?

    public init(time: UInt64, events: [ActivityEvent], state: RunState, activeSeconds: Double, failure: String? = nil,
                bytesHeld: Int, peakBytesHeld: Int, machine: MachineReading?, result: String? = nil, grownRun: RunDescription? = nil) {
        self.result = result
        self.grownRun = grownRun
        self.time = time
        self.events = events
        self.state = state
        self.activeSeconds = activeSeconds
        self.failure = failure
        self.bytesHeld = bytesHeld
        self.peakBytesHeld = peakBytesHeld
        self.machine = machine
    }
}

/// How busy one core was, in percent of that core, and for whom: the watched run's process or others.
public struct CoreLoad: Sendable, Equatable {
    /// The run's process (its threads, by the core each last ran on).
    public var own: Double
    /// Everything else that kept the core busy: other processes, the kernel's threads, a hypervisor's steal.
    public var others: Double

    public init(own: Double, others: Double) {
        self.own = own
        self.others = others
    }

    public var busy: Double { own + others }
}

/// The machine and the process at one refresh.
public struct MachineReading: Sendable, Equatable {
    /// Each core's load; nil for an offline core. For a cluster, each worker's CPU over its threads.
    public var cores: [CoreLoad?]
    /// The process's CPU use; 100 is one core.
    public var processCPU: Double
    /// CPUs' worth of time other processes took on the CPUs the run may use (1 is one CPU); nil when unknown.
    public var othersCPUs: Double?
    public var residentBytes: UInt64
    /// Each worker's CPU use by worker id; nil before its first reading.
    public var workerCPU: [Double?]
    public var memoryTotal: UInt64
    public var memoryAvailable: UInt64
    /// A watched cluster's worker processes, shown in place of the cores; nil for this machine.
    public var clusterWorkers: [ClusterWorkerReading]?
    /// The parallel efficiency so far (0…1) when the source measures it itself (a cluster's CPU
    /// against the threads there at each moment); nil leaves it to the model.
    public var efficiency: Double?

    public init(cores: [CoreLoad?], processCPU: Double, othersCPUs: Double? = nil, residentBytes: UInt64, workerCPU: [Double?],
                memoryTotal: UInt64, memoryAvailable: UInt64, clusterWorkers: [ClusterWorkerReading]? = nil, efficiency: Double? = nil) {
        self.clusterWorkers = clusterWorkers
        self.efficiency = efficiency
        self.cores = cores
        self.processCPU = processCPU
        self.othersCPUs = othersCPUs
        self.residentBytes = residentBytes
        self.workerCPU = workerCPU
        self.memoryTotal = memoryTotal
        self.memoryAvailable = memoryAvailable
    }
}
