/// A process's CPU time per core, attributed by the core each of its threads last ran on.
///
/// /proc/PID/task/TID/stat gives each thread's CPU time (utime + stime) and `processor`
/// (field 39), the CPU it last ran on. At each reading, the time every thread used since the
/// previous reading is added to the core it is on at this reading. That is an attribution, not a
/// measurement: a thread that moved between cores within one interval has the whole interval's
/// time put on the core it ended on. It is exact for threads that stay on one core (pinned, or
/// busy on a machine with a core to spare) and the sum over all cores is exact whatever the
/// threads do, except for the last interval of a thread that exits, which is lost. Readings at
/// every dashboard refresh keep the intervals short.
public struct CoreAttribution: Sendable, Equatable {
    /// One thread at one reading.
    public struct Thread: Sendable, Equatable {
        public var id: Int32
        /// When it started (`starttime`), to tell a reused thread id from the original.
        public var startTicks: UInt64
        /// Its CPU time so far, utime + stime, in clock ticks.
        public var ticks: UInt64
        /// The CPU it last ran on.
        public var processor: Int

        public init(id: Int32, startTicks: UInt64, ticks: UInt64, processor: Int) {
            self.id = id
            self.startTicks = startTicks
            self.ticks = ticks
            self.processor = processor
        }
    }

    /// Clock ticks attributed to core N since the first reading, at index N.
    public private(set) var ticksByCore: [UInt64] = []
    /// The previous reading's threads, by id.
    private var previous: [Int32: Thread] = [:]
    private var hasReading = false

    public init() {}

    /// The ticks attributed to core `id` so far.
    public func ticks(onCore id: Int) -> UInt64 {
        id < ticksByCore.count ? ticksByCore[id] : 0
    }

    /// Adds the CPU time each of `threads` used since the previous reading to the core it is on now.
    ///
    /// The first reading only sets the starting point. Later, a thread not seen before started
    /// since the previous reading, so all of its time is new; a thread whose counter went
    /// backwards adds nothing.
    public mutating func record(_ threads: [Thread]) {
        var current: [Int32: Thread] = [:]
        current.reserveCapacity(threads.count)
        for thread in threads {
            current[thread.id] = thread
            guard hasReading else { continue }
            let earlier = previous[thread.id].flatMap { $0.startTicks == thread.startTicks ? $0.ticks : nil } ?? 0
            guard thread.ticks > earlier else { continue }
            if ticksByCore.count <= thread.processor {
                ticksByCore.append(contentsOf: repeatElement(0, count: thread.processor + 1 - ticksByCore.count))
            }
            ticksByCore[thread.processor] += thread.ticks - earlier
        }
        previous = current
        hasReading = true
    }
}
