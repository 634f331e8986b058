/// Each worker's recent tasks as time intervals: the data of the task-stream lanes.
public struct TaskStream: Sendable, Equatable {
    /// A task's time on a worker, in nanoseconds of the source's clock.
    public struct Interval: Sendable, Equatable {
        public var start: UInt64
        public var end: UInt64
    }

    /// How far back intervals are kept.
    public let window: UInt64
    /// Per worker: finished intervals, oldest first.
    public private(set) var finished: [[Interval]]
    /// Per worker: when its running task started, if it runs one.
    public private(set) var runningSince: [UInt64?]

    public init(workers: Int, window: UInt64 = 60_000_000_000) {
        self.window = window
        finished = Array(repeating: [], count: workers)
        runningSince = Array(repeating: nil, count: workers)
    }

    public mutating func apply(_ event: ActivityEvent) {
        guard event.worker >= 0, event.worker < finished.count else { return }
        switch event.kind {
        case .ready: break
        case .started: runningSince[event.worker] = event.time
        case .finished, .failed:
            finished[event.worker].append(Interval(start: event.startTime, end: event.time))
            runningSince[event.worker] = nil
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

    /// The fraction of `from..<to` that `worker` spent in tasks, running ones counted up to `now`.
    public func busyFraction(worker: Int, from: UInt64, to: UInt64, now: UInt64) -> Double {
        guard to > from else { return 0 }
        var busy: UInt64 = 0
        func add(_ start: UInt64, _ end: UInt64) {
            let lower = max(start, from), upper = min(end, to)
            if upper > lower { busy += upper - lower }
        }
        // Intervals are ordered by end; scan back from the newest until they end before `from`.
        for interval in finished[worker].reversed() {
            if interval.end < from { break }
            add(interval.start, interval.end)
        }
        if let start = runningSince[worker] { add(start, now) }
        return min(1, Double(busy) / Double(to - from))
    }
}
