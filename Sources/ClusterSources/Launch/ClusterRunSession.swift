import ArrayFiles
import BlockArray
import BlocktopSupport
import DashboardModel
import Expressions
import Foundation
import Reporting
import Runs
import RunVocabulary

/// A run launched on a cluster: its source for the dashboard, the launch (the bridge and the
/// folder the result comes back to), and blocktop's own program of it for the report.
final class ClusterRunSession: RunSession, SessionOverSource {
    let computation: Computation
    let settings: RunSettings
    private let program: Program
    private let launch: ClusterLaunch
    let source: ClusterSource
    /// N for a `local:N` cluster started for the run.
    private let localWorkers: Int?
    private let output: OutputRequest?

    /// Seconds a cancelled run waits for the bridge to say the cluster holds none of its tasks.
    static let cancelSeconds = 20.0

    init(computation: Computation, settings: RunSettings, program: Program, launch: ClusterLaunch, source: ClusterSource,
         localWorkers: Int?, output: OutputRequest?) {
        self.computation = computation
        self.settings = settings
        self.program = program
        self.launch = launch
        self.source = source
        self.localWorkers = localWorkers
        self.output = output
    }

    var notice: String? { launch.notice }

    var headlessProgress: HeadlessProgress {
        HeadlessProgress(done: source.state.tasks.count(where: \.done), total: source.state.launch.tasks ?? 0,
                         seconds: source.tally.seconds)
    }

    func advance(waitingUpTo seconds: Double) -> Bool {
        source.awaitNews(seconds: seconds)
        _ = source.poll()
        return source.state.ended != nil
    }

    func finish(keepOutput: Bool) -> FinishedRun {
        settle()
        _ = source.poll()
        let state = source.state
        var report = measure(state)
        var problems: [String] = []
        var status = ExitStatus(report.outcome)
        if let output {
            do {
                let writer = try output.writer(for: program)
                report.output = writer.note
                if let value = report.result?.first, keepOutput {
                    if let why = write(value, to: writer) {
                        problems.append(why)
                        status = .reportUnwritten
                    } else {
                        report.outputWritten = true
                    }
                } else {
                    writer.abandon()
                }
            } catch {
                problems.append(error.description)
                status = .badInput
            }
        }
        launch.close()
        let (laneNames, spans) = traced(state)
        return FinishedRun(settings: settings, report: report, recorded: .cluster(laneNames: laneNames, spans: spans, program: program),
                           status: status, problems: problems)
    }

    func discard() {
        settle()
        launch.close()
    }

    /// Cancels a run that has not ended and waits until the bridge says it is gone from the cluster.
    private func settle() {
        guard source.state.ended == nil else { return }
        source.cancel()
        let deadline = monotonicNanoseconds() + UInt64(Self.cancelSeconds * 1e9)
        while source.state.ended == nil && monotonicNanoseconds() < deadline {
            source.awaitNews(seconds: Double(deadline - min(deadline, monotonicNanoseconds())) / 1e9)
            _ = source.poll()
        }
        if let remaining = source.state.launch.cancelledRemaining, remaining > 0 {
            warn("the cluster still held \(remaining) tasks of the cancelled run when blocktop stopped waiting")
        }
    }

    /// What was measured of the run in `state`, with its result read back when it is done.
    private func measure(_ state: ClusterState) -> RunReport {
        var report = RunReport(outcome: state.runState.outcomeWhenStopped, expression: computation.text, chunks: program.result.chunks)
        let tally = source.tally
        var cluster = RunReport.Cluster(scheduler: launch.scheduler, localWorkers: localWorkers)
        cluster.workers = tally.peakWorkers
        cluster.threads = tally.peakThreads
        cluster.peakMemoryBytes = tally.peakMemoryBytes
        report.cluster = cluster
        report.workers = tally.peakThreads
        // The bridge times a finished run from submitting to gathering the result, as a client would;
        // blocktop's polls time the others.
        report.wallSeconds = state.launch.seconds ?? tally.seconds
        report.cpuPercent = tally.cpuPercent
        report.parallelEfficiency = tally.parallelEfficiency
        report.tasks = state.launch.tasks ?? state.tasks.count
        report.tasksDone = state.tasks.count(where: \.done)
        report.failure = state.launch.failure ?? (report.outcome == .failed ? state.ended : nil)
        if report.outcome == .done {
            do {
                report.setResult(whole: try readResult(launch.resultPath, expecting: program.result.shape))
            } catch {
                report.outcome = .failed
                report.failure = "cannot read the result back: \(error)"
            }
        }
        return report
    }

    /// The run's tasks for a trace: a lane per worker thread (and one for tasks whose worker the
    /// cluster did not say), a span per task that finished or failed.
    private func traced(_ state: ClusterState) -> ([String], [ChromeTrace.Span]) {
        var laneNames = Array(repeating: "", count: state.laneCount)
        for worker in state.workers {
            let address = worker.reading.address.split(separator: "://").last.map(String.init) ?? worker.reading.address
            for (thread, lane) in worker.lanes.enumerated() { laneNames[lane] = "\(address) thread \(thread)" }
        }
        let unplaced = laneNames.count
        let spans = source.endedTasks.map { event in
            let task = state.tasks[event.task]
            return ChromeTrace.Span(operation: task.prefix, key: task.key, block: task.index, lane: event.worker >= 0 ? event.worker : unplaced,
                                    start: event.startTime, end: event.time, failed: event.kind == .failed)
        }
        if spans.contains(where: { $0.lane == unplaced }) { laneNames.append("worker not known") }
        return (laneNames, spans)
    }

    /// The result the bridge wrote, checked against the shape blocktop's own program gives.
    private func readResult(_ path: String, expecting shape: [Int]) throws -> DenseArray {
        let reader = try ArrayFormat.npy.reader(path: path)
        guard reader.shape == shape else {
            throw ResultMismatch(description: "the cluster's result has shape \(reader.shape), the expression's \(shape)")
        }
        var storage = [Double](repeating: 0, count: reader.shape.reduce(1, *))
        try storage.withUnsafeMutableBufferPointer { buffer throws(ArrayFileError) in
            try reader.readBlock(offset: reader.shape.map { _ in 0 }, shape: reader.shape, into: buffer)
        }
        return try DenseArray(shape: reader.shape, storage: storage)
    }

    /// Writes `value` to `writer` in its blocks and puts the file in place; says why when it cannot.
    private func write(_ value: DenseArray, to writer: any ArrayWriter) -> String? {
        do {
            let chunks = try writer.requiredChunks.map { try Chunks(shape: value.shape, spec: .perAxis($0)) } ?? program.result.chunks
            for index in chunks.blockIndices {
                let offset = chunks.blockOffset(index)
                try writer.write(value.sliced(start: offset, step: offset.map { _ in 1 }, count: chunks.blockShape(index)), at: offset)
            }
            try writer.commit()
            return nil
        } catch {
            writer.abandon()
            return "cannot write the output: \(error)"
        }
    }
}

/// A result from the cluster that is not the array the expression makes.
private struct ResultMismatch: Error, CustomStringConvertible {
    let description: String
}
