import Engine

extension RunRecorder {
    /// Waits up to `seconds` for `handle`'s run to end and records the events `log` took in
    /// meanwhile; the run's result once it ended, else nil.
    public func follow(_ handle: RunHandle, events log: EventLog, waitingUpTo seconds: Double) -> RunResult? {
        let ended = handle.wait(timeout: seconds)
        if ended != nil { noteEnded() }
        record(log.drain())
        return ended
    }

    /// Share of the workers' time not spent inside tasks: scheduling, waiting and idling.
    public func overheadShare(wallSeconds: Double) -> Double {
        let busy = events.reduce(0.0) { $0 + ($1.kind == .finished || $1.kind == .failed ? Double($1.time - $1.startTime) : 0) } / 1e9
        let available = wallSeconds * Double(workerCount)
        return available > 0 ? max(0, 1 - busy / available) : 0
    }
}
