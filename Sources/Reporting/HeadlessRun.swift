import BlockArray
import BlocktopSupport
import Engine
import Foundation

/// Runs a graph on an engine without a screen, recording it, and optionally
/// keeping a progress line up to date on stderr.
public enum HeadlessRun {
    /// Runs `graph` to its end (or until `shouldCancel` says so), polling every `interval` seconds.
    public static func run(_ graph: TaskGraph, on engine: Engine, interval: Double = 0.1,
                           progress: Bool = false, shouldCancel: () -> Bool = { false }) -> (RunRecorder, RunSummary) {
        let log = engine.makeEventLog()
        let recorder = RunRecorder(graph: graph, workers: engine.workerCount)
        let handle = engine.start(graph, events: log)
        let line = ProgressLine()
        var cancelled = false
        var ended: RunResult?
        while ended == nil {
            ended = recorder.follow(handle, events: log, waitingUpTo: interval)
            if progress {
                FileHandle.standardError.write(Data(line.render(done: recorder.finishedTasks, total: graph.count,
                    seconds: Double(monotonicNanoseconds() - recorder.startTime) / 1e9).utf8))
            }
            if ended == nil && !cancelled && shouldCancel() {
                handle.cancel()
                cancelled = true
            }
        }
        let summary = recorder.finish(ended!)
        // A failed or cancelled run ends while kernels may still run; let them return first.
        handle.waitUntilIdle()
        if progress {
            FileHandle.standardError.write(Data((line.render(done: summary.result.statistics.tasksRun, total: graph.count,
                                                              seconds: summary.wallSeconds) + "\n").utf8))
        }
        return (recorder, summary)
    }
}

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
