/// Each worker's recent tasks as time intervals, with what each task did: the data of the
/// task-stream lanes.
public struct TaskStream: Sendable, Equatable {
    /// A task's time on a worker, in nanoseconds of the source's clock, and its operation index.
    public struct Interval: Sendable, Equatable {
        public var start: UInt64
        public var end: UInt64
        public var operation: Int
    }

    /// A task running on a worker: since when, and its operation index.
    public struct RunningTask: Sendable, Equatable {
        public var since: UInt64
        public var operation: Int

        package init(since: UInt64, operation: Int) {
            self.since = since
            self.operation = operation
        }
    }

    /// How much of a span a worker spent in tasks, and the operation that took most of that time.
    public struct Occupancy: Sendable, Equatable {
        /// Fraction of the span, 0…1.
        public var busy: Double
        /// The operation with the most time in the span; nil when the worker was idle.
        public var operation: Int?

        package init(busy: Double, operation: Int?) {
            self.busy = busy
            self.operation = operation
        }
    }

    /// How far back intervals are kept.
    public let window: UInt64
    /// Per worker: finished intervals, oldest first.
    public private(set) var finished: [[Interval]]
    /// Per worker: when its running task started and what it does, if it runs one.
    public private(set) var running: [RunningTask?]

    public init(workers: Int, window: UInt64 = 60_000_000_000) {
        self.window = window
        finished = Array(repeating: [], count: workers)
        running = Array(repeating: nil, count: workers)
    }

    /// Makes lanes for `workers` workers in all (workers have joined).
    public mutating func grow(workers: Int) {
        guard workers > finished.count else { return }
        finished += Array(repeating: [], count: workers - finished.count)
        running += Array(repeating: nil, count: workers - running.count)
    }

    /// Applies `event` of a task that does `operation`.
    public mutating func apply(_ event: ActivityEvent, operation: Int = 0) {
        guard event.worker >= 0, event.worker < finished.count else { return }
        switch event.kind {
        case .ready, .recomputing: break
        case .started: running[event.worker] = RunningTask(since: event.time, operation: operation)
        case .finished, .failed:
            finished[event.worker].append(Interval(start: event.startTime, end: event.time, operation: operation))
            running[event.worker] = nil
        }
    }

    /// Drops intervals that ended more than `window` before `now`.
    public mutating func prune(now: UInt64) {
        let horizon = now > window ? now - window : 0
        for worker in finished.indices {
            if let keep = finished[worker].firstIndex(where: { $0.end >= horizon }) {
                if keep > 0 { finished[worker].removeFirst(keep) }
            } else {
                finished[worker].removeAll(keepingCapacity: true)
            }
        }
    }

    /// How `worker` spent `from..<to`: the busy fraction (running tasks counted up to `now`) and
    /// the operation that took most of it.
    public func occupancy(worker: Int, from: UInt64, to: UInt64, now: UInt64) -> Occupancy {
        guard to > from else { return Occupancy(busy: 0, operation: nil) }
        var busy: UInt64 = 0
        var byOperation: [Int: UInt64] = [:]
        func add(_ start: UInt64, _ end: UInt64, _ operation: Int) {
            let lower = max(start, from), upper = min(end, to)
            guard upper > lower else { return }
            busy += upper - lower
            byOperation[operation, default: 0] += upper - lower
        }
        // Intervals are ordered by end; scan back from the newest until they end before `from`.
        for interval in finished[worker].reversed() {
            if interval.end < from { break }
            add(interval.start, interval.end, interval.operation)
        }
        if let task = running[worker] { add(task.since, now, task.operation) }
        let top = byOperation.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
        return Occupancy(busy: min(1, Double(busy) / Double(to - from)), operation: top)
    }
}
