import Glibc

/// One moment in a task's life, as workers publish it.
///
/// Events are small values (24 bytes) that name the task by its id in the
/// graph; an observer looks up its key, block index, flops and bytes there.
public struct TaskEvent: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        /// All its inputs exist; it waits for a worker.
        case ready
        case started
        case finished
        case failed
    }

    public let kind: Kind
    /// Worker that published it; `TaskEvent.controller` for the thread that started the run.
    public let worker: Int16
    /// Task id in the `TaskGraph`.
    public let task: Int32
    /// Monotonic nanoseconds when it happened (the end, for finished and failed).
    public let time: UInt64
    /// Monotonic nanoseconds when the task started (finished and failed only; else equal to `time`).
    public let startTime: UInt64

    /// The worker id of events published by the thread that started the run.
    public static let controller: Int16 = -1
}
