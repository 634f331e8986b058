/// When each task started and ended, and on which worker: what a block's detail lists.
///
/// Times are milliseconds from the first event seen, so a record takes 10 bytes.
public struct TaskRecords: Sendable, Equatable {
    /// One task's record; `start` and `end` are nil until seen.
    public struct Record: Sendable, Equatable {
        public var worker: Int
        /// Seconds from the first event the dashboard saw.
        public var start: Double?
        public var end: Double?
    }

    private var workers: [Int16]
    private var starts: [Int32]
    private var ends: [Int32]
    private var origin: UInt64?
    private static let unknown = Int32.min

    public init(tasks: Int) {
        workers = Array(repeating: -1, count: tasks)
        starts = Array(repeating: Self.unknown, count: tasks)
        ends = Array(repeating: Self.unknown, count: tasks)
    }

    /// Makes room for `tasks` tasks in all (more tasks have joined the run).
    public mutating func grow(tasks: Int) {
        guard tasks > workers.count else { return }
        let more = tasks - workers.count
        workers += Array(repeating: -1, count: more)
        starts += Array(repeating: Self.unknown, count: more)
        ends += Array(repeating: Self.unknown, count: more)
    }

    public mutating func apply(_ event: ActivityEvent) {
        guard event.task >= 0, event.task < workers.count, event.kind != .ready, event.kind != .recomputing else { return }
        let origin = self.origin ?? min(event.startTime, event.time)
        self.origin = origin
        func milliseconds(_ time: UInt64) -> Int32 {
            Int32(clamping: (Int64(bitPattern: time) - Int64(bitPattern: origin)) / 1_000_000)
        }
        if event.worker >= 0 { workers[event.task] = Int16(clamping: event.worker) }
        starts[event.task] = milliseconds(event.startTime)
        if event.kind == .finished || event.kind == .failed { ends[event.task] = milliseconds(event.time) }
    }

    /// The record of `task`; nil for an id the run does not have.
    public func record(_ task: Int) -> Record? {
        guard task >= 0, task < workers.count else { return nil }
        func seconds(_ value: Int32) -> Double? { value == Self.unknown ? nil : Double(value) / 1000 }
        return Record(worker: Int(workers[task]), start: seconds(starts[task]), end: seconds(ends[task]))
    }
}
