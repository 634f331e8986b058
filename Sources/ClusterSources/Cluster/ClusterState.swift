import DashboardModel
import Foundation

/// What blocktop has seen of a cluster: its workers and their lanes, every task with its
/// state, the erred ones and the feed's health; kept up to date from a feed's messages, which it
/// turns into the dashboard's task events.
///
/// A plain value, so tests feed it recorded protocol lines.
public struct ClusterState: Sendable {
    /// A worker as last read, where its lanes (one per thread) are, and whether it is still there.
    public struct Worker: Sendable, Equatable {
        public var reading: BridgeMessage.Worker
        public var present: Bool
        /// Its lanes in the dashboard: one per thread, given when it first appeared.
        public var lanes: Range<Int>
        /// The lane each thread id seen on it runs in, as an offset in `lanes`.
        var laneOfThread: [Int: Int] = [:]
    }

    /// Where a task is, in dask's words.
    public enum Phase: String, Sendable, CaseIterable {
        case waiting, ready, processing, memory, erred, released, forgotten
    }

    public struct Task: Sendable, Equatable {
        public var key: String
        public var prefix: String
        public var group: String
        public var index: [Int]
        public var phase: Phase = .waiting
        /// Whether it reached memory (it stays done once released, until it is computed again).
        public var done = false
    }

    public private(set) var hello: BridgeMessage.Hello?
    public private(set) var workers: [Worker] = []
    public private(set) var laneCount = 0
    public private(set) var tasks: [Task] = []
    /// Task prefixes in order of first appearance.
    public private(set) var prefixes: [String] = []
    /// The latest erred tasks with their exceptions, oldest first (at most `erredLimit`).
    public private(set) var erred: [(key: String, exception: String)] = []
    public private(set) var skippedLines = 0
    public private(set) var lastSkipReason: String?
    /// Why the feed ended, once it did.
    public private(set) var ended: String?
    /// A watched program's exit status, from the bridge's `bye`.
    public private(set) var exitStatus: Int?
    /// A launched run's progress (launch mode).
    public private(set) var launch = LaunchRecord()
    /// Changes whenever tasks or lanes are added: the dashboard's description of the run is then made again.
    public private(set) var generation = 0
    /// Times a task that had reached memory was scheduled again: its result was lost (with a
    /// worker that died) while still needed, and it is computed again.
    public private(set) var recomputed = 0
    /// Thread-seconds and CPU-seconds of the workers there, summed over the intervals between
    /// worker sets (`accountedSeconds` of them), for `efficiency`.
    public private(set) var threadSeconds = 0.0, cpuSeconds = 0.0, accountedSeconds = 0.0
    /// When the last whole worker set was read, in blocktop's clock.
    private var lastSetTime: UInt64?

    private var workerIndex: [String: Int] = [:]
    /// The workers of the set that `workers` lines are giving in parts, so far.
    private var workersInSet: Set<String> = []
    private var taskIndex: [String: Int] = [:]
    private var prefixIndex: [String: Int] = [:]
    /// Blocktop's clock less the scheduler's, in seconds; nil before the first clock reading.
    private var clockOffset: Double?

    public static let erredLimit = 20
    /// The worker a watched program's tasks run on (their transitions name none).
    static let watchedProgram = "program"
    /// Lanes a worker gets at most, whatever thread count it claims.
    static let maximumLanesPerWorker = 256

    public init() {}

    /// Applies what a feed collected, received at `now` (blocktop's monotonic clock, in
    /// nanoseconds); returns the task events for the dashboard.
    public mutating func apply(_ batch: FeedBatch, now: UInt64) -> [ActivityEvent] {
        skippedLines += batch.skippedLines
        if let reason = batch.lastSkipReason { lastSkipReason = reason }
        var events: [ActivityEvent] = []
        for message in batch.messages { apply(message, now: now, into: &events) }
        if let end = batch.ended, ended == nil { ended = end }
        return events
    }

    /// Applies one message; its task events go to `events`.
    public mutating func apply(_ message: BridgeMessage, now: UInt64, into events: inout [ActivityEvent]) {
        switch message {
        case .hello(let hello):
            self.hello = hello
            // A watched program has no workers: its thread pool is one worker, a lane per core.
            if hello.mode == .watch {
                update(BridgeMessage.Worker(address: Self.watchedProgram, name: hello.pid.map { "pid \($0)" } ?? "program", host: "localhost",
                                            threads: ProcessInfo.processInfo.activeProcessorCount, memoryLimit: 0, memory: 0, cpu: 0,
                                            executing: 0, ready: 0, inMemory: 0, cores: nil))
            }
            if let time = hello.time { setClock(time, now: now) }
        case .clock(let time):
            setClock(time, now: now)
        case .cluster:
            break
        case .workers(let time, let readings, let completesSet):
            workersInSet.formUnion(readings.map(\.address))
            for reading in readings { update(reading) }
            guard completesSet else { break }
            for index in workers.indices where !workersInSet.contains(workers[index].reading.address) { workers[index].present = false }
            workersInSet = []
            accountWorkerSet(at: localTime(time > 0 ? time : nil, now: now))
        case .workerAdded(let address, _):
            if let index = workerIndex[address] { workers[index].present = true }
        case .workerRemoved(let address, _):
            if let index = workerIndex[address] { workers[index].present = false }
        case .tasks(let list):
            for task in list { _ = taskID(task.key, known: task) }
        case .transitions(let transitions):
            for transition in transitions { apply(transition, now: now, into: &events) }
        case .erred(let key, let exception, _):
            erred.append((key, exception))
            if erred.count > Self.erredLimit { erred.removeFirst(erred.count - Self.erredLimit) }
        case .progress(_, let counts):
            for (prefix, states) in counts.sorted(by: { $0.key < $1.key }) { applyCounts(prefix: prefix, states: states, now: now, into: &events) }
        case .error(let message):
            ended = ended ?? message
        case .bye(let reason, let exitStatus):
            ended = ended ?? (reason.isEmpty ? "the bridge said goodbye" : reason)
            self.exitStatus = exitStatus
        case .launch(let news):
            launch.apply(news)
        }
    }

    /// The present workers.
    public var presentWorkers: [Worker] { workers.filter(\.present) }

    /// Threads of the present workers.
    public var threads: Int { UntrustedNumber.saturatingSum(presentWorkers.lazy.map(\.reading.threads)) }

    /// CPU use of the present workers together; 100 is one core.
    public var cpuPercent: Double { presentWorkers.reduce(0) { $0 + $1.reading.cpu } }

    /// The cluster's parallel efficiency so far (0…1): its CPU-seconds over the thread-seconds
    /// of the workers there at each worker set (a worker that left counts while it was there);
    /// nil before two worker sets. At most 1: a worker's process has threads besides its task threads.
    public var efficiency: Double? {
        threadSeconds > 0 ? min(1, cpuSeconds / threadSeconds) : nil
    }

    /// How many tasks of `prefix` are in each phase, and how many are done.
    public func counts(ofPrefix prefix: String) -> (phases: [Phase: Int], done: Int, total: Int) {
        var phases: [Phase: Int] = [:]
        var done = 0, total = 0
        for task in tasks where task.prefix == prefix {
            phases[task.phase, default: 0] += 1
            if task.done { done += 1 }
            total += 1
        }
        return (phases, done, total)
    }

    /// The index of `prefix` in `prefixes`.
    public func prefixNumber(_ prefix: String) -> Int { prefixIndex[prefix] ?? 0 }

    /// Blocktop's monotonic nanoseconds at scheduler time `time`; `now` without a clock reading.
    public func localTime(_ time: Double?, now: UInt64) -> UInt64 {
        guard let time, let clockOffset else { return now }
        let seconds = time + clockOffset
        return seconds > 0 ? UInt64(min(seconds, 1e10) * 1e9) : 0
    }

    /// Adds the interval since the previous worker set, with the threads and CPU of the set
    /// read at `time` (its readings cover the interval before it), to the efficiency's sums.
    private mutating func accountWorkerSet(at time: UInt64) {
        if let last = lastSetTime {
            guard time > last else { return }
            let seconds = Double(time - last) / 1e9
            accountedSeconds += seconds
            threadSeconds += Double(threads) * seconds
            cpuSeconds += cpuPercent / 100 * seconds
        }
        lastSetTime = time
    }

    private mutating func setClock(_ time: Double, now: UInt64) {
        clockOffset = Double(now) / 1e9 - time
    }

    private mutating func update(_ reading: BridgeMessage.Worker) {
        if let index = workerIndex[reading.address] {
            workers[index].reading = reading
            workers[index].present = true
            return
        }
        let lanes = max(1, min(reading.threads, Self.maximumLanesPerWorker))
        workerIndex[reading.address] = workers.count
        workers.append(Worker(reading: reading, present: true, lanes: laneCount..<(laneCount + lanes)))
        laneCount += lanes
        generation += 1
    }

    /// The lane of `thread` on `address`; -1 for a worker not read yet.
    private mutating func lane(worker address: String?, thread: Int?) -> Int {
        let address = address ?? (hello?.mode == .watch ? Self.watchedProgram : nil)
        guard let address, let index = workerIndex[address] else { return -1 }
        let lanes = workers[index].lanes
        guard let thread else { return lanes.lowerBound }
        if let offset = workers[index].laneOfThread[thread] { return lanes.lowerBound + offset }
        let offset = workers[index].laneOfThread.count % lanes.count
        workers[index].laneOfThread[thread] = offset
        return lanes.lowerBound + offset
    }

    /// The id of the task `key`, registering it (from `known`, else from its key) when new.
    private mutating func taskID(_ key: String, known: BridgeMessage.Task? = nil) -> Int {
        if let id = taskIndex[key] { return id }
        let parsed = known.map { (group: $0.group, prefix: $0.prefix, index: $0.index) }
            ?? { let key = DaskKey(key); return (key.group, key.prefix, key.index) }()
        if prefixIndex[parsed.prefix] == nil {
            prefixIndex[parsed.prefix] = prefixes.count
            prefixes.append(parsed.prefix)
        }
        taskIndex[key] = tasks.count
        tasks.append(Task(key: key, prefix: parsed.prefix, group: parsed.group, index: parsed.index))
        generation += 1
        return tasks.count - 1
    }

    private mutating func apply(_ transition: BridgeMessage.Transition, now: UInt64, into events: inout [ActivityEvent]) {
        let phase: Phase = switch transition.state {
        case .queued, .noWorker: .ready
        case .released: .released
        case .waiting: .waiting
        case .processing: .processing
        case .memory: .memory
        case .erred: .erred
        case .forgotten: .forgotten
        }
        let id = taskID(transition.key)
        tasks[id].phase = phase
        let time = localTime(transition.stop ?? transition.time, now: now)
        switch phase {
        case .ready, .processing:
            // A done task scheduled again lost its result: it is computed again, and says so.
            let again = tasks[id].done
            if again {
                tasks[id].done = false
                recomputed += 1
            }
            events.append(ActivityEvent(again ? .recomputing : .ready, worker: -1, task: id, time: localTime(transition.time, now: now)))
        case .memory, .erred:
            if phase == .memory { tasks[id].done = true }
            let lane = lane(worker: transition.worker, thread: transition.thread)
            let start = min(time, localTime(transition.start ?? transition.stop ?? transition.time, now: now))
            events.append(ActivityEvent(phase == .memory ? .finished : .failed, worker: lane, task: id, time: time, startTime: start))
        case .waiting, .released, .forgotten:
            break
        }
    }

    /// Moves the tasks of `prefix` forward to the counts a `progress` line gives, for a feed
    /// without per-task events: one stand-in task per task the counts hold.
    private mutating func applyCounts(prefix: String, states: [String: Int], now: UInt64, into events: inout [ActivityEvent]) {
        let done = states["memory", default: 0], failed = states["erred", default: 0]
        let running = states["processing", default: 0] + states["queued", default: 0] + states["no-worker", default: 0]
        let total = min(max(UntrustedNumber.saturatingSum(states.filter { $0.key != "total" }.values), states["total", default: 0]), 1 << 20)
        var existing = tasks.indices.filter { tasks[$0].prefix == prefix }
        while existing.count < total {
            existing.append(taskID("\(prefix)#\(existing.count)",
                                   known: .init(key: "", prefix: prefix, group: prefix, index: [existing.count])))
        }
        for (position, id) in existing.enumerated() {
            let phase: Phase = position < done ? .memory : position < done + failed ? .erred : position < done + failed + running ? .processing : .waiting
            guard phase != tasks[id].phase, !tasks[id].done else { continue }
            tasks[id].phase = phase
            switch phase {
            case .memory:
                tasks[id].done = true
                events.append(ActivityEvent(.finished, worker: -1, task: id, time: now))
            case .erred: events.append(ActivityEvent(.failed, worker: -1, task: id, time: now))
            case .processing: events.append(ActivityEvent(.ready, worker: -1, task: id, time: now))
            default: break
            }
        }
    }
}
